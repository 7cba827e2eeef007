"""Team mode in the real window (DOMAIN §11): two desktops, each with its own
local folder, signed in to one `tillit serve`. The officer submits; the
manager sees it arrive without reloading and decides with the password; the
officer sees the decision. Both edit the same supplier: the second save is
refused with the first one's name."""

import hashlib
import json
import os
import signal
import ssl
import subprocess
import time
from pathlib import Path

from conftest import APP, PASSWORD, cli, free_port
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait
from test_approval import SUPPLIER_ID, assess_to_approval, seed
from test_assessment import click
from test_register import click_button, fill


def serve(db: Path, tmp_path: Path) -> tuple[subprocess.Popen, str, str]:
    """`tillit serve` on `db` with a new self-signed certificate: the
    process, its address and the certificate's SHA-256 fingerprint."""
    port = free_port()
    server = subprocess.Popen(
        [str(APP), "serve", "--db", str(db), "--listen", f"127.0.0.1:{port}", "--init", str(tmp_path / "tls")],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "TILLIT_DB"},
    )
    deadline = time.monotonic() + 30
    for line in server.stdout:
        if "Serving" in line:
            break
        assert time.monotonic() < deadline, "the server did not start"
    pem = (tmp_path / "tls" / "tillit-server.crt").read_text()
    fingerprint = hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).hexdigest()
    return server, f"https://127.0.0.1:{port}", fingerprint


def sign_in_to_server(window, url: str, fingerprint: str, username: str) -> None:
    """Chooses "Team server" on the sign-in page, trusts the certificate
    after comparing its fingerprint, and signs in."""
    window.wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "[data-testid=where-team]"))).click()
    server = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=server-url]")))
    server.clear()
    server.send_keys(url)
    form = window.driver.find_element(By.CSS_SELECTOR, "[data-testid=sign-in]")
    form.find_element(By.ID, "sign-in-username").send_keys(username)
    form.find_element(By.ID, "sign-in-password").send_keys(PASSWORD)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    # A self-signed certificate is shown once, to be compared and trusted.
    shown = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=server-fingerprint]")))
    assert shown.text.replace(" ", "") == fingerprint, shown.text
    window.screenshot(f"team-trust-{username}")
    window.driver.find_element(By.CSS_SELECTOR, "[data-testid=server-trust]").click()
    window.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=signed-in]")))
    window.ready()


def test_two_desktops_share_one_register_through_the_team_server(launch, tmp_path: Path):
    server_db = tmp_path / "server" / "tillit.db"
    server_db.parent.mkdir()
    seed(server_db, tmp_path)
    cli(server_db, "user", "add", "oscar", "--name", "Oscar Officer", "--role", "procurement_officer", user="ada")
    server, url, fingerprint = serve(server_db, tmp_path)
    try:
        # Two desktops, each with its own local folder and database.
        (tmp_path / "officer").mkdir()
        (tmp_path / "manager").mkdir()
        officer = launch(tmp_path / "officer" / "tillit.db", user=None, users=False)
        manager = launch(tmp_path / "manager" / "tillit.db", user=None, users=False)
        sign_in_to_server(officer, url, fingerprint, "olivia")
        sign_in_to_server(manager, url, fingerprint, "magnus")

        # The manager watches the worklist of what needs them.
        manager.nav_link("assessments").click()
        manager.wait_heading("Assessments")

        # The officer assesses the supplier on the server and submits it.
        assess_to_approval(officer)
        click(officer, "Submit for decision")
        officer.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=submitted]")))
        submitted = time.monotonic()

        # It arrives in the manager's worklist without a reload.
        WebDriverWait(manager.driver, 10).until(
            EC.text_to_be_present_in_element((By.CSS_SELECTOR, "main"), "Kärnsystem Öst AB")
        )
        arrived = time.monotonic() - submitted
        assert arrived < 4, f"the submission took {arrived:.1f} s to show"
        manager.screenshot("team-manager-sees-submission")

        # The manager opens it and approves with the password.
        link = manager.wait.until(EC.element_to_be_clickable((By.PARTIAL_LINK_TEXT, "Kärnsystem Öst AB")))
        link.click()
        password = manager.wait.until(EC.presence_of_element_located((By.ID, "decision-password")))
        password.send_keys(PASSWORD)
        click(manager, "Record the decision")
        record = manager.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=decision-record]")))
        assert "Magnus Manager" in record.text
        assert "Signed by Magnus Manager with the personal key" in record.text, record.text
        manager.screenshot("team-manager-decided")

        # The officer, still on the assessment, sees the decision.
        decided = WebDriverWait(officer.driver, 10).until(
            EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=decision-record]"))
        )
        assert "Magnus Manager" in decided.text
        officer.screenshot("team-officer-sees-decision")

        # Both edit the same supplier; the second save is refused naming the first.
        for window in (officer, manager):
            window.driver.execute_script("location.hash = arguments[0]", f"#/suppliers/{SUPPLIER_ID}")
            window.wait_heading("Kärnsystem Öst AB")
        # The manager may not edit the register: a second officer does.
        manager.driver.find_element(By.CSS_SELECTOR, "[data-testid=signed-in] button").click()
        form = manager.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=sign-in]")))
        assert manager.driver.find_element(By.CSS_SELECTOR, "[data-testid=server-url]").get_attribute("value") == url
        form.find_element(By.ID, "sign-in-username").send_keys("oscar")
        form.find_element(By.ID, "sign-in-password").send_keys(PASSWORD)
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        manager.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=signed-in]")))
        manager.driver.execute_script("location.hash = arguments[0]", f"#/suppliers/{SUPPLIER_ID}")
        manager.wait_heading("Kärnsystem Öst AB")
        for window in (officer, manager):
            click_button(window, "Edit")
        fill(officer, "supplier-notes", "Olivia's note")
        fill(manager, "supplier-website", "https://karnsystem.se")
        click_button(officer, "Save")
        officer.wait.until(EC.invisibility_of_element_located((By.ID, "supplier-notes")))
        click_button(manager, "Save")
        manager.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=reload-stale]")))
        banner = manager.driver.find_element(By.CSS_SELECTOR, "form .banner.error")
        assert "Olivia Officer" in banner.text, banner.text
        manager.screenshot("team-second-save-refused")
        stored = json.loads(
            cli(server_db, "call", "supplier_detail", "--args", json.dumps({"id": SUPPLIER_ID})).stdout
        )
        assert stored["supplier"]["notes"] == "Olivia's note"
        assert stored["supplier"]["website"] != "https://karnsystem.se"

        # Oscar is deactivated by the administrator: his session on the
        # server ends, and his window goes back to the sign-in page saying why.
        def over_server(*args: str) -> subprocess.CompletedProcess:
            env = dict(os.environ, TILLIT_PASSWORD=PASSWORD)
            env.pop("TILLIT_DB", None)
            return subprocess.run(
                [str(APP), "--server", url, "--server-fingerprint", fingerprint, "--user", "ada", *args],
                env=env, check=True, capture_output=True, text=True, timeout=60,
            )

        users = json.loads(over_server("call", "list_users").stdout)
        oscar = next(u for u in users if u["username"] == "oscar")
        change = {"display_name": oscar["display_name"], "roles": oscar["roles"], "active": False}
        over_server("call", "update_user", "--args", json.dumps({"id": oscar["id"], "change": change}))
        notice = WebDriverWait(manager.driver, 10).until(
            EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=sign-in-notice]"))
        )
        assert "session has ended" in notice.text, notice.text
        manager.screenshot("team-session-ended")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
