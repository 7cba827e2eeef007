"""Management approval in the real window: an officer assesses a critical
supplier and submits it; a management user signs in and approves with the
password; the overview shows when the next review is due; the assessment
report is saved as PDF through the native save dialog."""

import datetime
import hashlib
import sqlite3
import subprocess
import json
import os
from pathlib import Path

from conftest import SCREENSHOTS, add_users, answer_save_dialog, cli
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support.ui import Select, WebDriverWait
from test_assessment import click, rate_risk, rate_step1, scroll_to

SUPPLIER_ID = "7b2e4d3f-0000-4000-8000-000000000001"
NOW = "2026-03-01T09:00:00.000Z"


def seed(db: Path, tmp_path: Path) -> None:
    register = {
        "format": "tillit-register",
        "version": 1,
        "suppliers": [
            {
                "id": SUPPLIER_ID,
                "legal_name": "Kärnsystem Öst AB",
                "registration_number": "556016-0680",
                "country_of_incorporation": "SE",
                "country_of_headquarters": "SE",
                "tier": "critical",
                "tier_justification": "Runs the core banking ledger",
                "status": "draft",
                "created_at": NOW,
                "updated_at": NOW,
                "services": [
                    {
                        "id": "7b2e4d3f-0000-4000-8000-000000000002",
                        "supplier_id": SUPPLIER_ID,
                        "name": "Huvudbok",
                        "data_classification": "internal",
                        "personal_data": "none",
                        "storage_countries": ["SE"],
                        "access_countries": ["SE"],
                        "created_at": NOW,
                        "updated_at": NOW,
                    }
                ],
                "evidence": [
                    {
                        "id": "7b2e4d3f-0000-4000-8000-000000000003",
                        "supplier_id": SUPPLIER_ID,
                        "kind": "iso27001",
                        "title": "ISO/IEC 27001",
                        "issuer": "DNV",
                        "valid_from": "2025-01-01",
                        "valid_until": "2028-12-31",
                        "created_at": NOW,
                    }
                ],
            }
        ],
    }
    path = tmp_path / "register.json"
    path.write_text(json.dumps(register, ensure_ascii=False), encoding="utf-8")
    add_users(db)
    cli(db, "import", str(path))


def rate_to_step_2(window):
    """Starts an assessment of the seeded supplier in `window`, verifies step 1
    throughout (which approves) and rates three risks of Huvudbok, unsaved.
    Returns the assessment's address and Huvudbok's step 2."""
    window.driver.execute_script("location.hash = arguments[0]", f"#/suppliers/{SUPPLIER_ID}")
    window.wait_heading("Kärnsystem Öst AB")
    click(window, "Start assessment")
    window.wait_heading("Assessment of Kärnsystem Öst AB")
    assessment_url = window.driver.execute_script("return location.hash")

    # Step 1: every criterion verified (3), which approves.
    window.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-criterion=certification]")))
    rate_step1(window, 3)
    click(window, "Save step 1")
    window.wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=step1-outcome]"), "Approved"))

    # Step 2: three risks, then every mandatory requirement in the contract.
    step2 = window.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-step2='Huvudbok']")))
    for i, text in enumerate(["Ledger data disclosed", "Ledger unavailable at month end", "Wrong postings"]):
        step2.find_element(By.CSS_SELECTOR, f"[data-risk-description='{i}']").send_keys(text)
        rate_risk(step2, i, (3, 3), (2, 3))
    return assessment_url, step2


def assess_to_approval(window, owner: str | None = None) -> str:
    """Assesses the seeded supplier in `window` until nothing blocks approval:
    step 1 verified throughout, three risks of Huvudbok rated (the first one
    owned by `owner`), every mandatory requirement in the contract. Returns
    the assessment's address in the window."""
    assessment_url, step2 = rate_to_step_2(window)
    if owner:
        # Each risk names who owns it; the report prints the owner.
        step2.find_element(By.CSS_SELECTOR, "[data-risk-owner='0']").send_keys(owner)
    click(window, "Save step 2")
    # Saved: the contract requirements listed are those of what was saved.
    window.wait.until(lambda d: not step2.find_elements(By.CSS_SELECTOR, "[data-testid=step2-unsaved], form[aria-busy]"))
    window.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.requirements select")))
    for select in window.driver.find_elements(By.CSS_SELECTOR, "table.requirements select"):
        Select(select).select_by_value("in_contract")
    click(window, "Save step 2")
    window.wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=summary]"), "Nothing blocks approval"))
    return assessment_url


def test_step_2_submitted_twice_at_once_is_saved_without_being_refused_as_changed_by_someone_else(launch, tmp_path: Path):
    """A double click on Save (or Enter pressed twice) sends the form twice
    before the first save has answered; the second save follows the first
    instead of being refused as based on an outdated version."""
    db = tmp_path / "tillit.db"
    seed(db, tmp_path)
    window = launch(db, user="olivia")
    _, step2 = rate_to_step_2(window)
    assert step2.find_elements(By.CSS_SELECTOR, "[data-testid=step2-unsaved]")
    click(window, "Save step 2")
    # Saved: nothing is left unsaved (no risk has an owner; the core stores
    # none, which is what the form holds).
    window.wait.until(lambda d: not step2.find_elements(By.CSS_SELECTOR, "[data-testid=step2-unsaved], form[aria-busy]"))

    # The contract requirements marked, then the form sent twice at once.
    window.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-step2='Huvudbok'] table.requirements select")))
    for select in step2.find_elements(By.CSS_SELECTOR, "table.requirements select"):
        Select(select).select_by_value("in_contract")
    window.driver.execute_script("const form = arguments[0].querySelector('form'); form.requestSubmit(); form.requestSubmit();", step2)
    window.wait.until(lambda d: not step2.find_elements(By.CSS_SELECTOR, "[data-testid=step2-unsaved], form[aria-busy]"))
    refusals = []
    try:
        WebDriverWait(window.driver, 2).until(lambda d: step2.find_elements(By.CSS_SELECTOR, "[role=alert]"))
        refusals = [e.text for e in step2.find_elements(By.CSS_SELECTOR, "[role=alert]")]
    except TimeoutException:
        pass
    assert refusals == []
    assert "Nothing blocks approval" in window.driver.find_element(By.CSS_SELECTOR, "[data-testid=summary]").text
    # What was saved is there when the assessment is opened again.
    window.driver.refresh()
    step2 = window.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-step2='Huvudbok']")))
    assert step2.find_element(By.CSS_SELECTOR, "[data-risk-description='2']").get_attribute("value") == "Wrong postings"
    assert not step2.find_elements(By.CSS_SELECTOR, "[data-testid=step2-unsaved]")


def test_an_officer_assesses_and_management_approves_with_the_password(launch, tmp_path: Path, monkeypatch):
    db = tmp_path / "tillit.db"
    seed(db, tmp_path)
    # The system's viewer, as the window calls it: it notes what it was asked to open.
    viewer = tmp_path / "bin"
    viewer.mkdir()
    opened = tmp_path / "opened.txt"
    (viewer / "xdg-open").write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{opened}"\n')
    (viewer / "xdg-open").chmod(0o755)
    monkeypatch.setenv("PATH", f"{viewer}:{os.environ['PATH']}")
    window = launch(db, user="olivia")
    assessment_url = assess_to_approval(window, owner="Karin Ek, ekonomichef")
    summary = window.driver.find_element(By.CSS_SELECTOR, "[data-testid=summary]").text
    assert "Management approval is required." in summary and "The supplier's tier is critical." in summary

    # The officer submits; the officer may not approve.
    click(window, "Submit for decision")
    decision = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=submitted]")))
    assert "Awaiting management approval." in decision.text
    assert "A management user other than the assessor approves this assessment." in window.driver.find_element(
        By.CSS_SELECTOR, "[data-testid=decision]"
    ).text
    window.switch_user("magnus")
    window.nav_link("overview").click()
    window.wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=overview-awaiting_decision]"), "Kärnsystem Öst AB"))
    window.screenshot("overview-awaiting-approval")

    # Management opens it from the overview and approves with the password.
    window.driver.find_element(By.CSS_SELECTOR, "[data-testid=overview-awaiting_decision] a").click()
    window.wait_heading("Kärnsystem Öst AB")
    window.driver.execute_script("location.hash = arguments[0]", assessment_url)
    password = window.wait.until(EC.presence_of_element_located((By.ID, "decision-password")))
    password.send_keys("not the password")
    click(window, "Record the decision")
    window.wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=decision]"), "The password is wrong"))
    password = window.driver.find_element(By.ID, "decision-password")
    password.clear()
    password.send_keys("correct horse battery")
    click(window, "Record the decision")
    record = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=decision-record]")))
    assert "Approve" in record.text and "approved by management: Magnus Manager" in record.text
    assert "UTC" in record.text
    fingerprint = record.find_element(By.TAG_NAME, "code").text
    assert len(fingerprint) == 64, fingerprint
    # The decision is signed with the manager's personal key (DOMAIN §7).
    signed = record.find_element(By.CSS_SELECTOR, "[data-testid=decision-signature]")
    assert "Signed by Magnus Manager with the personal key" in signed.text, signed.text
    signature = signed.find_element(By.TAG_NAME, "code").text
    assert len(signature) == 128 and all(c in "0123456789abcdef" for c in signature), signature
    scroll_to(window, "[data-testid=decision]")
    window.screenshot("assessment-approved")

    # The overview shows the next review, a year after the approval.
    due = datetime.date.today()
    try:
        due = due.replace(year=due.year + 1)
    except ValueError:  # 29 February gives 28 February
        due = due.replace(year=due.year + 1, day=28)
    window.nav_link("overview").click()
    window.wait_heading("Overview")
    upcoming = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=overview-upcoming]")))
    window.wait.until(
        EC.presence_of_element_located((By.CSS_SELECTOR, f"[data-testid=overview-upcoming] time[datetime='{due.isoformat()}']"))
    )
    assert "Kärnsystem Öst AB" in upcoming.text
    window.screenshot("overview-next-review")

    # The supplier page says the same, and the trail verifies in Settings.
    window.driver.find_element(By.CSS_SELECTOR, "[data-testid=overview-upcoming] a").click()
    window.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, f"[data-testid=next-review] time[datetime='{due.isoformat()}']")))
    window.nav_link("settings").click()
    window.wait_heading("Settings")
    window.driver.find_element(By.CSS_SELECTOR, "a[data-section=trail]").click()
    window.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=verify-audit]"))).click()
    result = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=audit-result]")))
    assert result.text.startswith("Intact:"), result.text
    scroll_to(window, "[data-testid=audit]")
    window.screenshot("audit-verified")
    verified = cli(db, "audit", "verify")
    assert "intact" in verified.stdout

    # The assessment report, saved through the native dialog from the Reports
    # page: the decision with its fingerprint, recorded in the trail.
    window.nav_link("reports").click()
    window.wait_heading("Reports")
    window.driver.find_element(By.ID, "report-search").send_keys("Kärnsystem")
    choice = window.wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "input[name=report-supplier]")))
    choice.click()
    window.driver.find_element(By.CSS_SELECTOR, "[data-testid=report-assessment]").click()
    report = tmp_path / "assessment-report.pdf"
    answer_save_dialog("Save the assessment report", report)
    saved = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=report-saved]")))
    assert str(report) in saved.text and "SHA-256" in saved.text
    window.screenshot("report-saved")
    # The saved report opens in the system's viewer from the confirmation.
    saved.find_element(By.CSS_SELECTOR, "[data-testid=report-open]").click()
    window.wait.until(lambda d: opened.exists() and opened.read_text().strip() == str(report))
    text = subprocess.run(["pdftotext", "-layout", str(report), "-"], capture_output=True, text=True, check=True).stdout
    assert "Supplier assessment report – Kärnsystem Öst AB" in text
    assert "Magnus Manager" in text and fingerprint in text
    # The PDF carries the signature, the trail's head and how to check it.
    flat = subprocess.run(["pdftotext", str(report), "-"], capture_output=True, text=True, check=True).stdout.replace("\n", "")
    assert "signed with Magnus Manager's key" in flat and signature in flat
    words = " ".join(subprocess.run(["pdftotext", str(report), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "Karin Ek, ekonomichef" in words, words
    assert "Residual risk accepted: R1 Medium (6), R2 Medium (6), R3 Medium (6), by Magnus Manager" in words, words
    assert "Audit trail head at issue:" in text and "tillit report verify" in text
    sha = hashlib.sha256(report.read_bytes()).hexdigest()
    assert sha in saved.text
    checked = cli(db, "report", "verify", str(report))
    assert checked.stdout.startswith("Issued by this database: the report “Assessment report” on Kärnsystem Öst AB"), checked.stdout
    assert "by Magnus Manager (magnus)" in checked.stdout and "Its bytes are unchanged" in checked.stdout
    changed = tmp_path / "changed.pdf"
    data = bytearray(report.read_bytes())
    data[len(data) // 2] ^= 0x01
    changed.write_bytes(bytes(data))
    refused = cli(db, "report", "verify", str(changed), check=False)
    assert refused.returncode == 1 and "Not as issued" in refused.stderr, refused.stderr
    with sqlite3.connect(db) as conn:
        recorded = conn.execute(
            "SELECT actor, json_extract(after, '$.sha256') FROM audit_log WHERE entity = 'report.assessment'"
        ).fetchall()
    assert recorded == [("magnus", sha)]
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(report), str(SCREENSHOTS / "report-assessment-page")], check=True)

    # The register, sorted by tier as chosen beside its button, on landscape pages.
    Select(window.driver.find_element(By.CSS_SELECTOR, "[data-testid=register-order]")).select_by_value("tier")
    window.driver.find_element(By.CSS_SELECTOR, "[data-testid=report-register]").click()
    register = tmp_path / "register.pdf"
    answer_save_dialog("Save the supplier register", register)
    window.wait.until(lambda d: register.exists() and any(
        str(register) in e.text for e in d.find_elements(By.CSS_SELECTOR, "[data-testid=report-saved]")))
    confirmation = [e.text for e in window.driver.find_elements(By.CSS_SELECTOR, "[data-testid=report-saved]") if str(register) in e.text][0]
    assert "(1 page)." in confirmation, confirmation
    text = subprocess.run(["pdftotext", "-layout", str(register), "-"], capture_output=True, text=True, check=True).stdout
    assert "sorted by tier" in text, text
    info = subprocess.run(["pdfinfo", str(register)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.276" in info, info
    window.screenshot("report-register-saved")

    # After the decision the forms are read-only; reopening asks why and says
    # what it voids, and only then can the assessment change.
    window.driver.execute_script("location.hash = arguments[0]", assessment_url)
    lock = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=step1-lock]")))
    assert "decided and read-only" in lock.text, lock.text
    radios = window.driver.find_elements(By.CSS_SELECTOR, "[data-criterion] input[type=radio]")
    assert radios and all(not r.is_enabled() for r in radios)
    assert window.driver.find_element(By.CSS_SELECTOR, "[data-testid=step2-lock]").is_displayed()
    assert not [b for b in window.driver.find_elements(By.TAG_NAME, "button") if b.text in ("Save step 1", "Save step 2")]
    window.driver.find_element(By.CSS_SELECTOR, "[data-testid=reopen]").click()
    voids = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=reopen-voids]")))
    assert "This voids the decision “Approved” by Magnus Manager" in voids.text, voids.text
    window.driver.find_element(By.CSS_SELECTOR, "[data-testid=reopen-confirm]").click()
    window.wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=reopen-form]"), "recorded with the voided decision"))
    window.driver.find_element(By.ID, "reopen-reason").send_keys("The ledger moves to a new data centre.")
    scroll_to(window, "[data-testid=reopen-form]")
    window.screenshot("assessment-reopen-confirm")
    window.driver.find_element(By.CSS_SELECTOR, "[data-testid=reopen-confirm]").click()
    event = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=event-reopened]")))
    assert "Reopened by Magnus Manager" in event.text and "new data centre" in event.text
    voided = window.driver.find_element(By.CSS_SELECTOR, "[data-testid=decision-record]").text
    assert "Voided" in voided and "reopened by Magnus Manager" in voided, voided
    assert not window.driver.find_elements(By.CSS_SELECTOR, "[data-testid=step1-lock]")
    scroll_to(window, "[data-testid=decision]")
    window.screenshot("assessment-reopened")
    evaluated = cli(db, "evaluate", "Kärnsystem Öst AB")
    assert "status: In assessment" in evaluated.stdout, evaluated.stdout
