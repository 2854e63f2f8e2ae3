//! Upload faults a real registry will not produce on demand, against a small fake registry:
//! a 416 in the middle of a chunked upload, recovered through the session's GET, and a 401 (an
//! expired token) on a blob PUT, answered with a fresh token and the blob sent again.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use sha2::{Digest as _, Sha256};

use crate::harness::Env;
use crate::harness::image::{Flavor, ImageBuilder};

/// What the fake registry saw and holds.
#[derive(Default)]
struct State {
    /// `METHOD path` of every request.
    requests: Vec<String>,
    /// Bytes of the upload in progress.
    upload: Vec<u8>,
    /// PATCHes seen in the current upload.
    patches: usize,
    /// Whether the 416 was already sent.
    refused: bool,
    /// Digests of completed blobs.
    blobs: Vec<String>,
    /// Require bearer tokens from `/token`, and reject the first blob PUT as if its token expired.
    tokens: bool,
    /// Tokens handed out so far (`t1`, `t2`, …).
    issued: usize,
    /// Whether the first blob PUT was already rejected.
    expired: bool,
    /// The `Authorization` of each completed blob PUT.
    put_tokens: Vec<String>,
    port: u16,
}

struct Request {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn read_request(stream: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    stream.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        stream.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    stream.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        path,
        headers,
        body,
    })
}

fn respond(stream: &mut TcpStream, status: &str, headers: &[(&str, String)]) {
    let mut text = format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    let _ = stream.write_all(text.as_bytes());
}

fn serve(state: Arc<Mutex<State>>, mut stream: TcpStream) {
    // A TLS ClientHello (rctl tries HTTPS first): answer in plain HTTP, as Go's server does.
    let mut first = [0u8; 1];
    if stream.peek(&mut first).is_ok_and(|n| n == 1) && first[0] == 0x16 {
        respond(&mut stream, "400 Bad Request", &[]);
        return;
    }
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let Some(request) = read_request(&mut reader) else {
        return;
    };
    let mut state = state.lock().unwrap();
    state
        .requests
        .push(format!("{} {}", request.method, request.path));
    let location = "/v2/app/blobs/uploads/session?_state=abc".to_string();
    let path = request.path.split('?').next().unwrap_or("").to_string();
    let authorization = request
        .headers
        .iter()
        .find(|(n, _)| n == "authorization")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let challenge = (
        "WWW-Authenticate",
        format!(
            "Bearer realm=\"http://127.0.0.1:{}/token\",service=\"fake\"",
            state.port
        ),
    );
    if state.tokens && path == "/token" {
        state.issued += 1;
        let body = format!("{{\"token\":\"t{}\",\"expires_in\":300}}", state.issued);
        let text = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = stream.write_all(text.as_bytes());
        return;
    }
    if state.tokens && !authorization.starts_with("Bearer t") {
        respond(&mut stream, "401 Unauthorized", &[challenge]);
        return;
    }
    if state.tokens
        && request.method == "PUT"
        && path == "/v2/app/blobs/uploads/session"
        && !state.expired
    {
        state.expired = true;
        respond(&mut stream, "401 Unauthorized", &[challenge]);
        return;
    }
    match (request.method.as_str(), path.as_str()) {
        ("GET", "/v2/") => respond(&mut stream, "200 OK", &[]),
        ("HEAD", _) => respond(&mut stream, "404 Not Found", &[]),
        ("POST", "/v2/app/blobs/uploads/") => {
            state.upload.clear();
            state.patches = 0;
            respond(&mut stream, "202 Accepted", &[("Location", location)]);
        }
        ("PATCH", "/v2/app/blobs/uploads/session") => {
            state.patches += 1;
            if state.patches == 2 && !state.refused {
                // Pretend half of the first chunk was lost: the client must ask where we are.
                state.refused = true;
                let keep = state.upload.len() / 2;
                state.upload.truncate(keep);
                respond(&mut stream, "416 Range Not Satisfiable", &[]);
                return;
            }
            let start: usize = request
                .headers
                .iter()
                .find(|(n, _)| n == "content-range")
                .and_then(|(_, v)| v.split('-').next()?.parse().ok())
                .unwrap_or(usize::MAX);
            if start != state.upload.len() {
                respond(&mut stream, "416 Range Not Satisfiable", &[]);
                return;
            }
            state.upload.extend_from_slice(&request.body);
            let range = format!("0-{}", state.upload.len().saturating_sub(1));
            respond(
                &mut stream,
                "202 Accepted",
                &[("Location", location), ("Range", range)],
            );
        }
        ("GET", "/v2/app/blobs/uploads/session") => {
            let range = format!("0-{}", state.upload.len().saturating_sub(1));
            respond(&mut stream, "204 No Content", &[("Range", range)]);
        }
        ("PUT", "/v2/app/blobs/uploads/session") => {
            let digest = request
                .path
                .split("digest=")
                .nth(1)
                .unwrap_or("")
                .replace("%3A", ":");
            let mut upload = std::mem::take(&mut state.upload);
            upload.extend_from_slice(&request.body);
            let actual = format!("sha256:{:x}", Sha256::digest(&upload));
            if actual == digest {
                state.blobs.push(digest);
                state.put_tokens.push(authorization);
                respond(&mut stream, "201 Created", &[]);
            } else {
                respond(&mut stream, "400 Bad Request", &[]);
            }
        }
        ("PUT", _) if path.starts_with("/v2/app/manifests/") => {
            let digest = format!("sha256:{:x}", Sha256::digest(&request.body));
            respond(
                &mut stream,
                "201 Created",
                &[("Docker-Content-Digest", digest)],
            );
        }
        _ => respond(&mut stream, "404 Not Found", &[]),
    }
}

/// Start the fake registry; `tokens` turns on bearer auth with an expiring first PUT.
fn start(tokens: bool) -> (u16, Arc<Mutex<State>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let state = Arc::new(Mutex::new(State {
        tokens,
        port,
        ..State::default()
    }));
    let shared = state.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            serve(shared.clone(), stream);
        }
    });
    (port, state)
}

#[test]
fn a_401_mid_upload_gets_a_fresh_token_and_the_blob_starts_over() {
    let (port, state) = start(true);
    let image = ImageBuilder::new(Flavor::Oci)
        .file("etc/hello", b"hello")
        .build();
    let dir = tempfile::tempdir().unwrap();
    image.write_layout(&dir.path().join("layout"), "v1");
    let env = Env::new();
    let source = format!("oci:{}:v1", dir.path().join("layout").display());
    let run = env.run(&[
        "copy",
        "--jobs",
        "1",
        &source,
        &format!("127.0.0.1:{port}/app:v1"),
    ]);
    run.ok();

    let state = state.lock().unwrap();
    assert!(state.expired);
    assert!(
        state.issued >= 2,
        "no fresh token was fetched: {}",
        state.issued
    );
    assert!(
        state.blobs.contains(&image.layers[0].digest),
        "{:?}",
        state.blobs
    );
    assert!(
        state.put_tokens.iter().all(|t| t != "Bearer t1"),
        "{:?}",
        state.put_tokens
    );
}

#[test]
fn a_416_mid_chunked_upload_is_recovered_through_the_session() {
    let (port, state) = start(false);

    let image = ImageBuilder::new(Flavor::Oci)
        .file("etc/hello", b"hello")
        .random_layer(300 * 1024, 7)
        .build();
    let dir = tempfile::tempdir().unwrap();
    image.write_layout(&dir.path().join("layout"), "v1");
    let env = Env::new();
    let source = format!("oci:{}:v1", dir.path().join("layout").display());
    let run = env.run(&[
        "copy",
        "--jobs",
        "1",
        "--chunk-size",
        "65536",
        &source,
        &format!("127.0.0.1:{port}/app:v1"),
    ]);
    run.ok();

    let state = state.lock().unwrap();
    let big = &image.layers[1];
    assert!(state.blobs.contains(&big.digest), "{:?}", state.blobs);
    assert!(
        state
            .requests
            .iter()
            .any(|r| r.starts_with("GET /v2/app/blobs/uploads/session")),
        "{:?}",
        state.requests
    );
    assert!(state.refused);
}
