//! Image references (`name[:tag][@digest]`) parsed and normalised the way docker does it.
//!
//! The first path component is a registry host when it contains `.` or `:`, is `localhost`, or is
//! a bracketed IPv6 literal; otherwise the image lives on Docker Hub. Docker Hub's aliases
//! (`docker.io`, `index.docker.io`, `registry-1.docker.io`) collapse to `docker.io`, one-component
//! Hub names get `library/`, and a reference with neither tag nor digest gets `latest`.
//!
//! A parsed [`Reference`] always displays in its fully qualified form, and parsing that form gives
//! the same reference back.

use std::fmt;
use std::str::FromStr;

use super::digest::{Digest, DigestError};

/// The canonical name of Docker Hub.
pub const DOCKER_HUB: &str = "docker.io";
/// The host that serves Docker Hub's registry API.
pub const DOCKER_HUB_API_HOST: &str = "registry-1.docker.io";
/// The key docker uses for Docker Hub credentials in `config.json` and credential helpers.
pub const DOCKER_HUB_CREDENTIAL_KEY: &str = "https://index.docker.io/v1/";
/// The tag used when a reference names none.
pub const DEFAULT_TAG: &str = "latest";

/// Many clients and registries cap `host/repository` at this many characters.
const MAX_NAME_LEN: usize = 255;
const MAX_TAG_LEN: usize = 128;

/// A fully qualified image reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    registry: String,
    repository: String,
    tag: Option<String>,
    digest: Option<Digest>,
}

/// Why a string is not a valid image reference; always quotes the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid reference `{input}`: {problem}")]
pub struct ReferenceError {
    pub input: String,
    pub problem: Problem,
}

/// The part of a reference that is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("it is empty")]
    Empty,
    #[error("registry host `{0}` is not a valid host name or `host:port`")]
    Registry(String),
    #[error(
        "repository component `{0}` must be lowercase letters and digits, \
         separated by `.`, `_`, `__` or dashes"
    )]
    Repository(String),
    #[error("repository `{0}` must be lowercase")]
    UpperCase(String),
    #[error("name is longer than {MAX_NAME_LEN} characters")]
    TooLong,
    #[error(
        "tag `{0}` must be 1 to 128 characters of letters, digits, `_`, `.` and `-`, \
         not starting with `.` or `-`"
    )]
    Tag(String),
    #[error("{0}")]
    Digest(DigestError),
}

impl Reference {
    pub fn registry(&self) -> &str {
        &self.registry
    }

    pub fn repository(&self) -> &str {
        &self.repository
    }

    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    pub fn digest(&self) -> Option<&Digest> {
        self.digest.as_ref()
    }

    /// What to ask the registry for: the digest when there is one, else the tag.
    pub fn tag_or_digest(&self) -> String {
        match (&self.digest, &self.tag) {
            (Some(digest), _) => digest.to_string(),
            (None, Some(tag)) => tag.clone(),
            (None, None) => DEFAULT_TAG.to_string(),
        }
    }

    /// The same repository with another tag and no digest.
    pub fn with_tag(&self, tag: &str) -> Reference {
        Reference {
            tag: Some(tag.to_string()),
            digest: None,
            ..self.clone()
        }
    }

    /// The same repository pinned to `digest`, keeping the tag for display.
    pub fn with_digest(&self, digest: Digest) -> Reference {
        Reference {
            digest: Some(digest),
            ..self.clone()
        }
    }

    /// `registry/repository` without tag or digest.
    pub fn name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }

    /// Whether the reference was written with an explicit tag or digest. Parsing fills in
    /// `latest`, so this is only false for references built by [`Reference::parse_repository`].
    pub fn has_tag_or_digest(&self) -> bool {
        self.tag.is_some() || self.digest.is_some()
    }

    /// Parse a repository name without tag or digest (`rctl tags busybox`).
    pub fn parse_repository(input: &str) -> Result<Reference, ReferenceError> {
        let reference = parse(input, false)?;
        if reference.tag.is_some() || reference.digest.is_some() {
            return Err(ReferenceError {
                input: input.to_string(),
                problem: Problem::Repository(input.to_string()),
            });
        }
        Ok(reference)
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

impl FromStr for Reference {
    type Err = ReferenceError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        parse(input, true)
    }
}

fn parse(input: &str, default_tag: bool) -> Result<Reference, ReferenceError> {
    let fail = |problem| ReferenceError {
        input: input.to_string(),
        problem,
    };
    if input.is_empty() {
        return Err(fail(Problem::Empty));
    }

    let (rest, digest) = match input.rsplit_once('@') {
        Some((rest, digest)) => (
            rest,
            Some(digest.parse().map_err(|e| fail(Problem::Digest(e)))?),
        ),
        None => (input, None),
    };
    let (name, tag) = split_tag(rest);
    if let Some(tag) = tag
        && !valid_tag(tag)
    {
        return Err(fail(Problem::Tag(tag.to_string())));
    }

    let (registry, repository) = split_registry(name);
    let registry = match registry {
        Some(host) if valid_host(host) => normalize_registry(host),
        Some(host) => return Err(fail(Problem::Registry(host.to_string()))),
        None => DOCKER_HUB.to_string(),
    };
    if repository.is_empty() {
        return Err(fail(Problem::Empty));
    }
    for component in repository.split('/') {
        if !valid_component(component) {
            if component.to_lowercase() != component && valid_component(&component.to_lowercase()) {
                return Err(fail(Problem::UpperCase(repository.to_string())));
            }
            return Err(fail(Problem::Repository(component.to_string())));
        }
    }
    let repository = if registry == DOCKER_HUB && !repository.contains('/') {
        format!("library/{repository}")
    } else {
        repository.to_string()
    };
    if registry.len() + 1 + repository.len() > MAX_NAME_LEN {
        return Err(fail(Problem::TooLong));
    }

    let tag = match tag {
        Some(tag) => Some(tag.to_string()),
        None if digest.is_none() && default_tag => Some(DEFAULT_TAG.to_string()),
        None => None,
    };
    Ok(Reference {
        registry,
        repository,
        tag,
        digest,
    })
}

/// Split `name:tag`: the tag follows the last `:` that comes after the last `/`.
fn split_tag(text: &str) -> (&str, Option<&str>) {
    let last_slash = text.rfind('/').map_or(0, |i| i + 1);
    match text[last_slash..].rfind(':') {
        Some(i) => (&text[..last_slash + i], Some(&text[last_slash + i + 1..])),
        None => (text, None),
    }
}

fn split_registry(name: &str) -> (Option<&str>, &str) {
    match name.split_once('/') {
        Some((first, rest))
            if first.contains('.')
                || first.contains(':')
                || first == "localhost"
                || first.starts_with('[') =>
        {
            (Some(first), rest)
        }
        _ => (None, name),
    }
}

/// The canonical name of a registry host: Docker Hub's aliases become `docker.io`, hosts are
/// lowercased, and a URL's scheme and path (as in `https://index.docker.io/v1/`) are dropped.
pub fn normalize_registry(host: &str) -> String {
    let host = host
        .strip_prefix("https://")
        .or_else(|| host.strip_prefix("http://"))
        .unwrap_or(host);
    let host = host.split('/').next().unwrap_or(host).to_ascii_lowercase();
    match host.as_str() {
        "docker.io" | "index.docker.io" | "registry-1.docker.io" | "registry.hub.docker.com" => {
            DOCKER_HUB.to_string()
        }
        _ => host,
    }
}

/// The host that serves a registry's API (`registry-1.docker.io` for Docker Hub).
pub fn api_host(registry: &str) -> &str {
    if registry == DOCKER_HUB {
        DOCKER_HUB_API_HOST
    } else {
        registry
    }
}

/// The key under which docker and credential helpers store a registry's credentials.
pub fn credential_key(registry: &str) -> String {
    if registry == DOCKER_HUB {
        DOCKER_HUB_CREDENTIAL_KEY.to_string()
    } else {
        registry.to_string()
    }
}

/// Whether `host` (with optional port) names a loopback address, where plain HTTP is allowed.
pub fn is_loopback(registry: &str) -> bool {
    let host = host_without_port(registry);
    host == "localhost"
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// `host` from `host:port`, `[v6]:port` or `host`, without brackets.
pub fn host_without_port(registry: &str) -> &str {
    if let Some(rest) = registry.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    registry.split(':').next().unwrap_or(registry)
}

fn valid_host(host: &str) -> bool {
    if let Some(rest) = host.strip_prefix('[') {
        let Some((addr, port)) = rest.split_once(']') else {
            return false;
        };
        let port_ok = port.is_empty() || port.strip_prefix(':').is_some_and(valid_port);
        return addr.parse::<std::net::Ipv6Addr>().is_ok() && port_ok;
    }
    let (name, port) = match host.split_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    };
    if port.is_some_and(|p| !valid_port(p)) || name.is_empty() {
        return false;
    }
    name.split('.').all(|label| {
        !label.is_empty()
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    })
}

fn valid_port(port: &str) -> bool {
    !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit())
}

/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
pub fn valid_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !alnum(bytes[i]) {
            i += 1;
        }
        let separator = &component[start..i];
        let ok = separator == "."
            || separator == "_"
            || separator == "__"
            || separator.bytes().all(|b| b == b'-');
        if !ok {
            return false;
        }
    }
    true
}

/// Whether `repository` is a valid repository path (components joined by `/`).
pub fn valid_repository(repository: &str) -> bool {
    !repository.is_empty()
        && repository.len() <= MAX_NAME_LEN
        && repository.split('/').all(valid_component)
}

/// `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`
pub fn valid_tag(tag: &str) -> bool {
    let bytes = tag.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= MAX_TAG_LEN
        && (bytes[0].is_ascii_alphanumeric() || bytes[0] == b'_')
        && bytes
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(input: &str) -> String {
        input.parse::<Reference>().unwrap().to_string()
    }

    #[test]
    fn docker_hub_names_are_normalised() {
        assert_eq!(full("busybox"), "docker.io/library/busybox:latest");
        assert_eq!(
            full("docker.io/busybox"),
            "docker.io/library/busybox:latest"
        );
        assert_eq!(
            full("index.docker.io/library/busybox:1"),
            "docker.io/library/busybox:1"
        );
        assert_eq!(full("registry-1.docker.io/o/r"), "docker.io/o/r:latest");
        assert_eq!(full("team/app:v1"), "docker.io/team/app:v1");
    }

    #[test]
    fn registry_is_recognised_by_dot_colon_localhost_or_ipv6() {
        assert_eq!(full("localhost/app"), "localhost/app:latest");
        assert_eq!(
            full("localhost:5000/team/app:v1"),
            "localhost:5000/team/app:v1"
        );
        assert_eq!(full("ghcr.io/o/r"), "ghcr.io/o/r:latest");
        assert_eq!(full("[::1]:5000/app"), "[::1]:5000/app:latest");
        assert_eq!(
            full("Registry.Example.com/app"),
            "registry.example.com/app:latest"
        );
    }

    #[test]
    fn digest_references_get_no_default_tag() {
        let hex = "a".repeat(64);
        let r: Reference = format!("ghcr.io/o/r@sha256:{hex}").parse().unwrap();
        assert_eq!(r.tag(), None);
        assert_eq!(r.tag_or_digest(), format!("sha256:{hex}"));
        let r: Reference = format!("o/r:v1@sha256:{hex}").parse().unwrap();
        assert_eq!(r.tag(), Some("v1"));
        assert_eq!(r.to_string(), format!("docker.io/o/r:v1@sha256:{hex}"));
    }

    #[test]
    fn errors_name_the_wrong_part() {
        let problem = |s: &str| s.parse::<Reference>().unwrap_err().problem;
        assert_eq!(problem(""), Problem::Empty);
        assert!(matches!(problem("Busybox"), Problem::UpperCase(_)));
        assert!(matches!(problem("busybox:-bad"), Problem::Tag(_)));
        assert!(matches!(problem("a..b/c"), Problem::Registry(_)));
        assert!(matches!(problem("x/a__-b"), Problem::Repository(_)));
        assert!(matches!(problem("busybox@sha256:12"), Problem::Digest(_)));
        assert!(matches!(problem("host:99999999/app"), Problem::Registry(_)));
        let long = format!("r.io/{}", "a".repeat(300));
        assert_eq!(problem(&long), Problem::TooLong);
        let err = "Busybox".parse::<Reference>().unwrap_err().to_string();
        assert!(err.contains("`Busybox`"), "{err}");
    }

    #[test]
    fn registry_helpers_know_docker_hub() {
        assert_eq!(
            normalize_registry("https://index.docker.io/v1/"),
            "docker.io"
        );
        assert_eq!(api_host("docker.io"), "registry-1.docker.io");
        assert_eq!(credential_key("docker.io"), "https://index.docker.io/v1/");
        assert_eq!(credential_key("localhost:5000"), "localhost:5000");
        assert!(is_loopback("127.0.0.2:5000"));
        assert!(is_loopback("[::1]:5000"));
        assert!(is_loopback("localhost"));
        assert!(!is_loopback("registry.example.com"));
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        fn component() -> impl Strategy<Value = String> {
            "[a-z0-9]{1,6}((\\.|_|__|-{1,2})[a-z0-9]{1,6}){0,2}"
        }

        fn reference() -> impl Strategy<Value = String> {
            let host = prop_oneof![
                Just(String::new()),
                Just("localhost/".to_string()),
                "[a-z][a-z0-9]{0,8}\\.[a-z]{2,4}/",
                "[a-z][a-z0-9]{0,8}\\.[a-z]{2,4}:[1-9][0-9]{0,3}/",
                Just("[::1]:5000/".to_string()),
            ];
            let path = prop::collection::vec(component(), 1..4).prop_map(|c| c.join("/"));
            let tag = prop::option::of("[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}");
            let digest = prop::option::of("[0-9a-f]{64}");
            // Without a host, a first component with a `.` would be read as a host, as docker
            // reads it, so the generator starts such names with a dot-free component.
            let first = "[a-z0-9]{1,6}((_|__|-{1,2})[a-z0-9]{1,6}){0,2}";
            (host, first, path, tag, digest).prop_map(|(host, first, path, tag, digest)| {
                let mut s = if host.is_empty() {
                    format!("{first}/{path}")
                } else {
                    format!("{host}{path}")
                };
                if let Some(tag) = tag {
                    s.push(':');
                    s.push_str(&tag);
                }
                if let Some(hex) = digest {
                    s.push_str("@sha256:");
                    s.push_str(&hex);
                }
                s
            })
        }

        proptest! {
            #[test]
            fn every_generated_valid_reference_parses(input in reference()) {
                prop_assert!(input.parse::<Reference>().is_ok(), "{input}");
            }

            #[test]
            fn display_of_parse_round_trips(input in reference()) {
                let once = input.parse::<Reference>().unwrap();
                let twice = once.to_string().parse::<Reference>().unwrap();
                prop_assert_eq!(&once, &twice);
                prop_assert_eq!(once.to_string(), twice.to_string());
            }

            #[test]
            fn parse_never_panics(input in "\\PC{0,80}") {
                let _ = input.parse::<Reference>();
            }
        }
    }
}
