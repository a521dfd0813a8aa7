//! `linli-hub serve`: the app and the spaces' files on one address.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use ipnet::IpNet;

use crate::ingest::Options;
use crate::listen::Limits;
use crate::server::{self, Config, Founding};

/// Serve the built app with compression and caching rules, and the spaces' files.
#[derive(Debug, Args)]
pub struct Serve {
    /// Address to listen on. Loopback by default: put a reverse proxy in front to publish it.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The app bundle built by `trunk build --release`.
    #[arg(long, default_value = "dist")]
    dist: PathBuf,
    /// Where the spaces (communities) are kept: `DATA/spaces/{space}/…`.
    #[arg(long, default_value = "data")]
    data: PathBuf,
    /// Keep the spaces in an S3-compatible bucket instead of `--data`: `s3://BUCKET/PREFIX`,
    /// shared safely with other hubs. Endpoint, region and keys come from AWS_ENDPOINT_URL,
    /// AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (docs/sync.md).
    #[arg(long, value_name = "URL", conflicts_with = "data")]
    store: Option<crate::s3::Location>,
    /// With --store: seconds between checks that each served space's manifest lists every
    /// commit (repairs what a hub killed mid-commit leaves).
    #[arg(long, default_value_t = 2.0, requires = "store")]
    reconcile_every: f64,
    /// Nobody may found a new space here (only existing spaces take events).
    #[arg(long, conflicts_with_all = ["open_founding", "found_from"])]
    no_new_spaces: bool,
    /// Anyone may found a new space (each address 10 an hour). Off by default: only clients
    /// on this machine may, or those of `--found-from`.
    #[arg(long)]
    open_founding: bool,
    /// Clients in this network may found new spaces (repeatable; e.g. the community office's
    /// network). Replaces the default, this machine only.
    #[arg(long, value_name = "CIDR")]
    found_from: Vec<IpNet>,
    /// A reverse proxy in this network names the client in `X-Forwarded-For` (repeatable;
    /// e.g. 127.0.0.1/32 for a proxy on this machine). Off by default: the TCP peer is the
    /// client, and a forwarded header is ignored.
    #[arg(long, value_name = "CIDR")]
    trust_proxy: Vec<IpNet>,
    /// Largest request body in bytes.
    #[arg(long, default_value_t = 16 * 1024 * 1024)]
    max_body: usize,
    /// Bytes of request bodies held at once over all clients.
    #[arg(long, default_value_t = 64 * 1024 * 1024)]
    body_memory: usize,
    /// Batches each client address may post per minute.
    #[arg(long, default_value_t = 120)]
    posts_per_minute: u32,
    /// Seconds to send a request's headers (from the connection's start or its previous
    /// response: also the idle keep-alive timeout).
    #[arg(long, default_value_t = 20)]
    header_timeout: u64,
    /// Seconds to send a whole request body.
    #[arg(long, default_value_t = 60)]
    body_timeout: u64,
    /// Seconds a response may stall because the client stopped reading.
    #[arg(long, default_value_t = 30)]
    write_timeout: u64,
    /// Connections open at once (lowered to fit the open-file limit).
    #[arg(long, default_value_t = 1024)]
    max_connections: usize,
    /// Seconds a shutdown waits for requests in progress.
    #[arg(long, default_value_t = 10)]
    shutdown_deadline: u64,
    /// Seconds a file replaced by packing stays for readers of the previous manifest.
    #[arg(long, default_value_t = 120)]
    retire_after: u64,
    /// Seconds without a post after which a space leaves memory.
    #[arg(long, default_value_t = 600)]
    idle_space: u64,
    /// An origin the app may sync with besides this hub (the Content-Security-Policy's
    /// connect-src), e.g. https://data.example.org; repeat for more. None: this hub only.
    #[arg(long = "connect-src", value_name = "ORIGIN", value_parser = crate::csp::connect_source)]
    connect_src: Vec<String>,
    /// This hub's public base URL (e.g. https://hub.example.org), written into every manifest
    /// it writes as where phones post: for spaces whose files phones read from a bucket, a
    /// CDN or a mirror (docs/sync.md, "Reads from one place, posts to another").
    #[arg(long, value_name = "URL", value_parser = linli_domain::push::push_url)]
    public_url: Option<String>,
}

impl Serve {
    fn founding(&self) -> Founding {
        if self.no_new_spaces {
            Founding::Closed
        } else if self.open_founding {
            Founding::Open
        } else if !self.found_from.is_empty() {
            Founding::From(self.found_from.clone())
        } else {
            Founding::loopback()
        }
    }

    /// Binds, serves until Ctrl-C or SIGTERM, then drains open requests (within the
    /// shutdown deadline) and returns.
    pub fn run(self) -> anyhow::Result<()> {
        let index = self.dist.join("index.html");
        anyhow::ensure!(
            index.is_file(),
            "no app bundle at {} (missing index.html): build it first with `trunk build --release`",
            self.dist.display()
        );
        let bucket = match &self.store {
            Some(location) => {
                let settings = crate::s3::Settings::from_env()?;
                let store = crate::s3::ObjectStore::new(location.clone(), &settings)?;
                store
                    .check()
                    .with_context(|| format!("cannot use {location}"))?;
                eprintln!("linli-hub: spaces in {location} at {}", settings.endpoint);
                Some(std::sync::Arc::new(store))
            }
            None => {
                std::fs::create_dir_all(&self.data).with_context(|| {
                    format!("cannot create the data folder {}", self.data.display())
                })?;
                None
            }
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .context("cannot start the async runtime")?;
        let deadline = Duration::from_secs(self.shutdown_deadline);
        let result = runtime.block_on(async move {
            // Compressing a fresh bundle at the best levels takes seconds: serve at once
            // (compressing on the fly) and write the siblings in the background.
            let dist = self.dist.clone();
            tokio::spawn(async move {
                match crate::precompress::prepare_dir(&dist).await {
                    Ok(stats) => eprintln!(
                        "linli-hub: {} files in {}, {} newly compressed",
                        stats.files,
                        dist.display(),
                        stats.compressed
                    ),
                    Err(e) => eprintln!("linli-hub: cannot precompress {}: {e}", dist.display()),
                }
            });
            let listener = tokio::net::TcpListener::bind(self.addr)
                .await
                .with_context(|| format!("cannot listen on {}", self.addr))?;
            let config = Config {
                founding: self.founding(),
                max_body: self.max_body,
                body_memory: self.body_memory,
                body_timeout: Duration::from_secs(self.body_timeout),
                posts_per_minute: self.posts_per_minute,
                trust_proxy: self.trust_proxy.clone(),
                limits: Limits {
                    header_timeout: Duration::from_secs(self.header_timeout.max(1)),
                    write_timeout: Duration::from_secs(self.write_timeout.max(1)),
                    max_connections: self.max_connections.max(1),
                    shutdown_deadline: deadline,
                },
                hub: Options {
                    grace: Duration::from_secs(self.retire_after),
                    idle: Duration::from_secs(self.idle_space),
                    reconcile: Duration::from_secs_f64(self.reconcile_every.clamp(0.1, 3600.0)),
                },
                bucket,
                connect_src: self.connect_src.clone(),
                public_url: self.public_url.clone(),
                ..Config::new(self.dist.clone(), self.data.clone())
            };
            let founding = match &config.founding {
                Founding::Closed => "nobody".to_owned(),
                Founding::Open => "anyone".to_owned(),
                Founding::From(nets) => nets
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            eprintln!(
                "linli-hub: serving http://{} (Ctrl-C to stop); new spaces from: {founding}",
                listener.local_addr()?
            );
            server::serve(listener, config, server::shutdown_signal()).await?;
            eprintln!("linli-hub: stopped");
            anyhow::Ok(())
        });
        // Work still running in the background (a compression, say) does not hold the exit.
        runtime.shutdown_timeout(deadline);
        result
    }
}
