//! The subcommands, one file each, dispatched through one enum.

mod serve;

use clap::{Parser, Subcommand};

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
    Serve(Serve),
}

impl Cli {
    /// Runs the chosen subcommand.
    pub fn run(self) -> anyhow::Result<()> {
        match self.command {
            Command::Serve(cmd) => cmd.run(),
        }
    }
}
