"""Questionnaires in the real window: the officer saves the workbook from
the supplier's page, the supplier fills it in with another program, the
officer imports the returned file, and the answers stand beside the criteria
of step 1, in English and in Swedish."""

import datetime
import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, answer_save_dialog, cli
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

SUPPLIER = {
    "legal_name": "Molnbolaget AB",
    "registration_number": "556012-5790",
    "country_of_incorporation": "SE",
    "country_of_headquarters": "SE",
    "tier": "critical",
    "tier_justification": "Hosts the payment platform",
}

ANSWERS = {
    "1.1": "Yes", "1.2": "ISO/IEC 27001:2022, Bureau Veritas", "1.3": "All hosting services, Stockholm",
    "1.4": "date:2027-06-30", "2.1": "Yes", "3.1": "Partly", "3.2": "SE, DE", "4.1": "Yes", "4.2": 2,
    "5.1": "No", "6.1": "Yes", "6.2": "date:2026-10-01", "7.1": "Yes", "7.2": "Partly", "8.1": "Yes",
    "8.2": "Yes", "9.1": "Yes", "9.2": "No", "10.1": "Yes", "11.1": "Partly", "11.2": "Yes",
}


def call(db: Path, command: str, args: dict) -> dict:
    done = cli(db, "call", command, "--args", json.dumps(args), check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_questionnaire_is_sent_filled_in_elsewhere_imported_and_its_answers_shown_beside_the_criteria(launch, tmp_path):
    db = tmp_path / "tillit.db"
    window = launch(db, user="olivia")
    supplier = call(db, "create_supplier", {"fields": SUPPLIER})["supplier"]["id"]
    assessment = call(db, "start_assessment", {"supplier_id": supplier, "assessed_on": "2026-11-30"})["id"]

    window.driver.execute_script("location.hash = arguments[0]", f"#/suppliers/{supplier}")
    panel = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=questionnaires]")))
    assert "No questionnaire has been sent." in panel.text
    new = panel.find_element(By.CSS_SELECTOR, "[data-testid=questionnaire-new]")
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", new)
    new.click()
    deadline = window.driver.find_element(By.ID, "questionnaire-deadline")
    deadline.clear()
    due = (datetime.date.today() + datetime.timedelta(days=60)).isoformat()
    deadline.send_keys(due)
    sent = tmp_path / "questionnaire.xlsx"
    panel.find_element(By.CSS_SELECTOR, "[data-testid=questionnaire-write]").click()
    answer_save_dialog("Save the questionnaire", sent)
    done = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=questionnaire-done]")))
    assert f"Saved {sent}" in done.text, done.text
    assert sent.read_bytes()[:2] == b"PK"
    state = panel.find_element(By.CSS_SELECTOR, "[data-testid=questionnaire-state]")
    assert state.text == "Awaiting answers", state.text
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", panel)
    window.screenshot("questionnaire-sent")

    # The overview counts it as outstanding.
    window.driver.execute_script("location.hash = arguments[0]", "#/")
    card = window.wait.until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=overview-questionnaires]"))
    )
    assert card.find_element(By.CSS_SELECTOR, ".count").text == "1"
    assert "Molnbolaget AB" in card.text and "0 past their deadline" in card.text, card.text

    # The supplier fills it in with another program.
    returned = tmp_path / "answered.xlsx"
    spec = tmp_path / "answers.json"
    spec.write_text(json.dumps({"answers": ANSWERS}))
    subprocess.run(
        [sys.executable, str(ROOT / "tests" / "fill_questionnaire.py"), str(sent), str(returned), str(spec)],
        check=True,
        timeout=60,
    )

    window.driver.execute_script("location.hash = arguments[0]", f"#/suppliers/{supplier}")
    panel = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=questionnaires]")))
    button = panel.find_element(By.CSS_SELECTOR, "[data-testid=questionnaire-import]")
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    answer_save_dialog("Open the returned questionnaire", returned, choosing=True)
    done = WebDriverWait(window.driver, 20).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=questionnaire-done]"))
    )
    assert "Imported: 21 of 26 questions answered" in done.text, done.text
    state = panel.find_element(By.CSS_SELECTOR, "[data-testid=questionnaire-state]")
    assert state.text.startswith("Returned"), state.text
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", panel)
    window.screenshot("questionnaire-returned")

    # The answers beside the criteria of step 1.
    window.driver.execute_script("location.hash = arguments[0]", f"#/assessments/{assessment}")
    answers = window.wait.until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=answers-certification]"))
    )
    assert "ISO/IEC 27001:2022, Bureau Veritas" in answers.text, answers.text
    assert "1.1 Do you hold a valid ISO/IEC 27001 certificate" in answers.text
    assert "not answered" in answers.text  # 1.5, optional, left empty
    continuity = window.driver.find_element(By.CSS_SELECTOR, "[data-testid=answers-business_continuity]")
    assert "2026-10-01" in continuity.text, continuity.text
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", answers)
    window.screenshot("questionnaire-answers")

    from test_shell import choose_language

    choose_language(window, "sv", "Inställningar")
    window.driver.execute_script("location.hash = arguments[0]", f"#/assessments/{assessment}")
    answers = window.wait.until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=answers-subcontractor_management]"))
    )
    assert "Leverantörens svar" in answers.text and "Delvis" in answers.text, answers.text
    assert "3.1 Bedömer ni säkerheten hos era egna underleverantörer" in answers.text, answers.text
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", answers)
    window.screenshot("questionnaire-answers-sv")


def test_the_administrator_rewords_a_question_and_the_next_workbook_asks_it(launch, tmp_path):
    db = tmp_path / "tillit.db"
    window = launch(db, user="ada")
    window.driver.execute_script("location.hash = arguments[0]", "#/settings?section=rules")
    questions = window.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=rules-questions]")))
    section = questions.find_element(By.CSS_SELECTOR, "[data-questions=incident_management]")
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", section)
    section.find_element(By.TAG_NAME, "summary").click()
    text = section.find_element(By.CSS_SELECTOR, "[data-question='4.1'] textarea")
    text.clear()
    text.send_keys("Can you notify us of an incident within 12 hours?")
    window.screenshot("rules-questions")
    window.driver.find_element(By.ID, "rules-note").send_keys("Notification within 12 hours")
    save = window.driver.find_element(By.CSS_SELECTOR, "form.rules button[type=submit]")
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", save)
    save.click()
    window.wait.until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=rule-set-version]"), "Version 2, saved by Ada Admin")
    )

    call(db, "create_supplier", {"fields": SUPPLIER})
    out = tmp_path / "q.xlsx"
    due = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    sent = cli(db, "questionnaire", "send", "Molnbolaget AB", "--deadline", due, "--out", str(out))
    assert "26 questions" in sent.stdout, sent.stdout
    import openpyxl

    sheet = openpyxl.load_workbook(out)["Questions"]
    asked = [row[1].value for row in sheet.iter_rows() if row[0].value == "4.1"]
    assert asked == ["Can you notify us of an incident within 12 hours?"], asked
