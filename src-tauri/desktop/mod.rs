//! The desktop shell: the Tauri window over the core. Its one command runs
//! the commands of the contract; nothing else lives here. This module exists
//! only with the `desktop` feature.

mod commands;

use crate::store::{self, Db, Opened};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tauri::{App, Manager, WebviewUrl, WebviewWindowBuilder};
use tauri_plugin_dialog::{DialogExt, MessageDialogKind};

/// The label of the one window; the capability in `capabilities/` names it.
const MAIN_WINDOW: &str = "main";

/// Opens the Tillit window on the database at `db` (or the default one) and
/// runs until it is closed.
pub fn run(db: Option<PathBuf>) -> ExitCode {
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .invoke_handler(tauri::generate_handler![commands::call])
        .manage(crate::files::FileGrants::default())
        .manage(commands::Team::default())
        .manage(Preparing::default())
        .setup(move |app| {
            open_database(app, db.as_deref())?;
            Ok(())
        })
        .build(tauri::generate_context!());
    match app {
        Ok(app) => {
            app.run(|_, _| {});
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("tillit: the window could not be started: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Opens a stored file with the program the desktop associates with its
/// type. The path is one the core resolved inside the evidence store, never
/// one taken from the UI.
fn open_with_system_viewer(path: &Path) -> crate::Result<()> {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let mut child = std::process::Command::new(opener)
        .arg(path)
        .spawn()
        .map_err(|e| crate::Error::io(path, e))?;
    // Reaped on a thread of its own: the viewer may stay open for long.
    std::thread::spawn(move || child.wait());
    Ok(())
}

/// The follow-up checks (expired evidence, changed adequacy decisions) at
/// start-up and then daily while the app runs, and a desktop notification
/// when reviews are overdue. At start-up they wait until the page has asked
/// for its session (or for at most [`AT_MOST_UNTIL_SHOWN`]): run beside the
/// window's start on two cores they slowed it. Then the overview is prepared
/// behind the sign-in form, with what they found, and the worklist is read
/// once the window is idle ([`IDLE`]).
fn start_follow_up(app: &App) {
    let handle = app.handle().clone();
    let started = handle.clone();
    // The start-up prepares the overview itself, after its checks.
    started
        .state::<Preparing>()
        .busy
        .store(true, Ordering::SeqCst);
    let check = move |notify: bool| {
        let db = handle.state::<Db>();
        if let Err(error) = crate::review::run_checks(&db) {
            eprintln!("tillit: the follow-up checks failed: {error}");
        }
        if !notify {
            return;
        }
        match crate::review::overdue_reviews(&db, db.now().date_naive()) {
            Ok(overdue) if overdue.count > 0 => {
                use tauri_plugin_notification::NotificationExt;
                let body = match overdue.items.first() {
                    Some(first) if overdue.count == 1 => {
                        format!("The review of {} is overdue.", first.supplier)
                    }
                    _ => format!("{} supplier reviews are overdue.", overdue.count),
                };
                if let Err(error) = handle
                    .notification()
                    .builder()
                    .title("Tillit")
                    .body(body)
                    .show()
                {
                    eprintln!("tillit: no desktop notification: {error}");
                }
            }
            Ok(_) => {}
            Err(error) => eprintln!("tillit: the overdue reviews could not be read: {error}"),
        }
    };
    std::thread::spawn(move || {
        let preparing = started.state::<Preparing>();
        preparing.wait_until_asked();
        // The day's checks first: the overview shows what they found.
        check(true);
        prepare(&started);
        // The worklist, read whole the first time, is read when the window
        // is idle, ready when next asked.
        preparing.wait_until_idle();
        if let Err(error) = crate::assessment::worklist::prepare(&started.state::<Db>()) {
            eprintln!("tillit: the worklist could not be prepared: {error}");
        }
        let mut day = chrono::Utc::now().date_naive();
        loop {
            std::thread::sleep(Duration::from_secs(600));
            let today = chrono::Utc::now().date_naive();
            if today != day {
                day = today;
                check(false);
            }
        }
    });
}

/// How long the start-up work waits for the page to ask for its session.
const AT_MOST_UNTIL_SHOWN: Duration = Duration::from_secs(2);

/// How long the window must have had no command for the worklist to be read
/// at start-up, so that it holds up no sign-in and no page; and how long it
/// waits for that at most.
const IDLE: Duration = Duration::from_millis(300);
const AT_MOST_UNTIL_IDLE: Duration = Duration::from_secs(10);

/// Whether the overview is being prepared ([`prepare_overview`]), whether
/// the page has asked for its session yet, and when the window's last
/// command was answered.
#[derive(Default)]
struct Preparing {
    busy: AtomicBool,
    asked: Mutex<bool>,
    shown: Condvar,
    last_answered: Mutex<Option<Instant>>,
}

impl Preparing {
    /// The page asked for its session: its form is about to be shown.
    fn session_asked(&self) {
        let mut asked = self.asked.lock().unwrap_or_else(PoisonError::into_inner);
        *asked = true;
        self.shown.notify_all();
    }

    /// A command of the window has been answered.
    fn answered(&self) {
        *self
            .last_answered
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(Instant::now());
    }

    /// Waits until no command has been answered for [`IDLE`], or for at most
    /// [`AT_MOST_UNTIL_IDLE`].
    fn wait_until_idle(&self) {
        let until = Instant::now() + AT_MOST_UNTIL_IDLE;
        loop {
            let last = *self
                .last_answered
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let now = Instant::now();
            let idle_at = last.map_or(now, |last| last + IDLE);
            if idle_at <= now || now >= until {
                return;
            }
            std::thread::sleep(idle_at.min(until) - now);
        }
    }

    /// Waits until the page has asked for its session, or for at most
    /// [`AT_MOST_UNTIL_SHOWN`].
    fn wait_until_asked(&self) {
        let asked = self.asked.lock().unwrap_or_else(PoisonError::into_inner);
        drop(
            self.shown
                .wait_timeout_while(asked, AT_MOST_UNTIL_SHOWN, |asked| !*asked)
                .unwrap_or_else(PoisonError::into_inner),
        );
    }
}

/// A command of the window has been answered (see [`IDLE`]).
fn answered(handle: &tauri::AppHandle) {
    if let Some(preparing) = handle.try_state::<Preparing>() {
        preparing.answered();
    }
}

/// The page asked for its session with nobody signed in: the sign-in form is
/// about to be shown, and the overview is prepared behind it.
fn session_asked(handle: &tauri::AppHandle) {
    if let Some(preparing) = handle.try_state::<Preparing>() {
        preparing.session_asked();
    }
    prepare_overview(handle);
}

/// Computes the overview, the first page after a sign-in, on a thread of its
/// own while the person signs in, so that it is shown at once. Started when
/// the page has asked for its session; once at a time. The worklist the
/// overview counts from is asked for only once the overview is shown.
fn prepare_overview(handle: &tauri::AppHandle) {
    let Some(preparing) = handle.try_state::<Preparing>() else {
        return;
    };
    if preparing.busy.swap(true, Ordering::SeqCst) {
        return;
    }
    let handle = handle.clone();
    std::thread::spawn(move || prepare(&handle));
}

/// Computes the overview, then checkpoints the write-ahead log, and says the
/// preparation is over.
fn prepare(handle: &tauri::AppHandle) {
    let db = handle.state::<Db>();
    // The start-up checks' writes are checkpointed too: else the sign-in's
    // commit would copy them into the database file.
    let prepared =
        crate::review::overview(&db, db.now().date_naive()).and_then(|_| db.checkpoint());
    if let Err(error) = prepared {
        eprintln!("tillit: the overview could not be prepared: {error}");
    }
    handle
        .state::<Preparing>()
        .busy
        .store(false, Ordering::SeqCst);
}

/// Opens the database and then the window; when the database is refused (too
/// new, not Tillit's, unreadable) says why in a native dialog and exits with
/// status 2, leaving the file untouched.
fn open_database(app: &mut App, explicit: Option<&Path>) -> tauri::Result<()> {
    let opened = store::resolve_path(explicit).and_then(|path| Db::open(&path));
    match opened {
        Ok(db) => {
            if let Opened::Upgraded { from, to, backup } = db.opened() {
                eprintln!(
                    "tillit: upgraded the database from schema version {from} to {to}; the previous file was copied to {}",
                    backup.display()
                );
            }
            app.manage(db);
            start_follow_up(app);
            WebviewWindowBuilder::new(app, MAIN_WINDOW, WebviewUrl::default())
                .title("Tillit")
                .inner_size(1200.0, 800.0)
                .min_inner_size(800.0, 560.0)
                .build()?;
        }
        Err(error) => {
            eprintln!("tillit: {error}");
            let handle = app.handle().clone();
            app.dialog()
                .message(error.to_string())
                .title("Tillit cannot open the database")
                .kind(MessageDialogKind::Error)
                .show(move |_| handle.exit(2));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn the_start_up_worklist_waits_for_a_pause_in_the_windows_commands() {
        let preparing = Arc::new(Preparing::default());
        // Nothing asked yet: the window is idle.
        let began = Instant::now();
        preparing.wait_until_idle();
        assert!(
            began.elapsed() < IDLE,
            "waited {:?} with no command",
            began.elapsed()
        );

        // A command answered now, another a third of the pause later: the
        // worklist waits for the pause after the last one.
        preparing.answered();
        let busy = Arc::clone(&preparing);
        let began = Instant::now();
        let other = std::thread::spawn(move || {
            std::thread::sleep(IDLE / 3);
            busy.answered();
        });
        preparing.wait_until_idle();
        other.join().expect("the other command");
        assert!(
            began.elapsed() >= IDLE / 3 + IDLE,
            "ran {:?} after the first command, within the pause after the second",
            began.elapsed()
        );
    }

    #[test]
    fn the_start_up_work_begins_when_the_page_asks_for_its_session() {
        let preparing = Arc::new(Preparing::default());
        let page = Arc::clone(&preparing);
        let began = Instant::now();
        let asking = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            page.session_asked();
        });
        preparing.wait_until_asked();
        asking.join().expect("the page");
        let waited = began.elapsed();
        assert!(
            waited >= Duration::from_millis(50),
            "began {waited:?} before the page asked"
        );
        assert!(
            waited < AT_MOST_UNTIL_SHOWN,
            "waited {waited:?}, the most it may"
        );
        // Asked once, it does not wait again.
        let began = Instant::now();
        preparing.wait_until_asked();
        assert!(began.elapsed() < Duration::from_millis(500));
    }
}
