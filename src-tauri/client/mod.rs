//! The client of the team server, for the command line (and the desktop):
//! every command of the contract sent as `POST /api/v1/<command>` with its
//! arguments, the reply as the core gave it, a refusal as the core's error
//! ([`Error::Remote`]) in the language asked for. HTTPS by rustls: a
//! server's certificate is checked against the system's roots, or, for a
//! self-signed one, against the SHA-256 fingerprint the person trusted.

mod pinned;
mod remote;

pub use remote::forward;

use crate::access::User;
use crate::error::{AppError, Error, Refusal, Result};
use crate::server::TOKEN_HEADER;
use crate::words::Language;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A connection to one team server, and the session signed in on it.
#[derive(Debug)]
pub struct Client {
    base: reqwest::Url,
    http: reqwest::blocking::Client,
    token: Mutex<Option<String>>,
    language: Mutex<Language>,
}

/// What connecting to a server found.
#[derive(Debug)]
pub enum Probed {
    /// Connected: the certificate is the trusted one, or chains to this
    /// computer's roots.
    Connected(Client),
    /// A certificate nobody here vouches for: its SHA-256 fingerprint, for
    /// the person to compare with the one the server's administrator gave.
    Untrusted { fingerprint: String },
}

impl Client {
    /// A client of the server at `url` (`https://host:port`; `http://` only
    /// to a loopback address). `pin` is the SHA-256 fingerprint of a
    /// self-signed certificate the person trusts; without it the server's
    /// certificate must chain to the system's roots.
    pub fn connect(url: &str, pin: Option<&str>, language: Language) -> Result<Client> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier: Arc<dyn rustls::client::danger::ServerCertVerifier> = match pin {
            Some(pin) => Arc::new(pinned::Pinned::new(pin, Arc::clone(&provider))?),
            None => Arc::new(
                rustls_platform_verifier::Verifier::new(Arc::clone(&provider))
                    .map_err(|e| Error::Internal(e.to_string()))?,
            ),
        };
        Client::with_verifier(url, verifier, provider, language)
    }

    /// Connects to the server at `url` as a person does from the desktop:
    /// with the fingerprint they trusted for it, else if its certificate
    /// chains to this computer's roots. A self-signed server not yet
    /// trusted is not connected: its fingerprint comes back to be shown
    /// ([`Probed::Untrusted`]).
    pub fn probe(url: &str, pin: Option<&str>, language: Language) -> Result<Probed> {
        let client = Client::connect(url, pin, language)?;
        let reached = client.call("session", &serde_json::json!({}));
        match reached {
            Ok(_) => return Ok(Probed::Connected(client)),
            Err(error) if pin.is_some() || !url.starts_with("https:") => return Err(error),
            Err(_) => {}
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let recording = pinned::Pinned::recording(Arc::clone(&provider));
        let seen = recording.seen();
        let client = Client::with_verifier(url, Arc::new(recording), provider, language)?;
        let error = match client.call("session", &serde_json::json!({})) {
            Ok(_) => return Err(Error::Internal("a certificate was trusted unseen".into())),
            Err(error) => error,
        };
        match seen.lock().ok().and_then(|seen| seen.clone()) {
            Some(fingerprint) => Ok(Probed::Untrusted { fingerprint }),
            None => Err(error),
        }
    }

    fn with_verifier(
        url: &str,
        verifier: Arc<dyn rustls::client::danger::ServerCertVerifier>,
        provider: Arc<rustls::crypto::CryptoProvider>,
        language: Language,
    ) -> Result<Client> {
        let bad = |reason: &str| -> Error {
            Error::invalid(
                "server",
                crate::error::ValidationCode::Format,
                format!("{url} {reason}"),
            )
        };
        let base = reqwest::Url::parse(url).map_err(|e| bad(&format!("is not an address: {e}")))?;
        let host = base
            .host_str()
            .unwrap_or_default()
            .trim_start_matches('[')
            .trim_end_matches(']');
        let loopback = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        match base.scheme() {
            "https" => {}
            "http" if loopback => {}
            "http" => return Err(bad("is plain HTTP to another computer: use https://")),
            _ => return Err(bad("must start with https://")),
        }
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::Internal(e.to_string()))?
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        let http = reqwest::blocking::Client::builder()
            .tls_backend_preconfigured(tls)
            .timeout(Duration::from_secs(300))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| Error::Internal(e.to_string()))?;
        Ok(Client {
            base,
            http,
            token: Mutex::new(None),
            language: Mutex::new(language),
        })
    }

    /// The address of the server.
    pub fn url(&self) -> String {
        self.base.as_str().trim_end_matches('/').to_owned()
    }

    /// The language refusals are asked in from now on.
    pub fn set_language(&self, language: Language) {
        if let Ok(mut kept) = self.language.lock() {
            *kept = language;
        }
    }

    /// Signs in as `username`: the session's token is kept for the calls
    /// that follow.
    pub fn sign_in(&self, username: &str, password: &str) -> Result<User> {
        let reply = self.call(
            "sign_in",
            &serde_json::json!({ "username": username, "password": password }),
        )?;
        serde_json::from_str(&reply).map_err(|e| Error::Internal(e.to_string()))
    }

    /// The session's token, if signed in.
    pub fn token(&self) -> Option<String> {
        self.token.lock().ok().and_then(|t| t.clone())
    }

    /// Uses `token` as the session from now on (a session kept by the
    /// desktop, or a test's).
    pub fn use_token(&self, token: Option<String>) {
        if let Ok(mut kept) = self.token.lock() {
            *kept = token;
        }
    }

    /// Runs `command` with `args` on the server: the reply as JSON text.
    pub fn call(&self, command: &str, args: &serde_json::Value) -> Result<String> {
        let body = serde_json::to_vec(args).map_err(|e| Error::Internal(e.to_string()))?;
        self.send(command, body)
    }

    /// Sends `body` as the arguments of `command` as they are (a test's
    /// malformed or oversized request, too).
    pub fn send(&self, command: &str, body: Vec<u8>) -> Result<String> {
        let url = self
            .base
            .join(&format!("api/v1/{command}"))
            .map_err(|e| Error::Internal(e.to_string()))?;
        let mut request = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(
                reqwest::header::ACCEPT_LANGUAGE,
                match self.language.lock().map(|l| *l).unwrap_or(Language::En) {
                    Language::Sv => "sv",
                    Language::En => "en",
                },
            )
            .body(body);
        if let Some(token) = self.token() {
            request = request.bearer_auth(token);
        }
        let response = request.send().map_err(|e| unreachable(&self.base, &e))?;
        let status = response.status();
        let token = response
            .headers()
            .get(TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let text = response.text().map_err(|e| unreachable(&self.base, &e))?;
        if status.is_success() {
            if token.is_some() {
                self.use_token(token);
            }
            if command == "sign_out" {
                self.use_token(None);
            }
            return Ok(text);
        }
        match serde_json::from_str::<AppError>(&text) {
            Ok(reply) => Err(Error::Remote(Box::new(reply))),
            Err(_) => Err(Refusal::new("refusal.server_unexpected")
                .with("status", status.as_u16())
                .into()),
        }
    }
}

/// The server could not be reached or answered nothing readable.
fn unreachable(base: &reqwest::Url, error: &reqwest::Error) -> Error {
    let mut reason = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        reason = format!("{reason}: {inner}");
        source = inner.source();
    }
    Refusal::new("refusal.server_unreachable")
        .with("server", base.as_str())
        .with("reason", reason)
        .into()
}
