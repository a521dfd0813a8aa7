//! The subcommands, one file each, dispatched through one enum.

mod audit;
mod demo;
mod export;
mod serve;

use clap::{Parser, Subcommand};

pub use audit::Audit;
pub use demo::{generate as generate_demo, Demo, DemoInvite};
pub use export::Export;
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
}

impl Cli {
    /// Runs the chosen subcommand.
    pub fn run(self) -> anyhow::Result<()> {
        match self.command {
            Command::Serve(cmd) => cmd.run(),
            Command::Audit(cmd) => cmd.run(),
            Command::Demo(cmd) => cmd.run(),
            Command::Export(cmd) => cmd.run(),
        }
    }
}
