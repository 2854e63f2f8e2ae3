//! The errors a registry answers with: each carries a distribution-spec code, the HTTP status
//! that goes with it, and a message, and turns into the spec's JSON body
//! (`{"errors":[{"code":…,"message":…,"detail":…}]}`).
//!
//! Client mistakes are always 4xx with a specific code; only a failing disk or an internal bug
//! gives 500, and then the cause is logged at `error` level (the body says only that storage
//! failed, never a path).

use http::StatusCode;

use super::storage::uploads::UploadError;

/// The spec's error codes, plus distribution's additions that clients know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    BlobUnknown,
    BlobUploadInvalid,
    BlobUploadUnknown,
    DigestInvalid,
    ManifestBlobUnknown,
    ManifestInvalid,
    ManifestUnknown,
    NameInvalid,
    NameUnknown,
    SizeInvalid,
    Unauthorized,
    Unsupported,
    RangeInvalid,
    PaginationNumberInvalid,
    TooLarge,
    TagInvalid,
    NotFound,
    Unknown,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::BlobUnknown => "BLOB_UNKNOWN",
            Code::BlobUploadInvalid => "BLOB_UPLOAD_INVALID",
            Code::BlobUploadUnknown => "BLOB_UPLOAD_UNKNOWN",
            Code::DigestInvalid => "DIGEST_INVALID",
            Code::ManifestBlobUnknown => "MANIFEST_BLOB_UNKNOWN",
            Code::ManifestInvalid => "MANIFEST_INVALID",
            Code::ManifestUnknown => "MANIFEST_UNKNOWN",
            Code::NameInvalid => "NAME_INVALID",
            Code::NameUnknown => "NAME_UNKNOWN",
            Code::SizeInvalid => "SIZE_INVALID",
            Code::Unauthorized => "UNAUTHORIZED",
            Code::Unsupported => "UNSUPPORTED",
            Code::RangeInvalid => "RANGE_INVALID",
            Code::PaginationNumberInvalid => "PAGINATION_NUMBER_INVALID",
            Code::TooLarge => "SIZE_INVALID",
            Code::TagInvalid => "TAG_INVALID",
            Code::NotFound => "NOT_FOUND",
            Code::Unknown => "UNKNOWN",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            Code::BlobUnknown
            | Code::BlobUploadUnknown
            | Code::ManifestUnknown
            | Code::NameUnknown
            | Code::NotFound => StatusCode::NOT_FOUND,
            Code::Unauthorized => StatusCode::UNAUTHORIZED,
            Code::Unsupported => StatusCode::METHOD_NOT_ALLOWED,
            Code::RangeInvalid => StatusCode::RANGE_NOT_SATISFIABLE,
            Code::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Code::Unknown => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

/// A failed request: what the client is told.
#[derive(Debug)]
pub struct RegistryError {
    pub code: Code,
    pub message: String,
    pub detail: Option<serde_json::Value>,
}

impl RegistryError {
    pub fn new(code: Code, message: impl Into<String>) -> RegistryError {
        RegistryError {
            code,
            message: message.into(),
            detail: None,
        }
    }

    pub fn with_detail(mut self, detail: serde_json::Value) -> RegistryError {
        self.detail = Some(detail);
        self
    }

    /// A storage failure: logged with its cause, answered as a bare 500.
    pub fn storage(context: &str, err: &std::io::Error) -> RegistryError {
        tracing::error!(error = %err, kind = ?err.kind(), "storage failure while {context}");
        super::metrics::STORAGE_ERRORS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        RegistryError::new(Code::Unknown, format!("storage failure while {context}"))
    }

    pub fn name_invalid(name: &str) -> RegistryError {
        RegistryError::new(Code::NameInvalid, "invalid repository name")
            .with_detail(serde_json::json!({ "name": name }))
    }

    pub fn digest_invalid(digest: &str) -> RegistryError {
        RegistryError::new(Code::DigestInvalid, "invalid digest")
            .with_detail(serde_json::json!({ "digest": digest }))
    }

    pub fn unsupported(what: &str) -> RegistryError {
        RegistryError::new(
            Code::Unsupported,
            format!("the operation is unsupported: {what}"),
        )
    }

    /// The JSON body the spec defines.
    pub fn body(&self) -> String {
        let mut entry = serde_json::json!({ "code": self.code.as_str(), "message": self.message });
        if let Some(detail) = &self.detail {
            entry["detail"] = detail.clone();
        }
        serde_json::json!({ "errors": [entry] }).to_string()
    }
}

impl From<UploadError> for RegistryError {
    fn from(err: UploadError) -> RegistryError {
        match err {
            UploadError::Unknown => {
                RegistryError::new(Code::BlobUploadUnknown, "blob upload unknown to registry")
            }
            UploadError::OutOfOrder { .. } => {
                RegistryError::new(Code::RangeInvalid, err.to_string())
            }
            UploadError::SizeMismatch { .. } => {
                RegistryError::new(Code::SizeInvalid, err.to_string())
            }
            UploadError::DigestMismatch { .. } => {
                RegistryError::new(Code::DigestInvalid, err.to_string())
            }
            UploadError::Body(_) => RegistryError::new(Code::BlobUploadInvalid, err.to_string()),
            UploadError::Io(io) => RegistryError::storage("writing an upload", &io),
        }
    }
}
