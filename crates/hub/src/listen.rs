//! Accepting connections with limits an anonymous client cannot outlast.
//!
//! - **Timeouts**: a connection must send a request's headers within
//!   [`Limits::header_timeout`] of opening or of its previous response (so an idle keep-alive
//!   connection, or headers sent a byte at a time, are closed); a response write that makes no
//!   progress for [`Limits::write_timeout`] closes the connection (a client that stops
//!   reading). Bodies have their own deadline, in the handler that reads them.
//! - **A connection cap**: at most [`Limits::max_connections`] open at once (lowered to fit the
//!   process's open-file limit, leaving room for the files the hub reads and writes). When
//!   the table is full, the oldest connection with no request in progress is closed to make
//!   room, so idle or stalled sockets can never lock real clients out; if every connection is
//!   busy, new ones wait in the kernel's queue.
//! - **Shutdown with a deadline**: on the signal the hub stops accepting, lets requests in
//!   progress finish and closes idle connections; whatever is still open after
//!   [`Limits::shutdown_deadline`] is dropped.

use std::collections::BTreeMap;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, Response};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tower::ServiceExt;

/// The connection limits of [`serve`].
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Time to send a request's headers, from the connection's start or its previous response.
    pub header_timeout: Duration,
    /// A response write may stall this long before the connection is dropped.
    pub write_timeout: Duration,
    /// Connections open at once (before the open-file limit lowers it).
    pub max_connections: usize,
    /// How long a shutdown waits for requests in progress.
    pub shutdown_deadline: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(20),
            write_timeout: Duration::from_secs(30),
            max_connections: 1024,
            shutdown_deadline: Duration::from_secs(10),
        }
    }
}

/// One open connection, as the table sees it.
pub struct Conn {
    /// Requests in progress (until their response body has been sent or dropped).
    busy: AtomicUsize,
    /// Told to close when the table needs room.
    shed: Notify,
}

/// Open connections, oldest first.
#[derive(Default)]
pub struct Table {
    conns: Mutex<BTreeMap<u64, Arc<Conn>>>,
}

impl Table {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, Arc<Conn>>> {
        self.conns
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Connections open now.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether none are open.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// Asks the oldest connection with no request in progress to close; false if all are busy.
    fn shed_oldest_idle(&self) -> bool {
        let conns = self.lock();
        match conns.values().find(|c| c.busy.load(Ordering::Acquire) == 0) {
            Some(c) => {
                c.shed.notify_one();
                true
            }
            None => false,
        }
    }
}

/// The process's open-file limit, raised to its hard maximum where allowed.
#[cfg(unix)]
fn open_file_limit() -> Option<u64> {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
    let lim = getrlimit(Resource::Nofile);
    let current = lim.current?;
    if let Some(max) = lim.maximum.filter(|m| *m > current) {
        let raised = Rlimit {
            current: Some(max),
            maximum: Some(max),
        };
        if setrlimit(Resource::Nofile, raised).is_ok() {
            return Some(max);
        }
    }
    Some(current)
}

#[cfg(not(unix))]
fn open_file_limit() -> Option<u64> {
    None
}

/// Files the hub keeps for itself beyond its connections: the listener, storage reads and
/// writes, the runtime's own.
const RESERVED_FILES: u64 = 32;

/// The connection cap for `wanted` within the open-file limit.
pub fn connection_cap(wanted: usize) -> usize {
    match open_file_limit() {
        Some(limit) => {
            let fit = limit.saturating_sub(RESERVED_FILES).max(1);
            wanted.min(usize::try_from(fit).unwrap_or(usize::MAX))
        }
        None => wanted,
    }
    .max(1)
}

/// Serves `router` on `listener` within `limits` until `shutdown` resolves; then drains as the
/// module docs say. `table` is shared with whoever reports on the connections.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    table: Arc<Table>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let cap = connection_cap(limits.max_connections);
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    let mut next_id: u64 = 0;
    loop {
        // Room first: never accept past the cap.
        while table.len() >= cap {
            table.shed_oldest_idle();
            tokio::select! {
                () = tokio::time::sleep(Duration::from_millis(20)) => {}
                () = &mut shutdown => return drain(stop_tx, table, limits).await,
            }
        }
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before it was taken:
                    // wait a moment rather than spin.
                    eprintln!("linli-hub: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => return drain(stop_tx, table, limits).await,
        };
        let _ = stream.set_nodelay(true);
        let id = next_id;
        next_id += 1;
        let conn = Arc::new(Conn {
            busy: AtomicUsize::new(0),
            shed: Notify::new(),
        });
        table.lock().insert(id, Arc::clone(&conn));
        let router = router.clone();
        let table = Arc::clone(&table);
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let io = TokioIo::new(WriteDeadline::new(stream, limits.write_timeout));
            let service = {
                let conn = Arc::clone(&conn);
                hyper::service::service_fn(move |req: Request<Incoming>| {
                    let mut req = req.map(Body::new);
                    req.extensions_mut().insert(ConnectInfo(peer));
                    conn.busy.fetch_add(1, Ordering::AcqRel);
                    let guard = Busy(Arc::clone(&conn));
                    let router = router.clone();
                    async move {
                        let response = router.oneshot(req).await?;
                        Ok::<_, std::convert::Infallible>(response.map(|body| {
                            Body::new(Guarded {
                                body,
                                _guard: guard,
                            })
                        }))
                    }
                })
            };
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout);
            let connection = builder.serve_connection(io, service);
            let mut connection = std::pin::pin!(connection);
            let stopping = async {
                if !*stop.borrow_and_update() {
                    let _ = stop.changed().await;
                }
            };
            tokio::select! {
                _ = connection.as_mut() => {}
                () = conn.shed.notified() => {}
                () = stopping => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.as_mut().await;
                }
            }
            table.lock().remove(&id);
        });
    }
}

/// Stops accepting, asks every connection to finish, and waits for them up to the deadline.
async fn drain(stop: watch::Sender<bool>, table: Arc<Table>, limits: Limits) -> io::Result<()> {
    let _ = stop.send(true);
    let deadline = tokio::time::Instant::now() + limits.shutdown_deadline;
    while !table.is_empty() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    if !table.is_empty() {
        eprintln!(
            "linli-hub: {} connections still open after {:?}; closing them",
            table.len(),
            limits.shutdown_deadline
        );
    }
    Ok(())
}

/// Marks a connection busy for as long as it lives (a request and its response body).
struct Busy(Arc<Conn>);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A response body that keeps its connection marked busy until it is sent or dropped.
struct Guarded {
    body: Body,
    _guard: Busy,
}

impl http_body::Body for Guarded {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// A stream whose writes fail with `TimedOut` after stalling for the given time: a client
/// that stops reading cannot hold a connection (and its response) forever.
struct WriteDeadline<S> {
    inner: S,
    limit: Duration,
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<S> WriteDeadline<S> {
    fn new(inner: S, limit: Duration) -> Self {
        WriteDeadline {
            inner,
            limit,
            timer: None,
        }
    }

    /// A write's outcome, with the stall timer run while it is pending: an error once the
    /// stall has lasted the limit; any progress resets the timer.
    fn deadline<T>(
        &mut self,
        cx: &mut Context<'_>,
        poll: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if poll.is_ready() {
            self.timer = None;
            return poll;
        }
        let limit = self.limit;
        let timer = self
            .timer
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for WriteDeadline<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for WriteDeadline<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.deadline(cx, poll)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_flush(cx);
        self.deadline(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.deadline(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// The peer address of a request served by [`serve`].
pub fn peer<B>(req: &Request<B>) -> Option<SocketAddr> {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0)
}

/// A response `Connection: close` is added to when the request's body was not read: the
/// connection cannot be reused, and the client must know before it sends the next request.
pub fn closing(mut r: Response<Body>) -> Response<Body> {
    r.headers_mut().insert(
        axum::http::header::CONNECTION,
        axum::http::HeaderValue::from_static("close"),
    );
    r
}
