//! Raw HTTP through `curl`, for the spec scenarios: status, headers and body exactly as the
//! server sent them.

use std::process::Command;

/// One response.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", self.text()))
    }

    /// The first error code of a spec error body.
    pub fn error_code(&self) -> String {
        self.json()["errors"][0]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

/// A request under construction.
pub struct Request {
    method: String,
    url: String,
    headers: Vec<String>,
    body: Option<Vec<u8>>,
    extra: Vec<String>,
}

pub fn request(method: &str, url: &str) -> Request {
    Request {
        method: method.to_string(),
        url: url.to_string(),
        headers: Vec::new(),
        body: None,
        extra: Vec::new(),
    }
}

impl Request {
    pub fn header(mut self, name: &str, value: &str) -> Request {
        self.headers.push(format!("{name}: {value}"));
        self
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Request {
        self.body = Some(body.into());
        self
    }

    /// Extra curl arguments (`--cacert`, `-u`).
    pub fn curl_args(mut self, args: &[&str]) -> Request {
        self.extra.extend(args.iter().map(|s| s.to_string()));
        self
    }

    #[track_caller]
    pub fn send(self) -> Reply {
        let dir = tempfile::tempdir().unwrap();
        let headers_file = dir.path().join("headers");
        let body_file = dir.path().join("body");
        let mut command = Command::new("curl");
        command
            .args(["-sS", "-g", "--path-as-is", "-X", &self.method])
            .arg("-D")
            .arg(&headers_file)
            .arg("-o")
            .arg(&body_file)
            .args(&self.extra);
        if self.method == "HEAD" {
            command.arg("-I");
        }
        for header in &self.headers {
            command.args(["-H", header]);
        }
        if let Some(body) = &self.body {
            let input = dir.path().join("input");
            std::fs::write(&input, body).unwrap();
            command
                .arg("--data-binary")
                .arg(format!("@{}", input.display()));
            if !self
                .headers
                .iter()
                .any(|h| h.to_lowercase().starts_with("content-type"))
            {
                command.args(["-H", "Content-Type: application/octet-stream"]);
            }
        }
        command.arg(&self.url);
        let output = command.output().expect("run curl");
        assert!(
            output.status.success(),
            "curl {} {} failed: {}",
            self.method,
            self.url,
            String::from_utf8_lossy(&output.stderr)
        );
        let raw = std::fs::read_to_string(&headers_file).unwrap_or_default();
        // With -I (HEAD), curl writes headers to stdout as well; use the dump file.
        let block = raw
            .trim_end()
            .rsplit("\r\n\r\n")
            .next()
            .unwrap_or("")
            .to_string();
        let mut lines = block.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        Reply {
            status,
            headers,
            body: std::fs::read(&body_file).unwrap_or_default(),
        }
    }
}
