//! The server's TLS: its certificate and key from PEM files (rustls with
//! the ring provider), and `tillit serve --init`'s self-signed certificate
//! for trying a server out, known by its SHA-256 fingerprint.

use crate::error::{Error, Refusal, Result};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The rustls configuration of a server with the certificate chain in
/// `cert` and the private key in `key`.
pub(super) fn server_config(cert: &Path, key: &Path) -> Result<Arc<rustls::ServerConfig>> {
    let bad = |path: &Path, reason: String| -> Error {
        Refusal::new("refusal.server_tls_file")
            .with("path", path.display())
            .with("reason", reason)
            .into()
    };
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| bad(cert, e.to_string()))?
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| bad(cert, e.to_string()))?;
    if chain.is_empty() {
        return Err(bad(cert, "it holds no certificate".into()));
    }
    let private = PrivateKeyDer::from_pem_file(key).map_err(|e| bad(key, e.to_string()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Internal(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .map_err(|e| bad(key, e.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// A self-signed certificate written by [`init_self_signed`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfSigned {
    pub cert: PathBuf,
    pub key: PathBuf,
    /// The SHA-256 of the certificate (DER), as 64 hex digits: what a
    /// desktop shows once, to be trusted and pinned.
    pub fingerprint: String,
}

/// Writes a new self-signed certificate for `names` (host names or
/// addresses) and its key into `folder` as `tillit-server.crt` and
/// `tillit-server.key` (readable by the owner only); an existing pair is
/// kept, never replaced.
pub fn init_self_signed(folder: &Path, names: &[String]) -> Result<SelfSigned> {
    let cert = folder.join("tillit-server.crt");
    let key = folder.join("tillit-server.key");
    if cert.exists() || key.exists() {
        return Err(Refusal::new("refusal.server_init_exists")
            .with("path", cert.display())
            .into());
    }
    if !folder.exists() {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(folder)
            .map_err(|e| Error::io(folder, e))?;
    }
    let made = rcgen::generate_simple_self_signed(names.to_vec())
        .map_err(|e| Error::Internal(format!("making the certificate: {e}")))?;
    let cert_pem = made.cert.pem();
    write_private(&key, made.signing_key.serialize_pem().as_bytes())?;
    std::fs::write(&cert, cert_pem.as_bytes()).map_err(|e| Error::io(&cert, e))?;
    Ok(SelfSigned {
        fingerprint: fingerprint_of_der(made.cert.der()),
        cert,
        key,
    })
}

/// The SHA-256 fingerprint of the first certificate in a PEM file.
pub fn fingerprint_of_pem(path: &Path) -> Result<String> {
    let first = CertificateDer::pem_file_iter(path)
        .map_err(|e| {
            Error::invalid(
                "tls-cert",
                crate::error::ValidationCode::Format,
                e.to_string(),
            )
        })?
        .next()
        .ok_or_else(|| {
            Error::invalid(
                "tls-cert",
                crate::error::ValidationCode::Format,
                "the file holds no certificate",
            )
        })?
        .map_err(|e| {
            Error::invalid(
                "tls-cert",
                crate::error::ValidationCode::Format,
                e.to_string(),
            )
        })?;
    Ok(fingerprint_of_der(&first))
}

pub(crate) fn fingerprint_of_der(der: &[u8]) -> String {
    Sha256::digest(der)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    file.write_all(bytes).map_err(|e| Error::io(path, e))
}
