//! The subcommands, one file each, dispatched through one enum.

mod audit;
mod checkpoint;
mod demo;
mod export;
mod publish;
mod serve;

use clap::{Parser, Subcommand};

pub use audit::Audit;
pub use checkpoint::{
    publish as publish_snapshots, Checkpoint, SnapshotEntry, SnapshotIndex, SNAPSHOTS_INDEX,
};
pub use demo::{generate as generate_demo, Demo, DemoInvite};
pub use export::Export;
pub use publish::Publish;
pub use serve::Serve;

/// Linli's hub: serves the app and the communities' data, and the tools around them.
#[derive(Debug, Parser)]
#[command(name = "linli-hub", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the built app (and the spaces' files) over HTTP.
    Serve(Box<Serve>),
    /// Verify and fold a space from its files; print the audit report.
    Audit(Audit),
    /// Write a deterministic demo community as a space folder.
    Demo(Demo),
    /// Write a space as a static mirror for any static host.
    Export(Export),
    /// Publish the snapshot of every counted checkpoint of a space folder.
    Checkpoint(Checkpoint),
    /// Upload the built app into the spaces' bucket, for reads straight from the bucket.
    Publish(Publish),
}

impl Cli {
    /// Runs the chosen subcommand.
    pub fn run(self) -> anyhow::Result<()> {
        match self.command {
            Command::Serve(cmd) => cmd.run(),
            Command::Audit(cmd) => cmd.run(),
            Command::Demo(cmd) => cmd.run(),
            Command::Export(cmd) => cmd.run(),
            Command::Checkpoint(cmd) => cmd.run(),
            Command::Publish(cmd) => cmd.run(),
        }
    }
}
