//! `linli-hub audit PATH --json`: verify and fold a space from its files, print the report.

use std::path::PathBuf;

use anyhow::bail;
use clap::Args;

use crate::files::{locate_space, read_space};

/// Verify every event of a space from its files (§5 layout), fold them and print the result.
/// Exits 0 whenever the space could be read, even if it holds rejected events.
#[derive(Debug, Args)]
pub struct Audit {
    /// The space folder (holding manifest.json) or a base folder with one space under spaces/.
    path: String,
    /// Print the full report as one JSON object.
    #[arg(long)]
    json: bool,
}

impl Audit {
    /// Runs the audit.
    pub fn run(self) -> anyhow::Result<()> {
        if self.path.starts_with("http://") || self.path.starts_with("https://") {
            bail!("auditing a URL is not supported yet: copy the space folder and audit that");
        }
        let dir = locate_space(&PathBuf::from(&self.path))?;
        let space = read_space(&dir)?;
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
            println!("members   {}", report.members.len());
            println!("forks     {}", report.forks.len());
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
