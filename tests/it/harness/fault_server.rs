//! A fake registry for the faults a real one will not produce on demand: a blob redirect to
//! another host, 429 with `Retry-After`, a connection dropped mid-response, and a web server
//! that is not a registry at all.
//!
//! It speaks just enough HTTP/1.1 (one request per connection, `Connection: close`) to serve
//! one image: `/v2/` answers a Bearer challenge whose realm is this server's `/token`, which
//! hands out an anonymous token; manifests, blobs and tags need that token. Every request is
//! recorded with its `Host` and `Authorization` headers so tests can see what rctl sent where.
//! It is plain HTTP on `127.0.0.1` only; nothing else about a registry is imitated.

use std::net::TcpListener as StdListener;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use super::image::{Blob, Image};

/// The bearer token the fault server issues and expects.
pub const FAULT_TOKEN: &str = "fault-server-token";

/// What goes wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Nothing: a well-behaved registry.
    None,
    /// Blob GETs answer `307` to the same server named `localhost` instead of `127.0.0.1`: another
    /// host, so credentials must not follow.
    RedirectBlobs,
    /// The first `times` manifest requests answer `429` with `Retry-After: retry_after` (seconds)
    /// and Docker Hub's `RateLimit-*` headers.
    TooManyRequests { times: usize, retry_after: u64 },
    /// The first `times` manifest requests get half a status line, then the connection closes.
    DropConnection { times: usize },
    /// Every request answers `404` with an HTML page: a web server, not a registry.
    NotARegistry,
}

/// One request the server saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: String,
    /// Path and query.
    pub path: String,
    /// The `Host` header.
    pub host: String,
    pub authorization: Option<String>,
}

struct State {
    fault: Fault,
    repository: String,
    tag: String,
    image: Image,
    port: u16,
    /// Manifest requests so far, for faults that stop after a number of them.
    manifest_requests: usize,
    requests: Vec<RecordedRequest>,
}

/// A running fault server, stopped when dropped.
pub struct FaultServer {
    pub port: u16,
    /// `127.0.0.1:PORT`
    pub address: String,
    state: Arc<Mutex<State>>,
    /// Owns the accept loop; dropping it stops the server.
    _runtime: tokio::runtime::Runtime,
}

impl FaultServer {
    /// Serve `image` as `repository:tag`, misbehaving as `fault` says.
    pub fn start(fault: Fault, repository: &str, tag: &str, image: Image) -> FaultServer {
        let listener = StdListener::bind("127.0.0.1:0").expect("bind the fault server");
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State {
            fault,
            repository: repository.to_string(),
            tag: tag.to_string(),
            image,
            port,
            manifest_requests: 0,
            requests: Vec::new(),
        }));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        runtime.spawn(accept_loop(listener, state.clone()));
        FaultServer {
            port,
            address: format!("127.0.0.1:{port}"),
            state,
            _runtime: runtime,
        }
    }

    /// `127.0.0.1:PORT/<path>`
    pub fn reference(&self, path: &str) -> String {
        format!("{}/{path}", self.address)
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.lock().unwrap().requests.clone()
    }

    /// The requests whose path contains `part`.
    pub fn requests_to(&self, part: &str) -> Vec<RecordedRequest> {
        self.requests()
            .into_iter()
            .filter(|r| r.path.contains(part))
            .collect()
    }
}

async fn accept_loop(listener: StdListener, state: Arc<Mutex<State>>) {
    listener.set_nonblocking(true).unwrap();
    let listener = tokio::net::TcpListener::from_std(listener).unwrap();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let state = state.clone();
        tokio::spawn(async move {
            let _ = serve(stream, state).await;
        });
    }
}

/// What to send back.
enum Reply {
    Response {
        status: &'static str,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
        head_only: bool,
    },
    Drop,
}

fn reply(status: &'static str, headers: Vec<(String, String)>, body: Vec<u8>) -> Reply {
    Reply::Response {
        status,
        headers,
        body,
        head_only: false,
    }
}

async fn serve(stream: TcpStream, state: Arc<Mutex<State>>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream);

    // A TLS ClientHello (record type 0x16) gets the 400 a real plain-HTTP server sends, which
    // is how a client learns that this server speaks plain HTTP.
    if reader.fill_buf().await?.first() == Some(&0x16) {
        let mut stream = reader.into_inner();
        stream
            .write_all(
                b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
            )
            .await?;
        return stream.shutdown().await;
    }

    let mut request_line = String::new();
    reader.read_line(&mut request_line).await?;
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();

    let mut host = String::new();
    let mut authorization = None;
    let mut content_length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            let value = value.trim().to_string();
            match name.trim().to_ascii_lowercase().as_str() {
                "host" => host = value,
                "authorization" => authorization = Some(value),
                "content-length" => content_length = value.parse().unwrap_or(0),
                _ => {}
            }
        }
    }
    let mut body = vec![0; content_length];
    reader.read_exact(&mut body).await?;

    let request = RecordedRequest {
        method,
        path,
        host,
        authorization,
    };
    let answer = {
        let mut state = state.lock().unwrap();
        state.requests.push(request.clone());
        route(&mut state, &request)
    };

    let mut stream = reader.into_inner();
    match answer {
        Reply::Drop => {
            stream.write_all(b"HTTP/1.1 2").await?;
            stream.flush().await?;
        }
        Reply::Response {
            status,
            headers,
            body,
            head_only,
        } => {
            let mut head = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
            for (name, value) in &headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
            stream.write_all(head.as_bytes()).await?;
            if !head_only {
                stream.write_all(&body).await?;
            }
            stream.flush().await?;
        }
    }
    stream.shutdown().await
}

fn route(state: &mut State, request: &RecordedRequest) -> Reply {
    let path = request.path.split('?').next().unwrap_or_default();
    if state.fault == Fault::NotARegistry {
        let page = b"<html><body><h1>404 Not Found</h1></body></html>".to_vec();
        return reply("404 Not Found", vec![content_type("text/html")], page);
    }
    if path == "/token" {
        let body = format!(r#"{{"token":"{FAULT_TOKEN}","expires_in":300}}"#);
        return reply(
            "200 OK",
            vec![content_type("application/json")],
            body.into(),
        );
    }
    if let Some(digest) = path.strip_prefix("/redirected/") {
        return match find_blob(&state.image, digest) {
            Some(blob) => blob_reply(blob),
            None => not_found("BLOB_UNKNOWN"),
        };
    }

    let challenge = (
        "WWW-Authenticate".to_string(),
        format!(
            r#"Bearer realm="http://127.0.0.1:{}/token",service="fault-server""#,
            state.port
        ),
    );
    let authorized = request.authorization.as_deref() == Some(&format!("Bearer {FAULT_TOKEN}"));
    if !authorized {
        let body = br#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#;
        return reply(
            "401 Unauthorized",
            vec![challenge, content_type("application/json")],
            body.to_vec(),
        );
    }
    if path == "/v2/" {
        return reply(
            "200 OK",
            vec![content_type("application/json")],
            b"{}".to_vec(),
        );
    }

    let repository_prefix = format!("/v2/{}/", state.repository);
    let Some(rest) = path.strip_prefix(&repository_prefix) else {
        return not_found("NAME_UNKNOWN");
    };
    if let Some(reference) = rest.strip_prefix("manifests/") {
        state.manifest_requests += 1;
        let count = state.manifest_requests;
        match state.fault {
            Fault::TooManyRequests { times, retry_after } if count <= times => {
                let headers = vec![
                    ("Retry-After".to_string(), retry_after.to_string()),
                    ("RateLimit-Limit".to_string(), "100;w=21600".to_string()),
                    ("RateLimit-Remaining".to_string(), "0;w=21600".to_string()),
                    content_type("application/json"),
                ];
                let body =
                    br#"{"errors":[{"code":"TOOMANYREQUESTS","message":"rate limit exceeded"}]}"#;
                return reply("429 Too Many Requests", headers, body.to_vec());
            }
            Fault::DropConnection { times } if count <= times => return Reply::Drop,
            _ => {}
        }
        let manifest = &state.image.manifest;
        if reference != state.tag && reference != manifest.digest {
            return not_found("MANIFEST_UNKNOWN");
        }
        let mut answer = blob_reply(manifest);
        if let Reply::Response { head_only, .. } = &mut answer {
            *head_only = request.method == "HEAD";
        }
        return answer;
    }
    if let Some(digest) = rest.strip_prefix("blobs/") {
        if state.fault == Fault::RedirectBlobs {
            let location = format!("http://localhost:{}/redirected/{digest}", state.port);
            return reply(
                "307 Temporary Redirect",
                vec![("Location".to_string(), location)],
                Vec::new(),
            );
        }
        return match find_blob(&state.image, digest) {
            Some(blob) => blob_reply(blob),
            None => not_found("BLOB_UNKNOWN"),
        };
    }
    if rest == "tags/list" {
        let body = format!(
            r#"{{"name":"{}","tags":["{}"]}}"#,
            state.repository, state.tag
        );
        return reply(
            "200 OK",
            vec![content_type("application/json")],
            body.into(),
        );
    }
    not_found("NAME_UNKNOWN")
}

fn find_blob<'a>(image: &'a Image, digest: &str) -> Option<&'a Blob> {
    image.blobs().into_iter().find(|b| b.digest == digest)
}

fn blob_reply(blob: &Blob) -> Reply {
    reply(
        "200 OK",
        vec![
            content_type(&blob.media_type),
            ("Docker-Content-Digest".to_string(), blob.digest.clone()),
        ],
        blob.bytes.clone(),
    )
}

fn not_found(code: &str) -> Reply {
    let body = format!(r#"{{"errors":[{{"code":"{code}","message":"not found"}}]}}"#);
    reply(
        "404 Not Found",
        vec![content_type("application/json")],
        body.into(),
    )
}

fn content_type(value: &str) -> (String, String) {
    ("Content-Type".to_string(), value.to_string())
}
