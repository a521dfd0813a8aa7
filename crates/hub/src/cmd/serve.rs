//! `linli-hub serve`: the app and the spaces' files on one address.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::server::{self, Config};

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
    /// Refuse batches that would found a new space (only existing spaces take events).
    #[arg(long)]
    no_new_spaces: bool,
    /// Largest request body in bytes.
    #[arg(long, default_value_t = 16 * 1024 * 1024)]
    max_body: usize,
    /// Batches each client address may post per minute.
    #[arg(long, default_value_t = 120)]
    posts_per_minute: u32,
}

impl Serve {
    /// Binds, serves until Ctrl-C or SIGTERM, then drains open requests and returns.
    pub fn run(self) -> anyhow::Result<()> {
        let index = self.dist.join("index.html");
        anyhow::ensure!(
            index.is_file(),
            "no app bundle at {} (missing index.html): build it first with `trunk build --release`",
            self.dist.display()
        );
        std::fs::create_dir_all(&self.data)
            .with_context(|| format!("cannot create the data folder {}", self.data.display()))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .context("cannot start the async runtime")?;
        runtime.block_on(async move {
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
                allow_new_spaces: !self.no_new_spaces,
                max_body: self.max_body,
                posts_per_minute: self.posts_per_minute,
                ..Config::new(self.dist, self.data)
            };
            eprintln!(
                "linli-hub: serving http://{} (Ctrl-C to stop)",
                listener.local_addr()?
            );
            server::serve(listener, config, server::shutdown_signal()).await?;
            eprintln!("linli-hub: stopped");
            Ok(())
        })
    }
}
