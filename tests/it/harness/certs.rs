//! Test certificates made with the `openssl` command: a CA, a server certificate for
//! `127.0.0.1` and `localhost` signed by it, and a self-signed key pair for signing tokens.
//!
//! Every call makes fresh keys in its own temporary directory; nothing is shared between tests.
//! Keys are P-256 (fast to generate), written as PKCS#8 PEM.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{TempDir, tool};

/// A test PKI, removed with its directory.
pub struct TestCerts {
    pub dir: TempDir,
    /// The CA certificate (PEM): what clients must trust.
    pub ca_cert: PathBuf,
    pub ca_key: PathBuf,
    /// The server certificate (PEM), SAN `IP:127.0.0.1`, `DNS:localhost`, signed by the CA.
    pub server_cert: PathBuf,
    pub server_key: PathBuf,
    /// A self-signed certificate for the token signing key: docker-registry's `rootcertbundle`.
    pub signing_cert: PathBuf,
    /// The token signing key (PKCS#8 PEM, P-256, for ES256).
    pub signing_key: PathBuf,
}

impl TestCerts {
    /// Make a CA, a server certificate and a token signing pair.
    pub fn new() -> TestCerts {
        let dir = tempfile::tempdir().expect("create a certificate directory");
        let path = |name: &str| dir.path().join(name);
        let (ca_cert, ca_key) = (path("ca.pem"), path("ca.key"));
        let (server_cert, server_key) = (path("server.pem"), path("server.key"));
        let (signing_cert, signing_key) = (path("signing.pem"), path("signing.key"));

        for key in [&ca_key, &server_key, &signing_key] {
            generate_key(key);
        }
        self_signed(
            &ca_key,
            &ca_cert,
            "/CN=rctl test CA",
            &[
                "basicConstraints=critical,CA:TRUE",
                "keyUsage=critical,keyCertSign,cRLSign",
                "subjectKeyIdentifier=hash",
            ],
        );
        self_signed(
            &signing_key,
            &signing_cert,
            "/CN=rctl test token signer",
            &[
                "basicConstraints=critical,CA:FALSE",
                "keyUsage=critical,digitalSignature",
            ],
        );

        let csr = path("server.csr");
        tool(
            Command::new("openssl")
                .args(["req", "-new", "-subj", "/CN=localhost", "-key"])
                .arg(&server_key)
                .arg("-out")
                .arg(&csr),
        );
        let ext = path("server.ext");
        std::fs::write(
            &ext,
            "subjectAltName=IP:127.0.0.1,DNS:localhost\n\
             basicConstraints=critical,CA:FALSE\n\
             keyUsage=critical,digitalSignature,keyEncipherment\n\
             extendedKeyUsage=serverAuth\n",
        )
        .unwrap();
        tool(
            Command::new("openssl")
                .args(["x509", "-req", "-days", "2", "-set_serial", "2", "-in"])
                .arg(&csr)
                .arg("-CA")
                .arg(&ca_cert)
                .arg("-CAkey")
                .arg(&ca_key)
                .arg("-extfile")
                .arg(&ext)
                .arg("-out")
                .arg(&server_cert),
        );

        TestCerts {
            dir,
            ca_cert,
            ca_key,
            server_cert,
            server_key,
            signing_cert,
            signing_key,
        }
    }

    /// The directory the files live in.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

fn generate_key(out: &Path) {
    tool(
        Command::new("openssl")
            .args([
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-out",
            ])
            .arg(out),
    );
}

fn self_signed(key: &Path, out: &Path, subject: &str, extensions: &[&str]) {
    let mut command = Command::new("openssl");
    command
        .args([
            "req", "-x509", "-new", "-days", "2", "-subj", subject, "-key",
        ])
        .arg(key)
        .arg("-out")
        .arg(out);
    for extension in extensions {
        command.args(["-addext", extension]);
    }
    tool(&mut command);
}
