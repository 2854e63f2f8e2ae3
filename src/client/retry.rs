//! When and how long to wait before trying a request again.
//!
//! Connection errors, 408, 429 and 5xx are retried with capped exponential backoff and full
//! jitter; a `Retry-After` header (seconds or an HTTP date) wins over the computed delay.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// How many times a request is sent at most.
pub const MAX_ATTEMPTS: u32 = 5;
const BASE_DELAY: Duration = Duration::from_millis(200);
const MAX_DELAY: Duration = Duration::from_secs(10);
/// A `Retry-After` longer than this is not waited for: the error is shown instead.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Whether a response status is worth another try.
pub fn retryable_status(status: StatusCode) -> bool {
    status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS
        || status.is_server_error()
}

/// The delay before attempt number `attempt` (1 for the first retry).
pub fn backoff(attempt: u32) -> Duration {
    let ceiling = BASE_DELAY
        .saturating_mul(1 << attempt.min(10))
        .min(MAX_DELAY);
    ceiling.mul_f64(0.5 + fastrand::f64() * 0.5)
}

/// The `Retry-After` delay a response asks for, if any.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or_default())
}

/// Docker Hub's rate-limit headers, as a line for an error message.
pub fn rate_limit_summary(headers: &HeaderMap) -> Option<String> {
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let limit = get("ratelimit-limit");
    let remaining = get("ratelimit-remaining");
    if limit.is_none() && remaining.is_none() {
        return None;
    }
    let mut parts = Vec::new();
    if let Some(limit) = limit {
        parts.push(format!("limit {limit}"));
    }
    if let Some(remaining) = remaining {
        parts.push(format!("remaining {remaining}"));
    }
    if let Some(reset) = get("ratelimit-reset") {
        parts.push(format!("reset {reset}"));
    }
    if let Some(source) = get("docker-ratelimit-source") {
        parts.push(format!("counted against {source}"));
    }
    Some(parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert!(backoff(1) <= Duration::from_millis(400));
        assert!(backoff(20) <= MAX_DELAY);
        assert!(backoff(3) >= Duration::from_millis(800));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", "3".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        headers.insert("retry-after", later.parse().unwrap());
        let wait = retry_after(&headers).unwrap();
        assert!(wait > Duration::from_secs(25) && wait <= Duration::from_secs(30));
    }

    #[test]
    fn rate_limit_headers_are_summarised() {
        let mut headers = HeaderMap::new();
        assert_eq!(rate_limit_summary(&headers), None);
        headers.insert("ratelimit-limit", "100;w=21600".parse().unwrap());
        headers.insert("ratelimit-remaining", "0;w=21600".parse().unwrap());
        assert_eq!(
            rate_limit_summary(&headers).unwrap(),
            "limit 100;w=21600, remaining 0;w=21600"
        );
    }
}
