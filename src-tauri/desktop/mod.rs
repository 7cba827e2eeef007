//! The desktop shell: the Tauri window over the core. Its one command runs
//! the commands of the contract; nothing else lives here. This module exists
//! only with the `desktop` feature.

mod commands;

use crate::store::{self, Db, Opened};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;
use tauri::{App, Manager, WebviewUrl, WebviewWindowBuilder};
use tauri_plugin_dialog::{DialogExt, MessageDialogKind};

/// The label of the one window; the capability in `capabilities/` names it.
const MAIN_WINDOW: &str = "main";

/// Opens the Tillit window on the database at `db` (or the default one) and
/// runs until it is closed.
pub fn run(db: Option<PathBuf>) -> ExitCode {
    drawn_in_software();
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

/// WebKitGTK's switch for drawing pages without accelerated compositing.
const NO_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Whether [`drawn_in_software`] set [`NO_COMPOSITING`] (rather than the
/// person who started Tillit): then the programs Tillit starts do not
/// inherit it.
static NO_COMPOSITING_SET_HERE: AtomicBool = AtomicBool::new(false);

/// Has the web view draw Tillit's pages in software, without accelerated
/// compositing. Tillit's pages are forms, lists and tables with no
/// animation to speak of: WebKit paints them at once without it, and the web
/// process then neither sets up OpenGL before the first paint nor keeps
/// the composited layers' tiles, about 90 MiB, a third of the window's
/// memory. Set before WebKit starts, so the first page is drawn that way;
/// WebKitGTK reads it on Linux and the other platforms ignore it. Whoever
/// starts Tillit with the variable set (`=0` turns compositing back on)
/// keeps their value.
fn drawn_in_software() {
    if std::env::var_os(NO_COMPOSITING).is_none() {
        // Before any thread is started: nothing reads the environment yet.
        std::env::set_var(NO_COMPOSITING, "1");
        NO_COMPOSITING_SET_HERE.store(true, Ordering::Relaxed);
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
    let mut command = std::process::Command::new(opener);
    if NO_COMPOSITING_SET_HERE.load(Ordering::Relaxed) {
        command.env_remove(NO_COMPOSITING);
    }
    let mut child = command
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
/// behind the sign-in form, with what they found, and then the worklist,
/// all of it at the lowest priority and reading on connections of their own
/// ([`Db::reading_beside`]), so that a sign-in never waits for them.
fn start_follow_up(app: &App) {
    let handle = app.handle().clone();
    let started = handle.clone();
    // The start-up prepares the overview itself, after its checks.
    started.state::<Preparing>().begin();
    let check = move |notify: bool| {
        let db = handle.state::<Db>();
        if let Err(error) = db.reading_beside(|| crate::review::run_checks(&db)) {
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
        in_the_background();
        let preparing = started.state::<Preparing>();
        preparing.wait_until_asked();
        // The day's checks first: the overview shows what they found.
        check(true);
        // The overview, then the worklist (whose count the overview shows
        // next), each on a connection of its own.
        prepare(&started);
        let db = started.state::<Db>();
        if let Err(error) = db.reading_beside(|| crate::assessment::worklist::prepare(&db)) {
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

/// Lowers this thread's priority (and that of the threads it starts) to
/// the least: the start-up work yields the processor to the window's own
/// (WebKit painting the sign-in form, a sign-in, a page), and takes what is
/// left. On Linux; elsewhere the thread keeps its priority.
fn in_the_background() {
    #[cfg(target_os = "linux")]
    if let Err(error) = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 19) {
        eprintln!("tillit: the start-up work keeps its priority: {error}");
    }
}

/// How long the start-up work waits for the page to ask for its session.
const AT_MOST_UNTIL_SHOWN: Duration = Duration::from_secs(2);

/// How long the window's overview waits at most for the one being prepared.
const AT_MOST_UNTIL_PREPARED: Duration = Duration::from_secs(5);

/// Whether the overview is being prepared ([`prepare_overview`]), and
/// whether the page has asked for its session yet.
#[derive(Default)]
struct Preparing {
    busy: Mutex<bool>,
    prepared: Condvar,
    asked: Mutex<bool>,
    shown: Condvar,
}

impl Preparing {
    /// Begins a preparation; false when one is under way already.
    fn begin(&self) -> bool {
        let mut busy = self.busy.lock().unwrap_or_else(PoisonError::into_inner);
        !std::mem::replace(&mut *busy, true)
    }

    /// The preparation is over (done or failed).
    fn end(&self) {
        *self.busy.lock().unwrap_or_else(PoisonError::into_inner) = false;
        self.prepared.notify_all();
    }

    /// Waits while the overview is being prepared (or for at most
    /// [`AT_MOST_UNTIL_PREPARED`]): the window asking for it then has it
    /// from memory, rather than reading it again beside the preparation.
    fn wait_until_prepared(&self) {
        let busy = self.busy.lock().unwrap_or_else(PoisonError::into_inner);
        drop(
            self.prepared
                .wait_timeout_while(busy, AT_MOST_UNTIL_PREPARED, |busy| *busy)
                .unwrap_or_else(PoisonError::into_inner),
        );
    }

    /// The page asked for its session: its form is about to be shown.
    fn session_asked(&self) {
        let mut asked = self.asked.lock().unwrap_or_else(PoisonError::into_inner);
        *asked = true;
        self.shown.notify_all();
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
    if !preparing.begin() {
        return;
    }
    let handle = handle.clone();
    std::thread::spawn(move || {
        in_the_background();
        prepare(&handle);
    });
}

/// Computes the overview, then checkpoints the write-ahead log, and says the
/// preparation is over.
fn prepare(handle: &tauri::AppHandle) {
    let db = handle.state::<Db>();
    // The start-up checks' writes are checkpointed too: else the sign-in's
    // commit would copy them into the database file.
    let prepared = db
        .reading_beside(|| crate::review::overview(&db, db.now().date_naive()))
        .and_then(|_| db.checkpoint());
    if let Err(error) = prepared {
        eprintln!("tillit: the overview could not be prepared: {error}");
    }
    handle.state::<Preparing>().end();
}

/// The window asks for the overview: when it is being prepared, it waits
/// for that (the first page after a sign-in).
fn overview_asked(handle: &tauri::AppHandle) {
    if let Some(preparing) = handle.try_state::<Preparing>() {
        preparing.wait_until_prepared();
    }
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
            // Open all day and idle most of it: a small page cache.
            if let Err(error) = db.keep_a_small_cache() {
                eprintln!("tillit: the page cache is left as it was: {error}");
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
    use std::time::Instant;

    #[test]
    fn the_overview_asked_for_waits_for_the_one_being_prepared() {
        let preparing = Arc::new(Preparing::default());
        // Nothing being prepared: no wait.
        let began = Instant::now();
        preparing.wait_until_prepared();
        assert!(began.elapsed() < Duration::from_millis(500));

        assert!(preparing.begin());
        assert!(!preparing.begin(), "one preparation at a time");
        let preparation = Arc::clone(&preparing);
        let began = Instant::now();
        let preparing_it = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            preparation.end();
        });
        preparing.wait_until_prepared();
        preparing_it.join().expect("the preparation");
        let waited = began.elapsed();
        assert!(
            waited >= Duration::from_millis(100),
            "asked {waited:?} in, before the preparation was over"
        );
        assert!(waited < AT_MOST_UNTIL_PREPARED);
        assert!(preparing.begin(), "over, another may begin");
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
