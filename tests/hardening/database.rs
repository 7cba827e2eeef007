use super::*;

/// `tillit` run as a user who may only read the database file (root may
/// write any file, so as root the command runs as `nobody`).
fn as_reader(db: &Path, args: &[&str]) -> Output {
    let root = Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    let mut permissions = std::fs::metadata(db).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o444);
    std::fs::set_permissions(db, permissions).unwrap();
    let folder = db.parent().unwrap();
    let mut open = std::fs::metadata(folder).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut open, 0o555);
    std::fs::set_permissions(folder, open).unwrap();
    let mut command = if root {
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            env!("CARGO_BIN_EXE_tillit"),
        ]);
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_tillit"))
    };
    let output = command
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TILLIT_DB")
        .env("TILLIT_USER", "admin")
        .env("TILLIT_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    let mut back = std::fs::metadata(folder).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut back, 0o755);
    std::fs::set_permissions(folder, back).unwrap();
    output
}

#[test]
fn commands_that_read_open_the_database_read_only() {
    let (dir, db) = database();
    // As an earlier session left it: folded into one file.
    drop(tillit::Db::open(&db).unwrap());
    let mut perms = std::fs::metadata(dir.path()).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(dir.path(), perms).unwrap();
    let before = std::fs::read(&db).unwrap();
    for args in [
        vec!["info"],
        vec!["audit", "verify"],
        vec!["user", "list"],
        vec!["evaluate", "Acme AB"],
    ] {
        let output = as_reader(&db, &args);
        let text = stderr(&output);
        assert!(!text.contains("readonly database"), "{args:?}: {text}");
        if args[0] != "evaluate" {
            assert!(output.status.success(), "{args:?}: {text}");
        } else {
            assert!(text.contains("has not been assessed"), "{text}");
        }
    }
    assert_eq!(std::fs::read(&db).unwrap(), before, "nothing written");
    // A command that writes says why it cannot.
    let output = as_reader(&db, &["export"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("can only be read"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_missing_or_empty_database_file_is_refused_and_nothing_is_created() {
    let (dir, db) = database();
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    for args in [
        vec!["info"],
        vec!["audit", "verify"],
        vec!["export"],
        vec!["report", "register"],
    ] {
        let output = tillit(&empty, &args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stderr(&output).contains("is empty"), "{}", stderr(&output));
        assert_eq!(
            std::fs::metadata(&empty).unwrap().len(),
            0,
            "{args:?} wrote to it"
        );
    }
    let csv = dir.path().join("s.csv");
    std::fs::write(
        &csv,
        "legal_name,country_of_incorporation,country_of_headquarters,tier\nA AB,SE,SE,standard\n",
    )
    .unwrap();
    let missing = dir.path().join("no-such-folder").join("t.db");
    let output = tillit(&missing, &["import", csv.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("No database at"),
        "{}",
        stderr(&output)
    );
    assert!(
        !dir.path().join("no-such-folder").exists(),
        "no folder created"
    );
    drop(db);
}

#[test]
fn a_damaged_database_is_refused_before_an_import_or_a_backup_and_restore_repairs_it() {
    let (dir, path) = database();
    {
        let db = tillit::Db::open(&path).unwrap();
        crate::support::sign_in(&db, "admin");
        db.backup(&dir.path().join("good.db")).unwrap();
        crate::support::sign_in(&db, "olivia");
        for n in 0..200 {
            let mut fields = crate::support::swedish_supplier(&format!("Fyllnad {n} AB"));
            fields.notes = "x".repeat(2000);
            tillit::supplier::create_supplier(&db, fields).unwrap();
        }
    }
    // Fold the log into the file, then damage pages in its middle.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2 / 4096 * 4096;
    for b in &mut bytes[middle..middle + 3 * 4096] {
        *b = 0x55;
    }
    std::fs::write(&path, &bytes).unwrap();

    let csv = dir.path().join("s.csv");
    std::fs::write(
        &csv,
        "legal_name,country_of_incorporation,country_of_headquarters,tier\nA AB,SE,SE,standard\n",
    )
    .unwrap();
    for args in [
        vec!["import", csv.to_str().unwrap()],
        vec![
            "backup",
            "--out",
            dir.path().join("b.db").to_str().unwrap().to_owned().leak(),
        ],
    ] {
        let output = tillit(&path, &args);
        assert!(!output.status.success(), "{args:?}");
        let text = stderr(&output);
        assert!(
            text.contains("damaged") && text.contains("restore"),
            "{args:?}: {text}"
        );
    }
    assert!(!dir.path().join("b.db").exists());
    let good = dir.path().join("good.db");
    let output = tillit(&path, &["restore", good.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_intact(&path);
}

#[test]
fn a_full_disk_says_so_and_writes_nothing() {
    let (_dir, path) = database();
    let db = tillit::Db::open(&path).unwrap();
    crate::support::sign_in(&db, "olivia");
    // The database may grow by a few pages only: as a full disk does.
    db.read(|c| {
        let pages: i64 = c.query_row("PRAGMA page_count", [], |r| r.get(0))?;
        c.query_row(
            &format!("PRAGMA max_page_count = {}", pages + 2),
            [],
            |_| Ok(()),
        )?;
        Ok(())
    })
    .unwrap();
    let mut csv =
        "legal_name,country_of_incorporation,country_of_headquarters,tier,notes\n".to_owned();
    for n in 0..2_000 {
        csv.push_str(&format!(
            "Leverantör {n} AB,SE,SE,standard,{}\n",
            "y".repeat(500)
        ));
    }
    let before = db.info().unwrap();
    let error = tillit::interchange::csv_import::import(&db, csv.as_bytes(), |_| {}).unwrap_err();
    assert!(matches!(error, tillit::Error::DiskFull(_)), "{error:?}");
    assert!(error.to_string().contains("The disk is full"), "{error}");
    assert_eq!(db.info().unwrap(), before, "nothing written");
}

#[test]
fn the_copies_made_beside_the_database_never_follow_a_planted_link() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let older = &tillit::store::MIGRATIONS[..tillit::store::MIGRATIONS.len() - 1];
    drop(tillit::Db::open_with(&path, older).unwrap());
    let outside = dir.path().join("outside.db");
    // A dangling link where the copy before the upgrade would go.
    let version = older.len();
    let planted = dir.path().join(format!("t.db.bak-v{version}"));
    std::os::unix::fs::symlink(&outside, &planted).unwrap();
    let db = tillit::Db::open(&path).unwrap();
    match db.opened() {
        tillit::store::Opened::Upgraded { backup, .. } => {
            assert_eq!(backup, &dir.path().join(format!("t.db.bak-v{version}.2")));
        }
        other => panic!("{other:?}"),
    }
    assert!(!outside.exists(), "written through the planted link");
    assert!(std::fs::symlink_metadata(&planted)
        .unwrap()
        .file_type()
        .is_symlink());
}

/// Found by fuzzing the JSON importer: a key of a thousand characters that
/// is not UTF-8 was named whole in the problem's field.
#[test]
fn a_hostile_key_is_never_named_whole() {
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz-json-long-key.bin"),
    )
    .unwrap();
    let db = crate::support::db();
    let error = tillit::interchange::json::import_bytes(&db, &bytes).unwrap_err();
    for e in error.field_errors() {
        assert!(
            e.field.chars().count() <= 301,
            "{} characters",
            e.field.chars().count()
        );
        assert!(!e.field.contains('\u{1b}'));
    }
    let long_key = format!(
        r#"{{"format":"tillit-register","version":1,"suppliers":[],"{}":1}}"#,
        "k".repeat(5000)
    );
    let error = tillit::interchange::json::import_text(&db, &long_key).unwrap_err();
    let field = &error.field_errors()[0].field;
    assert!(
        field.chars().count() <= 65 && field.ends_with('…'),
        "{field}"
    );
}
