"""A database written by a newer Tillit: the app says so in a native dialog,
exits with status 2 and leaves the file untouched."""

import os
import sqlite3
import subprocess
import time
from pathlib import Path

from conftest import APP, SCREENSHOTS, find_window
from PIL import ImageGrab


def xdotool(*args: str) -> str:
    return subprocess.run(["xdotool", *args], check=True, capture_output=True, text=True, timeout=20).stdout


def test_a_database_from_a_newer_tillit_is_refused_with_a_dialog(tmp_path: Path):
    db = tmp_path / "tillit.db"
    with sqlite3.connect(db) as conn:
        conn.executescript(
            "PRAGMA application_id = 1414089804; PRAGMA user_version = 999; CREATE TABLE future (x);"
        )
    before = db.read_bytes()

    env = dict(os.environ, TILLIT_DB=str(db), LANG="en_GB.UTF-8")
    app = subprocess.Popen([str(APP)], env=env, stderr=subprocess.PIPE, text=True)
    try:
        window = find_window("Tillit cannot open the database")
        time.sleep(0.5)  # let GTK paint the dialog before the screenshot
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        ImageGrab.grab(xdisplay=os.environ["DISPLAY"]).save(SCREENSHOTS / "database-too-new.png")
        # No window manager under Xvfb: focus the dialog directly, then answer it.
        xdotool("windowfocus", "--sync", window)
        xdotool("key", "Return")
        status = app.wait(timeout=15)
    finally:
        if app.poll() is None:
            app.kill()
    stderr = app.stderr.read() if app.stderr else ""

    assert status == 2, stderr
    assert "schema version 999" in stderr and "newer Tillit" in stderr, stderr
    assert db.read_bytes() == before, "the refused file is unchanged"
    assert not Path(f"{db}-wal").exists()
