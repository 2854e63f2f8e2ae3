//! The registry client end to end: rctl against docker-registry in its three modes (plain HTTP,
//! TLS with htpasswd, TLS with token auth), TLS trust, the failures a user meets, and a fault
//! server for what a real registry will not do on demand.

mod auth;
mod failures;
mod faults;
mod harness_self;
mod read_commands;
mod tls_trust;

use crate::harness::Env;
use crate::harness::certs::TestCerts;
use crate::harness::image::{
    Flavor, Image, ImageIndex, SkopeoAuth, multi_platform_index, push_with_skopeo, small_image,
};
use crate::harness::registry::{PASSWORD, Registry, USER};
use crate::harness::token_server::{Policy, TokenServer};

/// A registry with images pushed by skopeo, and an rctl environment that trusts it.
#[allow(dead_code)]
pub struct Fixture {
    pub env: Env,
    pub registry: Registry,
    /// How skopeo reaches the registry, for comparing what it reports.
    pub skopeo: SkopeoAuth,
    /// Pushed as `app:v1` and `app:v2` (OCI media types).
    pub index: ImageIndex,
    /// Pushed as `team/tool:1.0` (Docker media types, one platform).
    pub docker_image: Image,
    /// The token server of the token mode.
    pub tokens: Option<TokenServer>,
    /// The test PKI of the TLS modes.
    pub certs: Option<TestCerts>,
}

impl Fixture {
    /// Plain HTTP, no authentication.
    pub fn plain() -> Fixture {
        Fixture::with(Registry::plain(), SkopeoAuth::anonymous(), None, None)
    }

    /// TLS with Basic auth; rctl trusts the CA through `SSL_CERT_FILE` and is not logged in.
    pub fn htpasswd() -> Fixture {
        let certs = TestCerts::new();
        let registry = Registry::htpasswd(&certs);
        let auth = SkopeoAuth::with_creds(USER, PASSWORD);
        Fixture::with(registry, auth, None, Some(certs))
    }

    /// TLS with token auth; rctl trusts the CA through `SSL_CERT_FILE` and is not logged in.
    pub fn token() -> Fixture {
        let certs = TestCerts::new();
        let tokens = TokenServer::start(&certs);
        let registry = Registry::token(&certs, &tokens.realm);
        let auth = SkopeoAuth::with_creds(USER, PASSWORD);
        Fixture::with(registry, auth, Some(tokens), Some(certs))
    }

    fn with(
        registry: Registry,
        skopeo: SkopeoAuth,
        tokens: Option<TokenServer>,
        certs: Option<TestCerts>,
    ) -> Fixture {
        let layouts = tempfile::tempdir().unwrap();
        let index = multi_platform_index(Flavor::Oci);
        let layout = index.write_layout(&layouts.path().join("index"), "v1");
        push_with_skopeo(&layout, &registry.reference("app:v1"), &skopeo);
        push_with_skopeo(&layout, &registry.reference("app:v2"), &skopeo);
        let docker_image = small_image(Flavor::Docker, "linux/amd64");
        let layout = docker_image.write_layout(&layouts.path().join("docker"), "1.0");
        push_with_skopeo(&layout, &registry.reference("team/tool:1.0"), &skopeo);

        if let Some(tokens) = &tokens {
            tokens.clear_requests();
        }
        let mut env = Env::new();
        if let Some(certs) = &certs {
            env.set_var("SSL_CERT_FILE", &certs.ca_cert);
        }
        Fixture {
            env,
            registry,
            skopeo,
            index,
            docker_image,
            tokens,
            certs,
        }
    }

    /// From now on, the token server grants what `policy` says.
    pub fn set_token_policy(&self, policy: Policy) {
        self.tokens
            .as_ref()
            .expect("a token fixture")
            .set_policy(policy);
    }

    /// `127.0.0.1:PORT/<path>`
    pub fn reference(&self, path: &str) -> String {
        self.registry.reference(path)
    }

    /// Log rctl in with `rctl login --password-stdin --store file` (no keyring in these tests).
    pub fn login(&self) {
        let run = login(&self.env, &self.registry.address, USER, PASSWORD);
        assert!(run.ok().contains("Login Succeeded"), "{run:?}");
    }
}

/// `rctl login HOST -u USER --password-stdin --store file`.
pub fn login(env: &Env, host: &str, user: &str, password: &str) -> crate::harness::Run {
    env.run_with_stdin(
        &[
            "login",
            host,
            "-u",
            user,
            "--password-stdin",
            "--store",
            "file",
        ],
        &format!("{password}\n"),
    )
}

/// Parse JSON, panicking with the text on failure.
#[track_caller]
pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// Parse JSON bytes.
#[track_caller]
pub fn json_bytes(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).expect("valid JSON")
}
