//! Prometheus metrics, served as text at `/metrics`: requests by method and status, bytes
//! received and sent, uploads in progress and storage errors.
//!
//! Counters are process-wide atomics (one server per process), so recording costs a relaxed
//! add and no handler needs a handle to record.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

pub static BYTES_RECEIVED: AtomicU64 = AtomicU64::new(0);
pub static BYTES_SENT: AtomicU64 = AtomicU64::new(0);
pub static STORAGE_ERRORS: AtomicU64 = AtomicU64::new(0);

/// (method, status) → count. A lock is fine: it is held for one map update per request.
static REQUESTS: Mutex<BTreeMap<(String, u16), u64>> = Mutex::new(BTreeMap::new());

/// Count one finished request.
pub fn record_request(method: &str, status: u16) {
    let mut requests = REQUESTS.lock().unwrap_or_else(|e| e.into_inner());
    *requests.entry((method.to_string(), status)).or_default() += 1;
}

/// The exposition text; `uploads_in_progress` comes from the session table.
pub fn render(uploads_in_progress: usize) -> String {
    let mut out = String::new();
    out.push_str("# HELP rctl_http_requests_total HTTP requests by method and status.\n");
    out.push_str("# TYPE rctl_http_requests_total counter\n");
    let requests = REQUESTS.lock().unwrap_or_else(|e| e.into_inner());
    for ((method, status), count) in requests.iter() {
        let _ = writeln!(
            out,
            "rctl_http_requests_total{{method=\"{method}\",status=\"{status}\"}} {count}"
        );
    }
    drop(requests);
    let gauges = [
        (
            "rctl_http_received_bytes_total",
            "counter",
            "Request body bytes received.",
            BYTES_RECEIVED.load(Ordering::Relaxed),
        ),
        (
            "rctl_http_sent_bytes_total",
            "counter",
            "Response body bytes sent.",
            BYTES_SENT.load(Ordering::Relaxed),
        ),
        (
            "rctl_uploads_in_progress",
            "gauge",
            "Upload sessions open in this process.",
            uploads_in_progress as u64,
        ),
        (
            "rctl_storage_errors_total",
            "counter",
            "Storage operations that failed.",
            STORAGE_ERRORS.load(Ordering::Relaxed),
        ),
    ];
    for (name, kind, help, value) in gauges {
        let _ = writeln!(
            out,
            "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
        );
    }
    out
}
