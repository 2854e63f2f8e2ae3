//! Routing: which endpoint a request path names.
//!
//! Repository names contain `/`, so the path is matched from its end: the last segments say
//! which endpoint it is (`manifests/<ref>`, `blobs/<digest>`, `blobs/uploads/<id>`, `tags/list`,
//! `referrers/<digest>`) and everything between `/v2/` and them is the name. The raw, still
//! percent-encoded text is kept, so `%2F` or `..` in a name reaches the name check and is
//! refused there instead of being decoded into a path.

/// An endpoint, with the raw path parts it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/`: always 200, for load balancer probes.
    Root,
    /// `/healthz`: 200 while the server runs.
    Health,
    /// `/metrics`: Prometheus text.
    Metrics,
    /// `/v2/`: the API version check (and the auth challenge).
    Ping,
    /// `/v2/_catalog`
    Catalog,
    /// `/v2/<name>/tags/list`
    Tags { name: String },
    /// `/v2/<name>/manifests/<reference>`
    Manifest { name: String, reference: String },
    /// `/v2/<name>/blobs/<digest>`
    Blob { name: String, digest: String },
    /// `/v2/<name>/blobs/uploads/`
    UploadStart { name: String },
    /// `/v2/<name>/blobs/uploads/<id>`
    Upload { name: String, id: String },
    /// `/v2/<name>/referrers/<digest>`
    Referrers { name: String, digest: String },
    /// Anything else.
    NotFound,
}

impl Route {
    pub fn parse(path: &str) -> Route {
        match path {
            "/" => return Route::Root,
            "/healthz" | "/health" => return Route::Health,
            "/metrics" => return Route::Metrics,
            "/v2" | "/v2/" => return Route::Ping,
            "/v2/_catalog" => return Route::Catalog,
            _ => {}
        }
        let Some(rest) = path.strip_prefix("/v2/") else {
            return Route::NotFound;
        };
        let segments: Vec<&str> = rest.split('/').collect();
        let n = segments.len();
        let name_before = |count: usize| -> Option<String> {
            (n > count).then(|| segments[..n - count].join("/"))
        };

        // `<name>/blobs/uploads/` and `<name>/blobs/uploads/<id>`.
        if n >= 4 && segments[n - 3] == "blobs" && segments[n - 2] == "uploads" {
            let name = segments[..n - 3].join("/");
            let id = segments[n - 1];
            return if id.is_empty() {
                Route::UploadStart { name }
            } else {
                Route::Upload {
                    name,
                    id: id.to_string(),
                }
            };
        }
        if n >= 3 && segments[n - 2] == "blobs" && segments[n - 1] == "uploads" {
            return Route::UploadStart {
                name: segments[..n - 2].join("/"),
            };
        }
        if n >= 3 && segments[n - 2] == "tags" && segments[n - 1] == "list" {
            return Route::Tags {
                name: segments[..n - 2].join("/"),
            };
        }
        if n < 3 {
            return Route::NotFound;
        }
        let last = segments[n - 1].to_string();
        let Some(name) = name_before(2) else {
            return Route::NotFound;
        };
        match segments[n - 2] {
            "manifests" => Route::Manifest {
                name,
                reference: last,
            },
            "blobs" => Route::Blob { name, digest: last },
            "referrers" => Route::Referrers { name, digest: last },
            _ => Route::NotFound,
        }
    }

    /// The repository and reference a log line names.
    pub fn subject(&self) -> (&str, &str) {
        match self {
            Route::Tags { name } | Route::UploadStart { name } => (name, ""),
            Route::Manifest { name, reference } => (name, reference),
            Route::Blob { name, digest } | Route::Referrers { name, digest } => (name, digest),
            Route::Upload { name, id } => (name, id),
            _ => ("", ""),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_slashes_and_endpoint_words_route_by_their_end() {
        assert_eq!(
            Route::parse("/v2/a/manifests/b/manifests/latest"),
            Route::Manifest {
                name: "a/manifests/b".into(),
                reference: "latest".into()
            }
        );
        assert_eq!(
            Route::parse("/v2/team/app/blobs/uploads/"),
            Route::UploadStart {
                name: "team/app".into()
            }
        );
        assert_eq!(
            Route::parse("/v2/team/app/blobs/uploads/abc"),
            Route::Upload {
                name: "team/app".into(),
                id: "abc".into()
            }
        );
        assert_eq!(
            Route::parse("/v2/x/tags/list"),
            Route::Tags { name: "x".into() }
        );
        assert_eq!(Route::parse("/v2/manifests/x"), Route::NotFound);
        assert_eq!(Route::parse("/v3/"), Route::NotFound);
    }
}
