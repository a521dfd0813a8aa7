//! Where a hub's bucket is (`s3://bucket/prefix`) and how to reach it (the usual `AWS_*`
//! environment variables).

use std::time::Duration;

use url::Url;

use super::retry::Retry;
use crate::storage::safe_path;

/// Where spaces are kept in a bucket: `s3://bucket/prefix`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The bucket's name.
    pub bucket: String,
    /// Empty, or ends with `/`.
    pub prefix: String,
}

impl std::str::FromStr for Location {
    type Err = String;

    fn from_str(s: &str) -> Result<Location, String> {
        let rest = s
            .strip_prefix("s3://")
            .ok_or_else(|| format!("{s}: a store is s3://BUCKET or s3://BUCKET/PREFIX"))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let valid = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-.".contains(&b));
        if !valid {
            return Err(format!(
                "{bucket:?} is not a bucket name (3 to 63 of a-z, 0-9, '-' and '.')"
            ));
        }
        let prefix = prefix.trim_matches('/');
        if !prefix.is_empty() && !safe_path(prefix) {
            return Err(format!(
                "{prefix:?} is not a usable prefix (segments of a-z, 0-9, '.', '_', '-')"
            ));
        }
        Ok(Location {
            bucket: bucket.to_owned(),
            prefix: if prefix.is_empty() {
                String::new()
            } else {
                format!("{prefix}/")
            },
        })
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.prefix)
    }
}

/// The connection settings, usually from the environment.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `AWS_ENDPOINT_URL`, or AWS's own endpoint for the region.
    pub endpoint: Url,
    /// `AWS_REGION` (or `AWS_DEFAULT_REGION`); `us-east-1` when neither is set.
    pub region: String,
    /// `AWS_ACCESS_KEY_ID`.
    pub key: String,
    /// `AWS_SECRET_ACCESS_KEY`.
    pub secret: String,
    /// Path-style URLs (`endpoint/bucket/key`): what Garage, MinIO and most self-hosted
    /// stores want. AWS's own endpoint uses virtual hosts.
    pub path_style: bool,
    /// How requests are retried.
    pub retry: Retry,
    /// Time for one attempt, connection to last byte.
    pub timeout: Duration,
}

impl Settings {
    /// From `AWS_ENDPOINT_URL`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`.
    pub fn from_env() -> anyhow::Result<Settings> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let region = var("AWS_REGION")
            .or_else(|| var("AWS_DEFAULT_REGION"))
            .unwrap_or_else(|| "us-east-1".to_owned());
        let (endpoint, path_style) = match var("AWS_ENDPOINT_URL") {
            Some(e) => (
                e.parse::<Url>()
                    .map_err(|err| anyhow::anyhow!("AWS_ENDPOINT_URL={e:?} is not a URL: {err}"))?,
                true,
            ),
            None => (format!("https://s3.{region}.amazonaws.com").parse()?, false),
        };
        let key = var("AWS_ACCESS_KEY_ID")
            .ok_or_else(|| anyhow::anyhow!("set AWS_ACCESS_KEY_ID to the store's access key"))?;
        let secret = var("AWS_SECRET_ACCESS_KEY")
            .ok_or_else(|| anyhow::anyhow!("set AWS_SECRET_ACCESS_KEY to the secret of {key}"))?;
        Ok(Settings {
            endpoint,
            region,
            key,
            secret,
            path_style,
            retry: Retry::default(),
            timeout: Duration::from_secs(10),
        })
    }
}
