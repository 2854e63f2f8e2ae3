//! The registry server behind `rctl serve`: the distribution-spec v1.1 API (pull, push,
//! content discovery, content management) over a data directory in distribution's
//! filesystem-driver layout.
//!
//! Where to start reading: [`Server::run`] accepts connections (plain or TLS, HTTP/1.1 or
//! HTTP/2) and hands each request to [`service::serve_request`], which routes it
//! ([`routes::Route`]) to a handler in [`handlers`]; handlers keep all state in
//! [`storage::Storage`]. [`gc`] is the offline half: mark and sweep of the same directory.
//!
//! What it guarantees: blobs stream (memory stays flat whatever their size) and are hashed once
//! while they arrive; nothing becomes visible before its digest is verified and it has been
//! fsynced and renamed into place; upload sessions survive a restart; a client mistake is a 4xx
//! with a spec error code, never a 500 or a panic.
//!
//! Decisions:
//! - A hand-written hyper service instead of a router: repository names contain `/`, so paths
//!   are matched from their end ([`routes`]), on the raw percent-encoded text.
//! - Manifests are served as stored whatever `Accept` says; the `Content-Type` is the body's
//!   `mediaType` (or what its shape implies). Schema 1 manifests are refused on push.
//! - A mount with `from` answers 201 when `from` holds the blob; otherwise (and without `from`)
//!   it opens a session (202), as distribution does.
//! - Deleting a blob removes it from the repository only; `rctl gc` frees the bytes.
//! - An empty session answers `Range: 0-0`, like distribution and zot, which clients expect.
//! - `rctl serve` logs through its own subscriber (info level, text or JSON), scoped to the
//!   server's tasks, because the binary's default filter is for client commands.
//!
//! Deliberate limits: one process per data directory (no locking between instances); Basic
//! auth only, with every user allowed everything; listing endpoints walk the directory tree;
//! the htpasswd file is read at startup (restart to add users).

mod auth;
mod errors;
pub mod gc;
mod handlers;
mod metrics;
mod routes;
mod service;
pub mod storage;
mod tls;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tracing::instrument::WithSubscriber;

pub use auth::AuthConfig;
use auth::Htpasswd;
use handlers::App;
use storage::Storage;

use crate::error::Hinted;

/// How long requests in flight may take to finish after a shutdown signal.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

/// Everything `rctl serve` can be told.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub data: PathBuf,
    pub read_only: bool,
    pub delete_enabled: bool,
    pub auth: Option<AuthConfig>,
    /// Certificate and key PEM files; both or neither.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Upload sessions untouched for this long are removed.
    pub upload_max_age: Duration,
}

/// A configured server, ready to run on a listener.
pub struct Server {
    app: Arc<App>,
    tls: Option<tokio_rustls::TlsAcceptor>,
    upload_max_age: Duration,
}

impl Server {
    /// Open the data directory and load credentials and certificates; every problem a user can
    /// fix is reported here, before anything listens.
    pub fn new(config: ServerConfig) -> Result<Server, Hinted> {
        let storage = Storage::open(&config.data).map_err(|err| {
            Hinted::new(
                format!("cannot use data directory `{}`", config.data.display()),
                "pass a writable directory with `--data`",
            )
            .with_source(err)
        })?;
        let auth = match &config.auth {
            Some(auth) => Some(Htpasswd::load(&auth.htpasswd, auth.realm.clone())?),
            None => None,
        };
        let tls = match &config.tls {
            Some((cert, key)) => Some(tls::acceptor(cert, key)?),
            None => None,
        };
        Ok(Server {
            app: Arc::new(App {
                storage,
                read_only: config.read_only,
                delete_enabled: config.delete_enabled,
                auth,
                tls: tls.is_some(),
            }),
            tls,
            upload_max_age: config.upload_max_age,
        })
    }

    /// Serve on `listener` until `shutdown` completes, then stop accepting, let requests in
    /// flight finish (up to 30 s) and return.
    pub async fn run(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()>,
    ) -> std::io::Result<()> {
        let local = listener.local_addr()?;
        tracing::info!(
            address = %local,
            tls = self.tls.is_some(),
            auth = self.app.auth.is_some(),
            read_only = self.app.read_only,
            "accepting inbound connections"
        );
        if self.app.auth.is_none() && !local.ip().is_loopback() {
            tracing::warn!(address = %local, "serving without authentication on a non-loopback address: anyone who can reach it can push and delete; pass `--htpasswd FILE`");
        }
        let purger = tokio::spawn(
            purge_uploads(self.app.storage.clone(), self.upload_max_age).with_current_subscriber(),
        );

        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let mut connections = JoinSet::new();
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, peer)) => {
                        let _ = stream.set_nodelay(true);
                        let connection = serve_connection(self.app.clone(), self.tls.clone(), stream, peer, stop_rx.clone());
                        connections.spawn(connection.with_current_subscriber());
                    }
                    Err(err) => {
                        // Out of file descriptors and the like: back off instead of spinning.
                        tracing::warn!(error = %err, "cannot accept a connection");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                },
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
                () = &mut shutdown => break,
            }
        }

        drop(listener);
        purger.abort();
        tracing::info!(
            connections = connections.len(),
            "shutting down: finishing requests in flight"
        );
        let _ = stop_tx.send(true);
        let drained = tokio::time::timeout(DRAIN_TIMEOUT, async {
            while connections.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            tracing::warn!("requests still running after {DRAIN_TIMEOUT:?}; closing them");
        }
        Ok(())
    }
}

async fn serve_connection(
    app: Arc<App>,
    tls: Option<tokio_rustls::TlsAcceptor>,
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    stop: tokio::sync::watch::Receiver<bool>,
) {
    match tls {
        Some(acceptor) => match acceptor.accept(stream).await {
            Ok(stream) => drive(app, TokioIo::new(stream), peer, stop).await,
            Err(err) => tracing::debug!(%peer, error = %err, "TLS handshake failed"),
        },
        None => drive(app, TokioIo::new(stream), peer, stop).await,
    }
}

async fn drive<IO>(
    app: Arc<App>,
    io: IO,
    peer: SocketAddr,
    mut stop: tokio::sync::watch::Receiver<bool>,
) where
    IO: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |request| {
        service::serve_request(app.clone(), request).with_current_subscriber()
    });
    let builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    let connection = builder.serve_connection(io, service);
    tokio::pin!(connection);
    let result = tokio::select! {
        result = connection.as_mut() => result,
        _ = stop.changed() => {
            connection.as_mut().graceful_shutdown();
            connection.await
        }
    };
    if let Err(err) = result {
        tracing::debug!(%peer, error = %err, "connection ended with an error");
    }
}

/// Remove stale upload sessions at startup and then hourly.
async fn purge_uploads(storage: Storage, max_age: Duration) {
    let mut interval = tokio::time::interval(Duration::from_secs(3600));
    loop {
        interval.tick().await;
        let storage = storage.clone();
        let dispatch = tracing::dispatcher::get_default(|d| d.clone());
        let purged = tokio::task::spawn_blocking(move || {
            tracing::dispatcher::with_default(&dispatch, || storage.purge_uploads(max_age))
        })
        .await;
        match purged {
            Ok(Ok(0)) => {}
            Ok(Ok(count)) => tracing::info!(count, "purged stale upload sessions"),
            Ok(Err(err)) => tracing::warn!(error = %err, "cannot purge stale upload sessions"),
            Err(_) => {}
        }
    }
}
