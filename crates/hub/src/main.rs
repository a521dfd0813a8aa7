//! `linli-hub`: see `linli-hub --help`.

use clap::Parser;
use linli_hub::cmd::Cli;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match cli.run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("linli-hub: error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
