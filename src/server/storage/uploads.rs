//! Upload sessions: `_uploads/<uuid>/data` grows with each PATCH (or the body of a PUT or a
//! single POST) and is renamed into the blob store once its digest is verified.
//!
//! Sessions live in the data directory, so they survive a restart. The bytes are hashed once,
//! as they arrive: the running hasher is kept in memory beside the session's length. After a
//! restart (or any write the hasher did not see) the file is hashed again on close instead; the
//! result is the same, only slower. Writes to one session are serialised by a per-session lock,
//! so two PATCHes racing on one session cannot interleave bytes.
//!
//! A failed append (client gone, disk full) truncates the file back to where the request
//! started, so the session's length always equals bytes that were acknowledged.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Read};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

use super::atomic::{self, list_dir};
use super::{RepoName, Storage};
use crate::oci::Digest;
use crate::oci::digest::{Algorithm, Hasher};

/// Bytes buffered between the network and the file, per upload in flight.
const WRITE_BUFFER: usize = 1024 * 1024;

/// The in-memory half of the sessions: one lock and running hash per open session.
#[derive(Clone, Default)]
pub struct UploadSessions {
    /// Session id → its lock; entries are created on first use and dropped on close.
    open: Arc<Mutex<HashMap<Uuid, Arc<tokio::sync::Mutex<RunningHash>>>>>,
}

/// The hash of the first `length` bytes of a session's data, when known.
#[derive(Default)]
pub struct RunningHash {
    state: Option<(u64, Hasher)>,
}

/// Exclusive access to one session while a request writes to or closes it.
pub type SessionGuard = tokio::sync::OwnedMutexGuard<RunningHash>;

/// Why bytes could not be appended to or committed from a session.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("upload session not found")]
    Unknown,
    #[error("chunk starts at byte {start} but the upload holds {length} bytes")]
    OutOfOrder { start: u64, length: u64 },
    #[error("body had {received} bytes but {declared} were declared")]
    SizeMismatch { declared: u64, received: u64 },
    #[error("uploaded content has digest {actual}, not {expected}")]
    DigestMismatch { expected: Digest, actual: Digest },
    #[error("request body ended early: {0}")]
    Body(String),
    #[error("storage error")]
    Io(#[from] io::Error),
}

impl UploadSessions {
    /// Wait for exclusive access to session `id`.
    pub async fn lock(&self, id: Uuid) -> SessionGuard {
        let lock = {
            let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
            open.entry(id).or_default().clone()
        };
        lock.lock_owned().await
    }

    fn forget(&self, id: &Uuid) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        open.remove(id);
    }

    /// How many sessions have been touched since start and not closed.
    pub fn in_progress(&self) -> usize {
        self.open.lock().map(|open| open.len()).unwrap_or(0)
    }
}

impl Storage {
    /// Open a new, empty session in `name`.
    pub fn create_upload(&self, name: &RepoName) -> io::Result<Uuid> {
        let id = Uuid::new_v4();
        let dir = self.layout.upload_dir(name, &id);
        fs::create_dir_all(&dir)?;
        let started = httpdate::fmt_http_date(SystemTime::now());
        // Not fsynced: the timestamp only ages the session; losing it costs nothing.
        fs::write(dir.join("startedat"), started.as_bytes())?;
        fs::File::create(dir.join("data"))?;
        Ok(id)
    }

    /// The number of bytes session `id` holds, or `None` if there is no such session.
    pub fn upload_length(&self, name: &RepoName, id: &Uuid) -> io::Result<Option<u64>> {
        match fs::metadata(self.layout.upload_dir(name, id).join("data")) {
            Ok(meta) => Ok(Some(meta.len())),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// Append a request body to the session. `start` is the offset a `Content-Range` named (it
    /// must equal the current length); `declared` the length the client announced. Returns the
    /// new length.
    pub async fn append_upload<S, E>(
        &self,
        name: &RepoName,
        id: &Uuid,
        guard: &mut SessionGuard,
        start: Option<u64>,
        declared: Option<u64>,
        mut body: S,
    ) -> Result<u64, UploadError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let path = self.layout.upload_dir(name, id).join("data");
        let file = match tokio::fs::OpenOptions::new().append(true).open(&path).await {
            Ok(file) => file,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Err(UploadError::Unknown),
            Err(err) => return Err(err.into()),
        };
        let length = file.metadata().await?.len();
        if let Some(start) = start
            && start != length
        {
            return Err(UploadError::OutOfOrder { start, length });
        }

        // Keep hashing only if the running hash covers exactly the bytes on disk.
        let saved = guard.state.take();
        let mut hasher = match &saved {
            Some((offset, hasher)) if *offset == length => Some(hasher.clone()),
            None if length == 0 => Some(Hasher::new(Algorithm::Sha256)),
            _ => None,
        };

        let mut writer = tokio::io::BufWriter::with_capacity(WRITE_BUFFER, file);
        let mut received: u64 = 0;
        let outcome: Result<(), UploadError> = async {
            while let Some(chunk) = body.next().await {
                let chunk = chunk.map_err(|e| UploadError::Body(e.to_string()))?;
                if let Some(hasher) = hasher.as_mut() {
                    hasher.update(&chunk);
                }
                received += chunk.len() as u64;
                writer.write_all(&chunk).await?;
            }
            writer.flush().await?;
            match declared {
                Some(declared) if declared != received => {
                    Err(UploadError::SizeMismatch { declared, received })
                }
                _ => Ok(()),
            }
        }
        .await;

        if let Err(err) = outcome {
            // Roll back to the acknowledged length so a retry resumes from a known offset.
            let file = writer.into_inner();
            file.set_len(length).await?;
            guard.state = saved;
            return Err(err);
        }
        let new_length = length + received;
        guard.state = hasher.map(|h| (new_length, h));
        Ok(new_length)
    }

    /// Close the session: verify the whole content against `expected`, move it into the blob
    /// store and link it into `name`. A mismatch stores nothing and discards the session.
    pub async fn finish_upload(
        &self,
        name: &RepoName,
        id: &Uuid,
        guard: &mut SessionGuard,
        expected: &Digest,
    ) -> Result<u64, UploadError> {
        let dir = self.layout.upload_dir(name, id);
        let data = dir.join("data");
        let Some(length) = self.upload_length(name, id)? else {
            return Err(UploadError::Unknown);
        };
        let running = match guard.state.take() {
            Some((offset, hasher))
                if offset == length && expected.algorithm() == Algorithm::Sha256 =>
            {
                Some(hasher.finish())
            }
            _ => None,
        };

        let storage = self.clone();
        let (name, id, expected) = (name.clone(), *id, expected.clone());
        let result = tokio::task::spawn_blocking(move || -> Result<u64, UploadError> {
            let actual = match running {
                Some(digest) => digest,
                None => {
                    tracing::debug!(session = %id, "hashing upload from disk: no running hash");
                    hash_file(&data, expected.algorithm())?
                }
            };
            if actual != expected {
                let _ = atomic::remove_all(&dir);
                return Err(UploadError::DigestMismatch { expected, actual });
            }
            fs::File::open(&data)?.sync_all()?;
            storage.commit_blob(&data, &expected)?;
            storage.link_layer(&name, &expected)?;
            atomic::remove_all(&dir)?;
            Ok(length)
        })
        .await
        .map_err(|e| io::Error::other(e.to_string()))?;
        self.uploads.forget(&id);
        result
    }

    /// Abandon a session; `false` when there was none.
    pub fn cancel_upload(&self, name: &RepoName, id: &Uuid) -> io::Result<bool> {
        let dir = self.layout.upload_dir(name, id);
        if !dir.is_dir() {
            return Ok(false);
        }
        atomic::remove_all(&dir)?;
        self.uploads.forget(id);
        Ok(true)
    }

    /// Remove sessions untouched for longer than `max_age`; returns how many were removed.
    pub fn purge_uploads(&self, max_age: Duration) -> io::Result<usize> {
        let mut purged = 0;
        for name in self.repositories()? {
            let uploads = self.layout.uploads_dir(&name);
            for entry in list_dir(&uploads)? {
                let dir = uploads.join(&entry);
                if age_of(&dir.join("data")).or_else(|| age_of(&dir)) >= Some(max_age) {
                    tracing::info!(repository = %name, session = %entry, "purging stale upload session");
                    atomic::remove_all(&dir)?;
                    if let Ok(id) = entry.parse::<Uuid>() {
                        self.uploads.forget(&id);
                    }
                    purged += 1;
                }
            }
        }
        Ok(purged)
    }
}

/// How long ago `path` was last modified.
pub fn age_of(path: &Path) -> Option<Duration> {
    let modified = fs::metadata(path).and_then(|m| m.modified()).ok()?;
    Some(
        SystemTime::now()
            .duration_since(modified)
            .unwrap_or_default(),
    )
}

/// The digest of a file's content, read in large blocks.
pub fn hash_file(path: &Path, algorithm: Algorithm) -> io::Result<Digest> {
    let mut file = fs::File::open(path)?;
    let mut hasher = Hasher::new(algorithm);
    let mut buffer = vec![0u8; WRITE_BUFFER];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            return Ok(hasher.finish());
        }
        hasher.update(&buffer[..n]);
    }
}
