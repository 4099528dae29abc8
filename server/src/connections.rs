//! Serving TCP connections so that idle or slow clients cannot hold the
//! server's file descriptors: a cap on open connections, a time limit on
//! receiving each request head, and an idle limit on any connection that
//! neither sends nor receives a byte. (`axum::serve` has none of these.)
//!
//! HTTP/1.1 only: hyper's header timeout exists for HTTP/1 alone, and an
//! unencrypted HTTP/2 connection (h2c, which no browser speaks) could sit
//! idle forever.

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio::time::{Instant, Sleep};
use tower::ServiceExt;

/// How connections are held to account; see `Config` for each.
#[derive(Clone, Copy, Debug)]
pub struct ConnectionLimits {
    /// From the moment the server waits for a request (a new connection,
    /// or the end of the previous response) to its last header line.
    pub header_timeout: Duration,
    /// Longest time a connection may go without a byte read or written.
    pub idle_timeout: Duration,
    /// Connections open at once; more wait in the kernel's accept queue.
    pub max_connections: usize,
}

/// Accepts and serves connections until `stopping` turns `true`; then
/// accepts no more, asks each connection to finish its request in flight
/// and close, and returns once all have (the caller bounds the wait).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    mut stopping: watch::Receiver<bool>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    // Each connection task holds a receiver; `closed()` resolves when the
    // last one is gone.
    let (all_closed, open) = watch::channel(());
    loop {
        let accepted = tokio::select! {
            biased;
            _ = stopping.wait_for(|s| *s) => break,
            accepted = accept_within(&listener, &slots) => accepted,
        };
        let Some((stream, peer, slot)) = accepted else {
            continue;
        };
        let router = router.clone();
        let stopping = stopping.clone();
        let open = open.clone();
        tokio::spawn(async move {
            serve_connection(stream, peer, router, limits, stopping).await;
            drop(slot);
            drop(open);
        });
    }
    drop(listener);
    drop(open);
    all_closed.closed().await;
}

/// Waits for a free slot, then for a connection. `None` when accepting
/// failed: per-connection errors are skipped; running out of file
/// descriptors pauses accepting for a moment instead of spinning.
async fn accept_within(
    listener: &TcpListener,
    slots: &Arc<Semaphore>,
) -> Option<(TcpStream, SocketAddr, tokio::sync::OwnedSemaphorePermit)> {
    let slot = slots.clone().acquire_owned().await.ok()?;
    match listener.accept().await {
        Ok((stream, peer)) => Some((stream, peer, slot)),
        Err(error) if is_per_connection(&error) => None,
        Err(error) => {
            tracing::error!(%error, "accepting connections failed; pausing 1 s");
            tokio::time::sleep(Duration::from_secs(1)).await;
            None
        }
    }
}

/// Errors about one connection (which may be retried at once), as hyper
/// and axum tell them apart.
fn is_per_connection(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    limits: ConnectionLimits,
    mut stopping: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let io = TokioIo::new(IdleTimeout::new(stream, limits.idle_timeout));
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        // What `into_make_service_with_connect_info` would insert.
        request.extensions_mut().insert(ConnectInfo(peer));
        router.clone().oneshot(request)
    });
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let connection = http.serve_connection(io, service);
    tokio::pin!(connection);
    tokio::select! {
        result = connection.as_mut() => {
            if let Err(error) = result {
                tracing::debug!(%error, %peer, "connection ended");
            }
            return;
        }
        _ = stopping.wait_for(|s| *s) => connection.as_mut().graceful_shutdown(),
    }
    if let Err(error) = connection.await {
        tracing::debug!(%error, %peer, "connection ended while stopping");
    }
}

/// A stream that fails with `TimedOut` once it has gone `idle` without
/// reading or writing a byte while the connection waits on it. The timer
/// is re-armed lazily (on expiry, from the last activity), so busy
/// connections pay one `Instant::now()` per read or write, not a timer
/// update.
struct IdleTimeout {
    inner: TcpStream,
    idle: Duration,
    last_activity: Instant,
    timer: Pin<Box<Sleep>>,
}

impl IdleTimeout {
    fn new(inner: TcpStream, idle: Duration) -> IdleTimeout {
        let now = Instant::now();
        IdleTimeout {
            inner,
            idle,
            last_activity: now,
            timer: Box::pin(tokio::time::sleep_until(now + idle)),
        }
    }

    /// Called when the stream would block: `Pending` (with the timer
    /// registered to wake us) until `idle` has passed since the last
    /// activity, then the error that closes the connection.
    fn poll_idle<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        loop {
            if self.timer.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            let due = self.last_activity + self.idle;
            if Instant::now() >= due {
                return Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "connection idle for too long",
                )));
            }
            self.timer.as_mut().reset(due);
        }
    }
}

impl AsyncRead for IdleTimeout {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Pending => this.poll_idle(cx),
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    this.last_activity = Instant::now();
                }
                Poll::Ready(Ok(()))
            }
            ready => ready,
        }
    }
}

impl IdleTimeout {
    /// A write that moved bytes is activity; one that must wait counts
    /// toward the idle timeout. (Shared by both write paths.)
    fn after_write(
        &mut self,
        cx: &mut Context<'_>,
        written: Poll<io::Result<usize>>,
    ) -> Poll<io::Result<usize>> {
        match written {
            Poll::Pending => self.poll_idle(cx),
            Poll::Ready(Ok(n)) => {
                if n > 0 {
                    self.last_activity = Instant::now();
                }
                Poll::Ready(Ok(n))
            }
            ready => ready,
        }
    }
}

impl AsyncWrite for IdleTimeout {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let written = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.after_write(cx, written)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let written = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.after_write(cx, written)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// The default cap on connections: 16,384, but never more than the
/// process's open-file limit leaves room for (the database, logs and files
/// need some too).
pub fn default_max_connections() -> usize {
    const DEFAULT: usize = 16_384;
    const RESERVE: usize = 256;
    match open_file_limit() {
        Some(limit) if limit > 2 * RESERVE => DEFAULT.min(limit - RESERVE),
        Some(limit) => (limit / 2).max(1),
        None => DEFAULT,
    }
}

/// The soft `RLIMIT_NOFILE`, when there is one.
#[cfg(unix)]
fn open_file_limit() -> Option<usize> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes only into the struct we pass, which lives
    // for the whole call.
    let read = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    if read != 0 || limit.rlim_cur == libc::RLIM_INFINITY {
        return None;
    }
    usize::try_from(limit.rlim_cur).ok()
}

#[cfg(not(unix))]
fn open_file_limit() -> Option<usize> {
    None
}
