//! A fake registry for the faults a real one will not produce on demand: blob redirects to
//! another host or down to plain HTTP, 429 with `Retry-After`, 503, a connection dropped
//! mid-response, a body cut short, paged tag lists, paged referrers answers, a relative token
//! realm, and a web server
//! that is not a registry at all (see [`Fault`]).
//!
//! It speaks just enough HTTP/1.1 (one request per connection, `Connection: close`) to serve
//! one image: `/v2/` answers a Bearer challenge whose realm is this server's `/token`, which
//! hands out an anonymous token; manifests, blobs and tags need that token. Every request is
//! recorded with its `Host` and `Authorization` headers so tests can see what rctl sent where.
//! It listens on `127.0.0.1` only, over plain HTTP or HTTPS with the test certificates; nothing
//! else about a registry is imitated.

use std::net::TcpListener as StdListener;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};

use super::certs::TestCerts;
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
    /// Blob GETs answer `307` to `{base}/redirected/<digest>`, such as another fault server
    /// (`http://127.0.0.1:PORT`), which serves the blob without asking for a token.
    RedirectBlobsTo { base: String },
    /// The first `times` manifest requests answer `429` with `Retry-After: retry_after` (seconds)
    /// and Docker Hub's `RateLimit-*` headers.
    TooManyRequests { times: usize, retry_after: u64 },
    /// The first `times` manifest requests answer `503 Service Unavailable` without
    /// `Retry-After`.
    Unavailable { times: usize },
    /// The first `times` manifest requests get half a status line, then the connection closes.
    DropConnection { times: usize },
    /// The first `times` GETs of each manifest and blob path get their headers and half the
    /// body, then the connection closes.
    TruncateBody { times: usize },
    /// The tag list holds `tags` and comes in pages of `page` tags, each linking to the next
    /// with a relative `Link: <…?n=PAGE&last=TAG>; rel="next"` header.
    PagedTags { tags: Vec<String>, page: usize },
    /// The image has `referrers`, which the referrers API lists in pages of `page` descriptors,
    /// each linking to the next with a relative `Link: <…?page=N>; rel="next"` header.
    PagedReferrers {
        referrers: Vec<Referrer>,
        page: usize,
    },
    /// The challenge names a relative realm, `realm="/token"`, to be resolved against the
    /// registry's URL.
    RelativeRealm,
    /// Every request answers `404` with an HTML page: a web server, not a registry.
    NotARegistry,
    /// Manifest requests need a token that also grants the scope `extra`: a token without it
    /// gets `401` with `error="insufficient_scope"` naming the wider scope.
    InsufficientScope { extra: String },
    /// Manifest requests answer `403` with a `DENIED` error body, as registries with
    /// repository permissions do.
    Forbidden,
}

/// A manifest that refers to the served image (a signature), with the blobs it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referrer {
    pub manifest: Blob,
    pub blobs: Vec<Blob>,
}

impl Referrer {
    /// A signature-like artifact of `subject`, told apart from others by `n`.
    pub fn signature(subject: &Blob, n: usize) -> Referrer {
        let config = Blob::new("application/vnd.oci.empty.v1+json", b"{}".to_vec());
        let payload = Blob::new(
            "application/octet-stream",
            format!("signature {n}").into_bytes(),
        );
        let body = serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "artifactType": "application/vnd.example.signature",
            "config": config.descriptor(),
            "layers": [payload.descriptor()],
            "subject": subject.descriptor(),
        });
        let manifest = Blob::new(
            "application/vnd.oci.image.manifest.v1+json",
            serde_json::to_vec(&body).unwrap(),
        );
        Referrer {
            manifest,
            blobs: vec![config, payload],
        }
    }

    /// The descriptor a referrers answer lists.
    fn descriptor(&self) -> serde_json::Value {
        let mut descriptor = self.manifest.descriptor();
        descriptor["artifactType"] = "application/vnd.example.signature".into();
        descriptor
    }
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
    /// `http` or `https`, for the URLs the server hands out.
    scheme: &'static str,
    /// Manifest requests so far, for faults that stop after a number of them.
    manifest_requests: usize,
    /// Responses cut short so far per path, for [`Fault::TruncateBody`].
    truncated: std::collections::HashMap<String, usize>,
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
    /// Serve `image` as `repository:tag` over plain HTTP, misbehaving as `fault` says.
    pub fn start(fault: Fault, repository: &str, tag: &str, image: Image) -> FaultServer {
        FaultServer::launch(fault, repository, tag, image, None)
    }

    /// As [`FaultServer::start`], over HTTPS with `certs.server_cert`.
    pub fn start_tls(
        fault: Fault,
        repository: &str,
        tag: &str,
        image: Image,
        certs: &TestCerts,
    ) -> FaultServer {
        let tls = super::token_server::server_tls_config(certs);
        FaultServer::launch(fault, repository, tag, image, Some(tls))
    }

    fn launch(
        fault: Fault,
        repository: &str,
        tag: &str,
        image: Image,
        tls: Option<Arc<rustls::ServerConfig>>,
    ) -> FaultServer {
        let listener = StdListener::bind("127.0.0.1:0").expect("bind the fault server");
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State {
            fault,
            repository: repository.to_string(),
            tag: tag.to_string(),
            image,
            port,
            scheme: if tls.is_some() { "https" } else { "http" },
            manifest_requests: 0,
            truncated: Default::default(),
            requests: Vec::new(),
        }));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        runtime.spawn(accept_loop(listener, tls, state.clone()));
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

async fn accept_loop(
    listener: StdListener,
    tls: Option<Arc<rustls::ServerConfig>>,
    state: Arc<Mutex<State>>,
) {
    listener.set_nonblocking(true).unwrap();
    let listener = tokio::net::TcpListener::from_std(listener).unwrap();
    let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let state = state.clone();
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            let _ = match acceptor {
                Some(acceptor) => match acceptor.accept(stream).await {
                    Ok(stream) => serve(stream, state).await,
                    Err(_) => Ok(()),
                },
                None => serve(stream, state).await,
            };
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
    /// Send the response with only the first half of the body, then close.
    Truncate(Box<Reply>),
}

fn reply(status: &'static str, headers: Vec<(String, String)>, body: Vec<u8>) -> Reply {
    Reply::Response {
        status,
        headers,
        body,
        head_only: false,
    }
}

async fn serve<S: AsyncRead + AsyncWrite + Unpin>(
    stream: S,
    state: Arc<Mutex<State>>,
) -> std::io::Result<()> {
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
    let (answer, truncate) = match answer {
        Reply::Truncate(inner) => (*inner, true),
        other => (other, false),
    };
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
            if truncate {
                stream.write_all(&body[..body.len() / 2]).await?;
            } else if !head_only {
                stream.write_all(&body).await?;
            }
            stream.flush().await?;
        }
        Reply::Truncate(_) => unreachable!("truncation is not nested"),
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
        let token = match &state.fault {
            Fault::InsufficientScope { extra }
                if request
                    .path
                    .contains(&extra.replace(':', "%3A").replace('/', "%2F")) =>
            {
                format!("{FAULT_TOKEN}-wide")
            }
            _ => FAULT_TOKEN.to_string(),
        };
        let body = format!(r#"{{"token":"{token}","expires_in":300}}"#);
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

    let realm = match state.fault {
        Fault::RelativeRealm => "/token".to_string(),
        _ => format!("{}://127.0.0.1:{}/token", state.scheme, state.port),
    };
    let challenge = (
        "WWW-Authenticate".to_string(),
        format!(r#"Bearer realm="{realm}",service="fault-server""#),
    );
    let wide = request.authorization.as_deref() == Some(&format!("Bearer {FAULT_TOKEN}-wide"));
    let authorized =
        wide || request.authorization.as_deref() == Some(&format!("Bearer {FAULT_TOKEN}"));
    if let Fault::InsufficientScope { extra } = &state.fault
        && authorized
        && !wide
        && path.contains("/manifests/")
    {
        let scope = format!("repository:{}:pull {extra}", state.repository);
        let challenge = format!(
            r#"Bearer realm="{}://127.0.0.1:{}/token",service="fault-server",scope="{scope}",error="insufficient_scope""#,
            state.scheme, state.port
        );
        let body = br#"{"errors":[{"code":"UNAUTHORIZED","message":"insufficient scope"}]}"#;
        return reply(
            "401 Unauthorized",
            vec![
                ("WWW-Authenticate".to_string(), challenge),
                content_type("application/json"),
            ],
            body.to_vec(),
        );
    }
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
    let get = request.method == "GET";
    let truncate = match state.fault {
        Fault::TruncateBody { times } if get => {
            let cut = state.truncated.entry(path.to_string()).or_default();
            *cut += 1;
            *cut <= times
        }
        _ => false,
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
            Fault::Forbidden => {
                let body = br#"{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}"#;
                let headers = vec![content_type("application/json")];
                return reply("403 Forbidden", headers, body.to_vec());
            }
            Fault::Unavailable { times } if count <= times => {
                let body = br#"{"errors":[{"code":"UNAVAILABLE","message":"try again"}]}"#;
                let headers = vec![content_type("application/json")];
                return reply("503 Service Unavailable", headers, body.to_vec());
            }
            _ => {}
        }
        let manifest = if reference == state.tag || reference == state.image.manifest.digest {
            &state.image.manifest
        } else if let Some(referrer) = referrers(state)
            .iter()
            .find(|r| r.manifest.digest == reference)
        {
            &referrer.manifest
        } else {
            return not_found("MANIFEST_UNKNOWN");
        };
        let mut answer = blob_reply(manifest);
        if let Reply::Response { head_only, .. } = &mut answer {
            *head_only = request.method == "HEAD";
        }
        return truncated(answer, truncate);
    }
    if let Some(digest) = rest.strip_prefix("blobs/") {
        let redirect = match &state.fault {
            Fault::RedirectBlobs => Some(format!("{}://localhost:{}", state.scheme, state.port)),
            Fault::RedirectBlobsTo { base } => Some(base.clone()),
            _ => None,
        };
        if let Some(base) = redirect {
            let location = format!("{base}/redirected/{digest}");
            return reply(
                "307 Temporary Redirect",
                vec![("Location".to_string(), location)],
                Vec::new(),
            );
        }
        let referred = referrers(state).iter().flat_map(|r| &r.blobs);
        let blob = find_blob(&state.image, digest)
            .or_else(|| referred.into_iter().find(|b| b.digest == digest));
        return match blob {
            Some(blob) => truncated(blob_reply(blob), truncate),
            None => not_found("BLOB_UNKNOWN"),
        };
    }
    if rest == "tags/list" {
        return tag_page(state, request);
    }
    if let Some(digest) = rest.strip_prefix("referrers/")
        && let Fault::PagedReferrers { page, .. } = state.fault
    {
        return referrers_page(state, request, digest, page);
    }
    not_found("NAME_UNKNOWN")
}

/// One page of the tag list: everything after the `last` query parameter, `page` at a time.
fn tag_page(state: &State, request: &RecordedRequest) -> Reply {
    let (tags, page) = match &state.fault {
        Fault::PagedTags { tags, page } => (tags.clone(), *page),
        _ => (vec![state.tag.clone()], usize::MAX),
    };
    let query = request.path.split_once('?').map(|(_, q)| q).unwrap_or("");
    let last = url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "last")
        .map(|(_, v)| v.into_owned());
    let start = match last {
        Some(last) => tags
            .iter()
            .position(|t| *t == last)
            .map_or(tags.len(), |i| i + 1),
        None => 0,
    };
    let end = start.saturating_add(page).min(tags.len());
    let body = serde_json::json!({"name": state.repository, "tags": tags[start..end]});
    let mut headers = vec![content_type("application/json")];
    if end < tags.len() {
        let link = format!(
            r#"</v2/{}/tags/list?n={page}&last={}>; rel="next""#,
            state.repository,
            tags[end - 1]
        );
        headers.push(("Link".to_string(), link));
    }
    reply("200 OK", headers, body.to_string().into_bytes())
}

fn referrers(state: &State) -> &[Referrer] {
    match &state.fault {
        Fault::PagedReferrers { referrers, .. } => referrers,
        _ => &[],
    }
}

fn referrers_page(state: &State, request: &RecordedRequest, digest: &str, page: usize) -> Reply {
    let query = request.path.split_once('?').map(|(_, q)| q).unwrap_or("");
    let number: usize = url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "page")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let all: Vec<serde_json::Value> = if digest == state.image.manifest.digest {
        referrers(state).iter().map(Referrer::descriptor).collect()
    } else {
        Vec::new()
    };
    let start = number.saturating_mul(page).min(all.len());
    let end = start.saturating_add(page).min(all.len());
    let body = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": all[start..end],
    });
    let mut headers = vec![content_type("application/vnd.oci.image.index.v1+json")];
    if end < all.len() {
        let link = format!(
            r#"</v2/{}/referrers/{digest}?page={}>; rel="next""#,
            state.repository,
            number + 1
        );
        headers.push(("Link".to_string(), link));
    }
    reply("200 OK", headers, body.to_string().into_bytes())
}

fn truncated(reply: Reply, truncate: bool) -> Reply {
    if truncate {
        Reply::Truncate(Box::new(reply))
    } else {
        reply
    }
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
