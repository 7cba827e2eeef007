"""The two-step assessment in the real window: step 1 escalates, someone else
resolves it, step 2 with the heat map, the contract requirements, the transfer
verdict and the summary."""

import json
import subprocess
from pathlib import Path

from conftest import APP, add_users, cli
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

SUPPLIER_ID = "6a1f3c2e-0000-4000-8000-000000000001"
NOW = "2026-03-01T09:00:00.000Z"


def seed(db: Path, tmp_path: Path) -> None:
    register = {
        "format": "tillit-register",
        "version": 1,
        "suppliers": [
            {
                "id": SUPPLIER_ID,
                "legal_name": "Lönesystem Norr AB",
                "registration_number": "556016-0680",
                "country_of_incorporation": "SE",
                "country_of_headquarters": "SE",
                "tier": "critical",
                "status": "draft",
                "created_at": NOW,
                "updated_at": NOW,
                "services": [
                    {
                        "id": "6a1f3c2e-0000-4000-8000-000000000002",
                        "supplier_id": SUPPLIER_ID,
                        "name": "Lönehantering",
                        "data_classification": "internal",
                        "personal_data": "personal",
                        "storage_countries": ["SE"],
                        "access_countries": ["IN"],
                        "created_at": NOW,
                        "updated_at": NOW,
                    }
                ],
                "evidence": [
                    {
                        "id": "6a1f3c2e-0000-4000-8000-000000000003",
                        "supplier_id": SUPPLIER_ID,
                        "kind": "iso27001",
                        "issuer": "Intertek",
                        "valid_from": "2025-01-01",
                        "valid_until": "2027-12-31",
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


def rate_step1(window, rating: int, link_certificate: bool = True) -> None:
    """Rates every criterion of step 1 and links the certificate to criterion 1."""
    for radio in window.driver.find_elements(By.CSS_SELECTOR, f"input[type=radio][value='{rating}']"):
        window.driver.execute_script("arguments[0].click()", radio)
    if link_certificate:
        link = window.driver.find_element(By.CSS_SELECTOR, "[data-evidence-link^='certification:']")
        if not link.is_selected():
            window.driver.execute_script("arguments[0].click()", link)


def rate_risk(step2, row: int, inherent: tuple, residual: tuple | None, treatment: str = "mitigate") -> None:
    """Rates one risk of step 2: its inherent and (unless accepted) residual position."""
    selects = step2.find_elements(By.CSS_SELECTOR, "table.risks tbody tr")[row].find_elements(By.TAG_NAME, "select")
    # dimension, inherent L, inherent I, treatment, residual L, residual I
    Select(selects[1]).select_by_value(str(inherent[0]))
    Select(selects[2]).select_by_value(str(inherent[1]))
    Select(selects[3]).select_by_value(treatment)
    if residual is not None:
        Select(selects[4]).select_by_value(str(residual[0]))
        Select(selects[5]).select_by_value(str(residual[1]))


def click(window, text: str) -> None:
    buttons = [b for b in window.driver.find_elements(By.TAG_NAME, "button") if b.text == text and b.is_displayed()]
    assert buttons, f"no button {text!r}"
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", buttons[0])
    buttons[0].click()


def scroll_to(window, css: str) -> None:
    window.driver.execute_script("document.querySelector(arguments[0]).scrollIntoView()", css)
    # Let WebKit paint the scrolled view before a screenshot is taken.
    window.driver.execute_async_script(
        "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(done));"
    )


def test_the_whole_assessment_path(launch, tmp_path: Path):
    db = tmp_path / "tillit.db"
    seed(db, tmp_path)
    window = launch(db)
    window.driver.execute_script("location.hash = arguments[0]", f"#/suppliers/{SUPPLIER_ID}")
    window.wait_heading("Lönesystem Norr AB")

    # Start the assessment.
    # The assessment date defaults to today (the certificate is valid 2025–2027).
    click(window, "Start assessment")
    window.wait_heading("Assessment of Lönesystem Norr AB")

    # A new assessment starts unrated: the form counts what is left, nothing is filled in.
    window.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-criterion=certification]")))
    counter = window.driver.find_element(By.CSS_SELECTOR, "[data-testid=step1-rated]")
    assert "0 of 11 criteria rated" in counter.text, counter.text
    assert not [r for r in window.driver.find_elements(By.CSS_SELECTOR, "input[type=radio]") if r.is_selected()]
    window.screenshot("assessment-unrated")
    radios = window.driver.find_elements(By.CSS_SELECTOR, "[data-criterion=financial_stability] input[type=radio]")
    window.driver.execute_script("arguments[0].click()", radios[2])
    window.wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=step1-rated]"), "1 of 11 criteria rated"))

    # Step 1 with every criterion at 2 (22 of 33): escalates.
    rate_step1(window, 2)
    window.wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=step1-rated]"), "11 of 11 criteria rated"))
    click(window, "Save step 1")
    outcome = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=step1-outcome]")))
    assert "Escalate" in outcome.text
    assert "Escalate: the total 22 of 33 is below 70 %." in outcome.text
    assert "Step 2 opens when step 1 is approved" in window.driver.find_element(By.TAG_NAME, "main").text

    # The escalated step 1 is read-only for the assessor, and says why.
    lock = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=step1-lock]")))
    assert "Step 1 is escalated and locked" in lock.text, lock.text
    radios = window.driver.find_elements(By.CSS_SELECTOR, "[data-criterion] input[type=radio]")
    assert radios and all(not r.is_enabled() for r in radios)
    assert not [b for b in window.driver.find_elements(By.TAG_NAME, "button") if b.text == "Save step 1"]
    scroll_to(window, "[data-testid=step1-lock]")
    window.screenshot("assessment-escalated-locked")

    # The officer cannot resolve the escalation: a management user does.
    assert "a management user other than the assessor resolves it" in window.driver.find_element(
        By.CSS_SELECTOR, "[data-testid=escalation-waits]"
    ).text
    assessment_url = window.driver.execute_script("return location.hash")
    window.switch_user("magnus")
    window.driver.execute_script("location.hash = arguments[0]", assessment_url)
    window.wait.until(EC.presence_of_element_located((By.ID, "resolution-justification"))).send_keys(
        "Accepted given the contract terms."
    )
    click(window, "Resolve")
    window.wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=resolution]"), "Resolved to Approved by Magnus Manager"))
    window.switch_user("olivia")
    window.driver.execute_script("location.hash = arguments[0]", assessment_url)

    # Step 2 of the service: three risks, one high and accepted.
    step2 = window.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-step2='Lönehantering']")))
    # The scales read for the dimension of the risk in focus.
    guidance = step2.find_element(By.CSS_SELECTOR, "[data-testid=guidance]")
    assert "How to read the scales for Data protection" in guidance.text
    assert "less than once in 10 years" in guidance.text
    assert "strictly confidential or special-category data disclosed" in guidance.text
    descriptions = ["Payroll data disclosed", "Payroll run unavailable on pay day", "Wrong salaries paid"]
    for i, text in enumerate(descriptions):
        step2.find_element(By.CSS_SELECTOR, f"[data-risk-description='{i}']").send_keys(text)
    assert "How to read the scales for Business impact" in guidance.text, "follows the risk in focus"
    assert "a major cost, contractual penalties or the supervisor's attention" in guidance.text
    # The risks start unrated.
    first = step2.find_elements(By.CSS_SELECTOR, "table.risks tbody tr")[0].find_elements(By.TAG_NAME, "select")
    assert Select(first[1]).first_selected_option.text == "—"
    rate_risk(step2, 0, (3, 3), (2, 3))
    rate_risk(step2, 1, (3, 3), (2, 3))
    # Accepting takes the risk as it is: the residual follows and is locked.
    rate_risk(step2, 2, (3, 4), None, "accept")
    selects = step2.find_elements(By.CSS_SELECTOR, "table.risks tbody tr")[2].find_elements(By.TAG_NAME, "select")
    assert not selects[4].is_enabled() and not selects[5].is_enabled()
    assert Select(selects[4]).first_selected_option.text == "3" and Select(selects[5]).first_selected_option.text == "4"
    click(window, "Save step 2")
    window.wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=service-level]"), "Risk level: High"))

    # The transfer: internal personal data accessed from India needs safeguards.
    transfer = window.driver.find_element(By.CSS_SELECTOR, "[data-testid=transfer]")
    assert "Transfer rules: allowed with safeguards" in transfer.text
    assert "Internal data in a third country (India): allowed with safeguards." in transfer.text

    # Mark every mandatory requirement in contract, one missing.
    requirement_selects = window.driver.find_elements(By.CSS_SELECTOR, "table.requirements select")
    assert len(requirement_selects) == 17
    for select in requirement_selects:
        Select(select).select_by_value("in_contract")
    Select(window.driver.find_element(By.CSS_SELECTOR, "[data-requirement=redundancy] select")).select_by_value("missing")
    click(window, "Save step 2")
    window.wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-step2='Lönehantering']"), "Missing from the contract: Redundancy."))
    assert "Standard contractual clauses and a transfer impact assessment must both be recorded." in window.driver.find_element(
        By.CSS_SELECTOR, "[data-step2='Lönehantering']"
    ).text
    scroll_to(window, "[data-step2='Lönehantering'] .guided")
    window.screenshot("assessment-heatmap")
    # The heat map's cells are coloured by the bands the core computed.
    cells = window.driver.find_elements(By.CSS_SELECTOR, "[data-step2='Lönehantering'] rect[data-cell]")
    assert len(cells) == 25
    band = lambda cell: next(c for c in cell.get_attribute("class").split() if c.startswith("band-"))
    by_cell = {cell.get_attribute("data-cell"): band(cell) for cell in cells}
    assert by_cell["1x1"] == "band-low" and by_cell["5x5"] == "band-critical", by_cell
    assert "band-none" not in by_cell.values(), by_cell

    summary = window.driver.find_element(By.CSS_SELECTOR, "[data-testid=summary]")
    assert "Management approval is required." in summary.text
    assert "The supplier's tier is critical." in summary.text
    assert "A risk of level high or above in Lönehantering is accepted." in summary.text
    assert "What still blocks approval" in summary.text
    scroll_to(window, "[data-testid=summary]")
    # Only the content pane scrolls: the window itself and the sidebar stay put.
    assert window.driver.execute_script("return document.scrollingElement.scrollTop") == 0
    assert window.driver.execute_script("return document.querySelector('main').scrollTop") > 0
    window.screenshot("assessment-summary")

    # The supplier page says where the latest assessment stands.
    window.driver.find_element(By.CSS_SELECTOR, "a.back").click()
    window.wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=latest-summary]"), "Management approval is required."))
    window.driver.execute_script("history.back()")
    window.wait_heading("Assessment of Lönesystem Norr AB")

    # The same assessment, as the command line sees it.
    evaluated = cli(db, "evaluate", "556016-0680")
    assert "Step 1: Escalate (22 of 33)" in evaluated.stdout
    assert "Resolved to Approved by Magnus Manager" in evaluated.stdout
    assert "Lönehantering: risk level High; transfer allowed with safeguards" in evaluated.stdout

    # An administrator lowers the step-1 threshold: a new rule set version.
    assessment_url = window.driver.execute_script("return location.hash")
    window.switch_user("ada")
    window.nav_link("settings").click()
    window.wait_heading("Settings")
    window.driver.find_element(By.CSS_SELECTOR, "a[data-section=rules]").click()
    threshold = window.wait.until(EC.presence_of_element_located((By.ID, "rules-min-total")))
    threshold.clear()
    threshold.send_keys("60")
    window.driver.find_element(By.ID, "rules-note").send_keys("Threshold lowered to 60 %")
    click(window, "Save as a new version")
    window.wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=rule-set-version]"), "Version 2, saved by Ada Admin"))
    scroll_to(window, "form.rules")
    window.screenshot("rule-set-editor")

    # The assessment keeps its version and result: its step 1 was resolved, so
    # no re-evaluation can re-rate it; it says so instead of offering one.
    window.switch_user("olivia")
    window.driver.execute_script("location.hash = arguments[0]", assessment_url)
    lock = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=step1-lock]")))
    assert "Step 1 is final" in lock.text, lock.text
    assert "Escalate" in window.driver.find_element(By.CSS_SELECTOR, "[data-testid=step1-outcome]").text
    assert not window.driver.find_elements(By.CSS_SELECTOR, "form.reevaluate")
    assert "rule set version 1" in window.driver.find_element(By.CSS_SELECTOR, ".page-header").text
