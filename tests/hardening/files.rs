use super::*;

#[test]
fn a_report_or_an_export_over_the_open_database_or_its_companions_is_refused() {
    let (dir, db) = database();
    let wal = dir.path().join("t.db-wal");
    for out in [db.clone(), wal.clone(), dir.path().join("./t.db")] {
        let target = out.to_str().unwrap();
        for args in [
            vec!["report", "register", "--out", target],
            vec!["export", "--out", target],
            vec!["backup", "--out", target],
        ] {
            let output = tillit(&db, &args);
            assert_refused(&output, &out, "is the open Tillit database");
            assert_intact(&db);
        }
    }
    assert_eq!(exports(&db), 0, "nothing refused is recorded as exported");
}

#[test]
fn a_folder_a_special_file_or_a_link_is_never_replaced_and_nothing_is_left_behind() {
    let (dir, db) = database();
    let folder = dir.path().join("reports");
    std::fs::create_dir(&folder).unwrap();
    let fifo = dir.path().join("pipe");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let elsewhere = dir.path().join("elsewhere.txt");
    std::fs::write(&elsewhere, "keep me").unwrap();
    let link = dir.path().join("link.pdf");
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    let before = listing(dir.path());
    for (out, why) in [
        (&folder, "is a folder"),
        (&fifo, "special file"),
        (&link, "is a symbolic link"),
    ] {
        let target = out.to_str().unwrap();
        for args in [
            vec!["report", "register", "--out", target],
            vec!["export", "--out", target],
            vec!["backup", "--out", target],
        ] {
            let output = tillit(&db, &args);
            assert_refused(&output, out, why);
        }
    }
    assert_eq!(listing(dir.path()), before, "nothing was left behind");
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo_like());
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "keep me");
    assert_eq!(exports(&db), 0);
}

trait FifoLike {
    fn is_fifo_like(&self) -> bool;
}
impl FifoLike for std::fs::FileType {
    fn is_fifo_like(&self) -> bool {
        std::os::unix::fs::FileTypeExt::is_fifo(self)
    }
}

#[test]
fn links_planted_beside_the_target_are_never_written_through() {
    let (dir, db) = database();
    let out = dir.path().join("register.pdf");
    // The names an older Tillit wrote through, pointing at the database.
    for planted in ["register.pdf.partial", ".register.pdf.partial"] {
        std::os::unix::fs::symlink(&db, dir.path().join(planted)).unwrap();
    }
    let output = tillit(&db, &["report", "register", "--out", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
    assert_intact(&db);
    let mut names = listing(dir.path());
    names.retain(|n| n.contains("register"));
    assert_eq!(
        names,
        [
            ".register.pdf.partial",
            "register.pdf",
            "register.pdf.partial"
        ],
        "no temporary file is left"
    );
    // The file written is the owner's only.
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&out).unwrap().permissions());
    assert_eq!(mode & 0o077, 0, "mode {mode:o}");
}

#[test]
fn an_export_is_recorded_only_when_its_bytes_were_written() {
    let (_dir, db) = database();
    // A full disk.
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = command(&db, &["export"]).stdout(full).output().unwrap();
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("standard output"),
        "{}",
        stderr(&output)
    );
    assert_eq!(exports(&db), 0, "a failed write is not an export");

    // A reader that went away.
    let mut child = command(&db, &["export"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert!(!output.status.success(), "{}", stderr(&output));
    assert_eq!(exports(&db), 0, "a failed write is not an export");

    let output = tillit(&db, &["export"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(exports(&db), 1);
}

#[test]
fn a_backup_with_another_page_size_restores() {
    let (dir, path) = database();
    let db = tillit::Db::open(&path).unwrap();
    crate::support::sign_in(&db, "admin");
    let out = dir.path().join("backup.db");
    db.backup(&out).unwrap();
    {
        let conn = rusqlite::Connection::open(&out).unwrap();
        conn.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA page_size = 8192; VACUUM;")
            .unwrap();
        let size: i64 = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap();
        assert_eq!(size, 8192);
    }
    crate::support::sign_in(&db, "olivia");
    tillit::supplier::create_supplier(&db, crate::support::swedish_supplier("Later AB")).unwrap();
    crate::support::sign_in(&db, "admin");
    let restored = db.restore(&out).unwrap();
    assert!(restored.kept_aside.contains("before-restore"));
    drop(db);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let names: Vec<String> = conn
        .prepare("SELECT legal_name FROM supplier")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(names, ["Acme AB"]);
    assert_intact(&path);
}
