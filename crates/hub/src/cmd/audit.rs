//! `linli-hub audit PATH --json`: verify and fold a space from its files, print the report.

use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Args;

use crate::files::{locate_space, read_space, read_space_with};

/// Reads a space over HTTP(S): `URL` is the space folder (`…/spaces/{space}`) or its
/// `manifest.json`. Every file is checked against the manifest's SHA-256 as a folder is.
fn read_url(url: &str) -> anyhow::Result<linli_domain::Space> {
    let base = url
        .trim_end_matches('/')
        .trim_end_matches("manifest.json")
        .trim_end_matches('/');
    let last = base.rsplit('/').next().unwrap_or("");
    if linli_domain::Hex32::parse(last).is_err() {
        bail!(
            "{url} is not a space's address: give the space folder, …/spaces/{{64 hex digits}}, \
             or its manifest.json"
        );
    }
    let agent = ureq::Agent::new_with_defaults();
    read_space_with(base, |path| {
        let full = format!("{base}/{path}");
        match agent.get(&full).call() {
            Ok(mut response) => {
                let bytes = response
                    .body_mut()
                    .with_config()
                    .limit(256 * 1024 * 1024)
                    .read_to_vec()
                    .with_context(|| format!("cannot read {full}"))?;
                Ok(Some(bytes))
            }
            Err(ureq::Error::StatusCode(404)) => Ok(None),
            Err(e) => Err(anyhow::Error::new(e).context(format!("cannot fetch {full}"))),
        }
    })
}

/// Verify every event of a space from its files (§5 layout), fold them and print the result.
/// Exits 0 whenever the space could be read, even if it holds rejected events.
#[derive(Debug, Args)]
pub struct Audit {
    /// The space folder (holding manifest.json), a base folder with one space under spaces/,
    /// or the URL of a space folder (…/spaces/{space}) or of its manifest.json.
    path: String,
    /// Print the full report as one JSON object.
    #[arg(long)]
    json: bool,
}

impl Audit {
    /// Runs the audit.
    pub fn run(self) -> anyhow::Result<()> {
        let space = if self.path.starts_with("http://") || self.path.starts_with("https://") {
            read_url(&self.path)?
        } else {
            read_space(&locate_space(&PathBuf::from(&self.path))?)?
        };
        let report = linli_domain::audit::report(&space);
        if self.json {
            println!("{}", serde_json::to_string(&report)?);
        } else {
            println!("space     {}", report.space);
            println!(
                "name      {}",
                report.name.as_deref().unwrap_or("(no genesis)")
            );
            println!(
                "events    {} accepted, {} rejected",
                report.events.accepted, report.events.rejected
            );
            println!("state     {}", report.state_hash);
            println!("members   {}", report.members.len());
            println!("forks     {}", report.forks.len());
            for c in &report.checkpoints {
                let verdict = match c.matches {
                    Some(true) => "matches",
                    Some(false) => "DOES NOT MATCH",
                    None => "not recomputable",
                };
                println!(
                    "checkpoint {} {} events, {}/{} council signers, {}, {verdict}",
                    &c.key.to_hex()[..12],
                    c.events,
                    c.council_signers,
                    c.needed,
                    if c.counted { "counted" } else { "not counted" },
                );
                if c.matches == Some(false) {
                    for s in &c.signers {
                        println!("  signed by {} ({}) device {}", s.member, s.name, s.device);
                    }
                }
            }
            let mut counts = std::collections::BTreeMap::new();
            for r in &report.rejections {
                *counts.entry(r.code.as_str()).or_insert(0usize) += 1;
            }
            for (code, n) in counts {
                println!("  {n:>6}  {code}");
            }
        }
        Ok(())
    }
}
