//! A self-signed server known by its certificate's SHA-256 fingerprint:
//! the certificate must be that one exactly (the handshake's signatures
//! are still checked); a changed certificate is refused, never trusted
//! silently.

use crate::error::{Error, Result, ValidationCode};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::sync::Arc;

#[derive(Debug)]
pub(super) struct Pinned {
    fingerprint: String,
    provider: Arc<CryptoProvider>,
    /// The fingerprint of the certificate the server presented, for
    /// showing it to the person before they trust it.
    seen: Arc<std::sync::Mutex<Option<String>>>,
}

impl Pinned {
    pub fn new(fingerprint: &str, provider: Arc<CryptoProvider>) -> Result<Pinned> {
        let fingerprint: String = fingerprint
            .chars()
            .filter(|c| *c != ':' && !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if fingerprint.len() != 64 || !fingerprint.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(Error::invalid(
                "server-fingerprint",
                ValidationCode::Format,
                "a fingerprint is the certificate's SHA-256: 64 hexadecimal digits",
            ));
        }
        Ok(Pinned {
            fingerprint,
            provider,
            seen: Arc::default(),
        })
    }

    /// A verifier that trusts no certificate but notes the one presented.
    pub fn recording(provider: Arc<CryptoProvider>) -> Pinned {
        Pinned {
            fingerprint: String::new(),
            provider,
            seen: Arc::default(),
        }
    }

    /// Where the presented certificate's fingerprint is noted.
    pub fn seen(&self) -> Arc<std::sync::Mutex<Option<String>>> {
        Arc::clone(&self.seen)
    }
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let presented = crate::server::fingerprint_of_der(end_entity);
        if let Ok(mut seen) = self.seen.lock() {
            *seen = Some(presented.clone());
        }
        if !self.fingerprint.is_empty() && presented == self.fingerprint {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "the server's certificate is not the one trusted (its fingerprint differs)".into(),
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
