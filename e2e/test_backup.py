"""Backup and restore from Settings, in the real window: the administrator
writes a backup through the native save dialog, a later change is undone by
restoring it, and the web view cannot name a file on its own."""

import sqlite3
from contextlib import closing
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import answer_save_dialog, cli


def supplier_names(db: Path) -> list[str]:
    with closing(sqlite3.connect(db)) as conn:
        return [row[0] for row in conn.execute("SELECT legal_name FROM supplier ORDER BY legal_name")]


def raw_invoke(window, command: str, args: dict):
    """Invokes a Tauri command by name, as foreign script in the web view would."""
    return window.driver.execute_async_script(
        """
        const [command, args, done] = arguments;
        window.__TAURI_INTERNALS__.invoke(command, args).then(
          (value) => done({ ok: value }),
          (error) => done({ error }),
        );
        """,
        command,
        args,
    )


def invoke(window, command: str, args: dict):
    """Calls a command of the contract directly through the window's one command."""
    return raw_invoke(window, "call", {"command": command, "args": args})


def test_an_administrator_backs_up_and_restores_from_settings(launch, tmp_path: Path):
    db = tmp_path / "tillit.db"
    window = launch(db, user="ada")
    csv = tmp_path / "suppliers.csv"
    csv.write_text("legal_name;country_of_incorporation;country_of_headquarters;tier\nMolnet AB;SE;SE;essential\n")
    cli(db, "import", str(csv))

    # The web view cannot write or read a file the user did not choose.
    target = tmp_path / "planted.json"
    refused = invoke(window, "export_register", {"path": str(target)})
    assert refused["error"]["code"] == "not_allowed", refused
    assert "was not chosen in a file dialog" in refused["error"]["message"]
    assert not target.exists()
    refused = invoke(window, "import_file", {"path": str(csv)})
    assert refused["error"]["code"] == "not_allowed", refused
    # Nor open a file dialog of its own: only the core opens them.
    assert "error" in raw_invoke(window, "plugin:dialog|save", {"options": {}})
    # The window grants one command, `call`; a command of the contract is
    # not a Tauri command of its own.
    assert "error" in raw_invoke(window, "export_register", {"path": str(target)})

    window.nav_link("settings").click()
    window.wait_heading("Settings")
    window.driver.find_element(By.CSS_SELECTOR, "a[data-section=backup]").click()
    panel = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=backup-panel]")))
    window.driver.execute_script("arguments[0].scrollIntoView()", panel)
    panel.find_element(By.CSS_SELECTOR, "[data-testid=backup]").click()
    backup = tmp_path / "Tillit-backup.db"
    answer_save_dialog("Save a backup of the database", backup)
    written = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=backup-written]")))
    assert str(backup) in written.text and "SHA-256" in written.text
    window.screenshot("backup-written")
    assert supplier_names(backup) == ["Molnet AB"]
    with closing(sqlite3.connect(backup)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    # A change after the backup, undone by restoring it.
    later = tmp_path / "later.csv"
    later.write_text("legal_name;country_of_incorporation;country_of_headquarters;tier\nLater AB;SE;SE;standard\n")
    cli(db, "import", str(later))
    assert supplier_names(db) == ["Later AB", "Molnet AB"]

    panel.find_element(By.CSS_SELECTOR, "[data-testid=restore]").click()
    answer_save_dialog("Choose the backup to restore", backup, choosing=True)
    confirm = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=restore-confirm]")))
    assert str(backup) in confirm.text
    window.screenshot("restore-confirm")
    confirm.find_element(By.CSS_SELECTOR, "button.danger").click()

    notice = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=sign-in-notice]")))
    assert "was restored" in notice.text and "before-restore-" in notice.text
    window.screenshot("restored-sign-in")
    assert supplier_names(db) == ["Molnet AB"]
    kept = [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]
    assert len(kept) == 1 and supplier_names(kept[0]) == ["Later AB", "Molnet AB"]
    assert "intact" in cli(db, "audit", "verify").stdout

    window.sign_in("ada")
    window.nav_link("suppliers").click()
    window.wait_heading("Suppliers")
    window.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-supplier='Molnet AB']")))
    window.wait.until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=register-counts]"), "Showing 1 of 1")
    )
    assert not window.driver.find_elements(By.CSS_SELECTOR, "[data-supplier='Later AB']")


def test_nothing_but_signing_in_answers_before_sign_in(launch, tmp_path: Path):
    db = tmp_path / "tillit.db"
    window = launch(db, user=None)
    window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=sign-in]")))
    for command, args in [("list_register", {"query": {}}), ("overview", {}), ("list_users", {}), ("audit_log", {"filter": {}})]:
        refused = invoke(window, command, args)
        assert refused.get("error", {}).get("code") == "not_signed_in", (command, refused)
    assert invoke(window, "session", {})["ok"]["user"] is None
    window.sign_in("olivia")
    assert "ok" in invoke(window, "list_register", {"query": {}})
