//! The team server (DOMAIN §11): the contract's commands over HTTPS, so
//! that the people of one organisation share one register from several
//! desktops. A transport like the window: each request is one call into
//! the contract (`POST /api/v1/<command>`, the arguments as a JSON object,
//! the reply as JSON; a refusal as `{code, message, field}` in the
//! language the client asks for). The server alone touches the database;
//! it checks every permission through the core, as the window does.
//!
//! Sessions are random bearer tokens, kept only as their SHA-256: each
//! holds a database handle of its own ([`Db::new_session`]) with the
//! person signed in and, for signed actions, their unsealed key, exactly as
//! a desktop holds it. A session ends after 30 minutes idle or 12 hours in
//! all, at sign-out, and when the person is deactivated or their password
//! reset.

mod session;
mod tls;

pub use session::Limits;
pub(crate) use tls::fingerprint_of_der;
pub use tls::{fingerprint_of_pem, init_self_signed, SelfSigned};

use crate::contract::{self, Access, Caller};
use crate::error::{AppError, Error, ErrorCode, Refusal, Result};
use crate::files::FilePurpose;
use crate::store::Db;
use crate::words::Language;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path as Route, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use session::Sessions;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The response header that carries a new session's token after `sign_in`.
pub const TOKEN_HEADER: &str = "x-tillit-token";

/// How the server listens.
#[derive(Debug, Clone)]
pub struct Options {
    pub listen: SocketAddr,
    /// The certificate chain and private key (PEM files); `None` serves
    /// plain HTTP, allowed on a loopback address only (behind a reverse
    /// proxy that terminates TLS).
    pub tls: Option<(PathBuf, PathBuf)>,
    pub limits: Limits,
}

/// A server running on its own threads; [`Running::stop`] ends it.
#[derive(Debug)]
pub struct Running {
    /// Where it listens (the port chosen when asked for port 0).
    pub addr: SocketAddr,
    /// Whether it speaks HTTPS.
    pub tls: bool,
    handle: axum_server::Handle<SocketAddr>,
    thread: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl Running {
    /// The address a client connects to.
    pub fn url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    /// Stops accepting requests, finishes the ones in flight (for at most
    /// `grace`), and returns when the server has ended.
    pub fn stop(mut self, grace: Duration) {
        self.handle.graceful_shutdown(Some(grace));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    /// Waits until the server ends: after SIGTERM or SIGINT, once the
    /// requests in flight are answered.
    pub fn wait(mut self) -> Result<()> {
        match self.thread.take().map(std::thread::JoinHandle::join) {
            Some(Ok(Err(e))) => Err(Error::io("the server", e)),
            Some(Err(_)) => Err(Error::Internal("the server's thread failed".into())),
            _ => Ok(()),
        }
    }
}

/// Starts serving `db` as `options` say, on threads of its own; returns
/// once it listens. Plain HTTP on an address that is not a loopback one is
/// refused: tokens and passwords would cross the network readable.
pub fn start(db: Db, options: Options, stop_on_signal: bool) -> Result<Running> {
    if options.tls.is_none() && !options.listen.ip().is_loopback() {
        return Err(Refusal::new("refusal.server_plain_http")
            .with("address", options.listen)
            .into());
    }
    let tls = options
        .tls
        .as_ref()
        .map(|(cert, key)| tls::server_config(cert, key))
        .transpose()?;
    let limits = options.limits.clone();
    // Many people read at once: each read on a connection of its own.
    db.read_in_parallel();
    let state = Arc::new(Server {
        sessions: Sessions::new(limits.clone()),
        running: tokio::sync::Semaphore::new(limits.running.max(1)),
        db,
        limits,
    });
    let app = Router::new()
        .route("/api/v1/{command}", post(call))
        .layer(DefaultBodyLimit::max(options.limits.body_bytes))
        .with_state(state);
    let handle = axum_server::Handle::new();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(options.limits.workers)
        .enable_all()
        .build()
        .map_err(|e| Error::io("the server's runtime", e))?;
    let listen = options.listen;
    let serving = handle.clone();
    let is_tls = tls.is_some();
    let thread = std::thread::Builder::new()
        .name("tillit-serve".into())
        .spawn(move || {
            runtime.block_on(async move {
                if stop_on_signal {
                    tokio::spawn(stop_on_signals(serving.clone()));
                }
                let service = app.into_make_service();
                match tls {
                    Some(config) => {
                        axum_server::bind_rustls(
                            listen,
                            axum_server::tls_rustls::RustlsConfig::from_config(config),
                        )
                        .handle(serving)
                        .serve(service)
                        .await
                    }
                    None => {
                        axum_server::bind(listen)
                            .handle(serving)
                            .serve(service)
                            .await
                    }
                }
            })
        })
        .map_err(|e| Error::io("the server's thread", e))?;
    let waiting = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .map_err(|e| Error::io("the server's runtime", e))?;
    let addr = waiting.block_on(async {
        tokio::time::timeout(Duration::from_secs(10), handle.listening())
            .await
            .ok()
            .flatten()
    });
    match addr {
        Some(addr) => Ok(Running {
            addr,
            tls: is_tls,
            handle,
            thread: Some(thread),
        }),
        None => {
            let why = match thread.join() {
                Ok(Err(e)) => e.to_string(),
                _ => "it did not start listening".to_owned(),
            };
            Err(Refusal::new("refusal.server_cannot_listen")
                .with("address", listen)
                .with("reason", why)
                .into())
        }
    }
}

/// Ends the server gracefully on SIGTERM or SIGINT: no new connections,
/// the requests in flight answered (for at most 30 seconds).
async fn stop_on_signals(handle: axum_server::Handle<SocketAddr>) {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = terminate => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    eprintln!(
        "{} tillit serve: stopping; finishing the requests in flight",
        stamp()
    );
    handle.graceful_shutdown(Some(Duration::from_secs(30)));
}

/// What every request shares.
struct Server {
    db: Db,
    sessions: Sessions,
    limits: Limits,
    /// Turns to run a command ([`Limits::running`]).
    running: tokio::sync::Semaphore,
}

/// Runs one command for one request and logs it.
async fn call(
    State(server): State<Arc<Server>>,
    Route(command): Route<String>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Response {
    let started = Instant::now();
    let language = asked_language(&headers);
    let outcome = answer(&server, &command, &headers, body).await;
    let (status, who, response) = match outcome {
        Ok(answered) => (StatusCode::OK, answered.who, answered.response),
        Err(failed) => {
            let status = status_of(&failed.error);
            let reply = AppError::in_language(failed.error, language);
            let body = serde_json::to_string(&reply).unwrap_or_default();
            (status, failed.who, json_response(status, body))
        }
    };
    // One line a request: never a password, a token or a file's content.
    eprintln!(
        "{} {} {} {} {}ms",
        stamp(),
        who.as_deref().unwrap_or("-"),
        printable_command(&command),
        status.as_u16(),
        started.elapsed().as_millis()
    );
    response
}

struct Answered {
    who: Option<String>,
    response: Response,
}

struct Failed {
    who: Option<String>,
    error: Error,
}

impl From<Error> for Failed {
    fn from(error: Error) -> Failed {
        Failed { who: None, error }
    }
}

async fn answer(
    server: &Arc<Server>,
    command: &str,
    headers: &HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> std::result::Result<Answered, Failed> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Error::from(
                Refusal::new("refusal.request_too_large")
                    .with("limit", server.limits.body_bytes / (1024 * 1024)),
            )
        } else {
            Error::invalid(
                "body",
                crate::error::ValidationCode::Format,
                format!("the request body could not be read: {rejection}"),
            )
        }
    })?;
    let args: serde_json::Value = if body.is_empty() {
        serde_json::json!({})
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            Error::invalid(
                "body",
                crate::error::ValidationCode::Format,
                format!("the request body is not JSON: {e}"),
            )
        })?
    };
    let token = bearer(headers);
    let access = contract::access(command);
    let found = token
        .as_deref()
        .map(|t| server.sessions.find(t, &server.db));
    match (access, command) {
        (None, _) => Err(Failed::from(
            contract::admit(&server.db, command)
                .err()
                .unwrap_or_else(|| Error::Internal("no such command".into())),
        )),
        (Some(Access::Open), "create_first_administrator" | "set_language") => {
            // Whoever reached a new server first would become its
            // administrator, and one person's language would become
            // everyone's: both are done on the server's own computer
            // (`tillit user add`) or in each desktop.
            Err(Failed::from(Error::from(
                Refusal::new("refusal.not_over_server").with("command", command),
            )))
        }
        (Some(Access::Open), "sign_in") => {
            let db = Arc::new(server.db.new_session());
            let reply = blocking(server, Arc::clone(&db), command, args).await?;
            let user = db
                .signed_in()
                .ok_or_else(|| Error::Internal("signing in left nobody signed in".into()))?;
            let token = server.sessions.open(db, &user, &server.db);
            let mut response = json_response(StatusCode::OK, reply);
            if let Ok(value) = HeaderValue::from_str(&token) {
                response.headers_mut().insert(TOKEN_HEADER, value);
            }
            Ok(Answered {
                who: Some(user.username),
                response,
            })
        }
        (Some(Access::Open), _) => {
            // The sign-in page's commands: in the session when there is
            // one, else for nobody.
            let (db, who) = match found {
                Some(Ok(session)) => (session.db, Some(session.username)),
                _ => (Arc::new(server.db.new_session()), None),
            };
            let reply = blocking(server, db, command, args)
                .await
                .map_err(|error| Failed {
                    who: who.clone(),
                    error,
                })?;
            if command == "sign_out" {
                if let Some(token) = &token {
                    server.sessions.close(token);
                }
            }
            Ok(Answered {
                who,
                response: json_response(StatusCode::OK, reply),
            })
        }
        (Some(Access::SignedIn), _) => {
            let session = match found {
                Some(found) => found?,
                None => return Err(Error::NotSignedIn("every command but signing in").into()),
            };
            let who = Some(session.username.clone());
            let failed = |error| Failed {
                who: who.clone(),
                error,
            };
            let _slot = session.slots.clone().try_acquire_owned().map_err(|_| {
                failed(
                    Refusal::new("refusal.too_many_requests")
                        .with("count", server.limits.per_session)
                        .into(),
                )
            })?;
            let revokes = revoked_user(command, &args);
            let reply = blocking(server, Arc::clone(&session.db), command, args).await;
            if session.db.signed_in().is_none() {
                // The core signed the person out (deactivated meanwhile).
                server.sessions.close(token.as_deref().unwrap_or_default());
            }
            let reply = reply.map_err(failed)?;
            if let Some(user) = revokes {
                server.sessions.close_all_of(user);
            }
            Ok(Answered {
                who,
                response: json_response(StatusCode::OK, reply),
            })
        }
    }
}

/// The user whose sessions a successful `command` ends: one deactivated or
/// whose password was reset.
fn revoked_user(command: &str, args: &serde_json::Value) -> Option<crate::access::UserId> {
    let id = || serde_json::from_value(args.get("id")?.clone()).ok();
    match command {
        "reset_password" => id(),
        "update_user" if args.pointer("/change/active") == Some(&serde_json::json!(false)) => id(),
        _ => None,
    }
}

/// Runs the command on a blocking thread (the core is synchronous), within
/// the request timeout.
async fn blocking(
    server: &Arc<Server>,
    db: Arc<Db>,
    command: &str,
    args: serde_json::Value,
) -> Result<String> {
    let name = command.to_owned();
    let started = Instant::now();
    let Ok(_turn) = tokio::time::timeout(server.limits.timeout, server.running.acquire()).await
    else {
        return Err(Refusal::new("refusal.request_timeout")
            .with("seconds", server.limits.timeout.as_secs())
            .into());
    };
    let work = tokio::task::spawn_blocking(move || {
        contract::admit(&db, &name).and_then(|()| contract::dispatch(&Remote(&db), &name, &args))
    });
    let left = server.limits.timeout.saturating_sub(started.elapsed());
    match tokio::time::timeout(left, work).await {
        Ok(Ok(reply)) => reply,
        Ok(Err(_)) => Err(Error::Internal("the command's thread failed".into())),
        Err(_) => Err(Refusal::new("refusal.request_timeout")
            .with("seconds", server.limits.timeout.as_secs())
            .into()),
    }
}

/// A remote person as a caller of the contract: the server has no dialogs,
/// no viewer, and no paths of theirs; files travel as bytes.
struct Remote<'a>(&'a Db);

impl Caller for Remote<'_> {
    fn db(&self) -> &Db {
        self.0
    }

    fn chosen_file(&self, _: FilePurpose, path: &str) -> Result<PathBuf> {
        Err(Refusal::new("refusal.file_over_server")
            .with("path", path)
            .into())
    }
}

/// The HTTP status of a refusal.
fn status_of(error: &Error) -> StatusCode {
    if let Error::NotAllowed(refusal) = error {
        match refusal.key {
            "refusal.session_ended" => return StatusCode::UNAUTHORIZED,
            "refusal.request_too_large" => return StatusCode::PAYLOAD_TOO_LARGE,
            "refusal.too_many_requests" => return StatusCode::TOO_MANY_REQUESTS,
            "refusal.request_timeout" => return StatusCode::SERVICE_UNAVAILABLE,
            _ => {}
        }
    }
    match error.code() {
        ErrorCode::Validation => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::NotAllowed | ErrorCode::Locked => StatusCode::CONFLICT,
        ErrorCode::NotSignedIn | ErrorCode::WrongPassword => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::LockedOut => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::Stale => StatusCode::CONFLICT,
        ErrorCode::Busy => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn json_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// The token of `Authorization: Bearer <token>`.
fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let token = value.strip_prefix("Bearer ")?.trim();
    (!token.is_empty()).then(|| token.to_owned())
}

/// The language the client asks for (`Accept-Language`), else English.
fn asked_language(headers: &HeaderMap) -> Language {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').find_map(Language::of_locale))
        .unwrap_or(Language::En)
}

/// A command name as it may go into the log: at most 64 letters, digits
/// and underscores.
fn printable_command(command: &str) -> String {
    command
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '?'
            }
        })
        .collect()
}

fn stamp() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}
