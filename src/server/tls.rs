//! TLS for `rctl serve --tls-cert --tls-key`: rustls with the ring provider, HTTP/2 and
//! HTTP/1.1 offered by ALPN.
//!
//! Guarantee: an unreadable file, a file with no certificate or key, or a key that does not
//! belong to the certificate stops startup with an error naming the file, instead of a server
//! whose handshakes all fail.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;

use crate::error::Hinted;

/// Build the acceptor from PEM files.
pub fn acceptor(cert: &Path, key: &Path) -> Result<TlsAcceptor, Hinted> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|err| {
            Hinted::new(
                format!("cannot read TLS certificate `{}`", cert.display()),
                "pass a PEM file with the server certificate (then any intermediates) to `--tls-cert`",
            )
            .with_source(err)
        })?;
    if certs.is_empty() {
        return Err(Hinted::new(
            format!(
                "TLS certificate file `{}` holds no certificate",
                cert.display()
            ),
            "pass a PEM file with a `BEGIN CERTIFICATE` block to `--tls-cert`",
        ));
    }
    let private_key = PrivateKeyDer::from_pem_file(key).map_err(|err| {
        Hinted::new(
            format!("cannot read TLS private key `{}`", key.display()),
            "pass the PEM private key of the certificate to `--tls-key`",
        )
        .with_source(err)
    })?;

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Hinted::new("cannot set up TLS", "report this as a bug").with_source(e))?
        .with_no_client_auth()
        .with_single_cert(certs, private_key)
        .map_err(|err| {
            Hinted::new(
                format!(
                    "TLS key `{}` does not match certificate `{}` or is unusable",
                    key.display(),
                    cert.display()
                ),
                "check that `--tls-key` is the private key the certificate was issued for",
            )
            .with_source(err)
        })?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}
