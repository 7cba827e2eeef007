"""A window that guides and loses nothing: the supplier page's next steps,
step 2's requirements and transfer verdict before the first save, actions
shown only to whom may take them, removals confirmed, and forms that ask
before unsaved changes are left behind."""

from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from test_assessment import SUPPLIER_ID, click, rate_risk, rate_step1, seed


def open_supplier(window) -> None:
    window.driver.execute_script("location.hash = arguments[0]", f"#/suppliers/{SUPPLIER_ID}")
    window.wait_heading("Lönesystem Norr AB")


def buttons(window) -> list[str]:
    return [b.text for b in window.driver.find_elements(By.CSS_SELECTOR, "main button") if b.is_displayed()]


def step(window, key: str):
    return window.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, f"[data-testid=next-steps] [data-step={key}]")))


def test_the_supplier_page_says_what_comes_next_and_step_2_shows_its_verdict_before_saving(launch, tmp_path: Path):
    db = tmp_path / "tillit.db"
    seed(db, tmp_path)
    window = launch(db)
    open_supplier(window)
    assert step(window, "services").get_attribute("data-state") == "done"
    assert step(window, "subcontractors").get_attribute("data-state") == "optional"
    assert "1 of 1 valid today" in step(window, "evidence").text
    assert step(window, "assessment").get_attribute("data-state") == "todo"
    # No report before there is an assessment to report on; the steps come first.
    assert "Save the assessment report (PDF)" not in buttons(window)
    order = window.driver.execute_script(
        "return [...document.querySelectorAll('main h2')].map((h) => h.id)"
    )
    assert order.index("services-title") < order.index("assessments-title"), order
    assert order.index("evidence-heading") < order.index("assessments-title"), order
    window.screenshot("supplier-next-steps")

    click(window, "Start assessment")
    window.wait_heading("Assessment of Lönesystem Norr AB")
    rate_step1(window, 3)
    click(window, "Save step 1")
    step2 = window.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-step2='Lönehantering']")))
    # Before any save: the transfer rules have already spoken.
    transfer = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=transfer]")))
    assert "allowed with safeguards" in transfer.text
    rate_risk(step2, 0, (3, 3), (2, 3))
    window.wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=service-level]"), "Risk level: Medium"))
    assert window.driver.find_elements(By.CSS_SELECTOR, "table.requirements select"), "the requirements of the level"
    assert "not saved yet" in window.driver.find_element(By.CSS_SELECTOR, "[data-testid=step2-unsaved]").text

    # Leaving now asks first; staying keeps what was entered.
    window.nav_link("overview").click()
    dialog = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=confirm]")))
    assert "Leave without saving?" in dialog.text
    window.screenshot("unsaved-guard")
    dialog.find_element(By.CSS_SELECTOR, "[data-testid=confirm-cancel]").click()
    window.wait.until(EC.invisibility_of_element_located((By.CSS_SELECTOR, "[data-testid=confirm]")))
    assert "#/assessments/" in window.driver.current_url
    assert "Risk level: Medium" in window.driver.find_element(By.CSS_SELECTOR, "[data-testid=service-level]").text

    # Leaving anyway loses the step 2 that was never saved.
    window.nav_link("overview").click()
    window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=confirm-ok]"))).click()
    window.wait_heading("Overview")
    open_supplier(window)
    blockers = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=next-blockers]")))
    assert "Lönehantering has no step 2 yet." in blockers.text, blockers.text


def test_a_removal_names_what_goes_and_can_be_cancelled(launch, tmp_path: Path):
    db = tmp_path / "tillit.db"
    seed(db, tmp_path)
    window = launch(db)
    open_supplier(window)
    evidence = window.driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby=evidence-heading]")
    remove = [b for b in evidence.find_elements(By.TAG_NAME, "button") if b.text == "Remove"][0]
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", remove)
    remove.click()
    dialog = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=confirm]")))
    assert "Remove the evidence ISO/IEC 27001?" in dialog.text
    assert "step 1 can no longer rely on it" in dialog.text
    # The safe answer has the focus: Enter cancels.
    assert window.driver.switch_to.active_element.get_attribute("data-testid") == "confirm-cancel"
    window.screenshot("remove-confirm")
    dialog.find_element(By.CSS_SELECTOR, "[data-testid=confirm-cancel]").click()
    window.wait.until(EC.invisibility_of_element_located((By.CSS_SELECTOR, "[data-testid=confirm]")))
    assert "Intertek" in evidence.text, "cancelled: nothing removed"

    remove.click()
    window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=confirm-ok]"))).click()
    window.wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "section[aria-labelledby=evidence-heading]"), "No evidence"))

    # A service goes only after the same question, naming its contract data.
    service = window.driver.find_element(By.CSS_SELECTOR, "[data-service='Lönehantering']")
    [b for b in service.find_elements(By.TAG_NAME, "button") if b.text == "Remove"][0].click()
    dialog = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=confirm]")))
    assert "Remove the service Lönehantering?" in dialog.text and "contract details" in dialog.text
    dialog.find_element(By.CSS_SELECTOR, "[data-testid=confirm-cancel]").click()
    assert window.driver.find_elements(By.CSS_SELECTOR, "[data-service='Lönehantering']")


def test_an_unsaved_edit_of_the_supplier_asks_before_it_is_left(launch, tmp_path: Path):
    db = tmp_path / "tillit.db"
    seed(db, tmp_path)
    window = launch(db)
    open_supplier(window)
    click(window, "Edit")
    name = window.wait.until(EC.visibility_of_element_located((By.ID, "supplier-legal_name")))
    assert window.driver.switch_to.active_element == name, "the form opens on its first field"
    name.send_keys(" (ändrad)")
    window.driver.find_element(By.CSS_SELECTOR, "[data-testid=signed-in] button").click()
    dialog = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=confirm]")))
    assert "not saved" in dialog.text
    dialog.find_element(By.CSS_SELECTOR, "[data-testid=confirm-cancel]").click()
    assert name.get_attribute("value").endswith("(ändrad)"), "still signed in, the edit kept"
    # Saved, nothing asks.
    click(window, "Save")
    window.wait_heading("Lönesystem Norr AB (ändrad)")
    window.nav_link("overview").click()
    window.wait_heading("Overview")


def test_a_manager_sees_no_action_that_is_not_theirs(launch, tmp_path: Path):
    db = tmp_path / "tillit.db"
    seed(db, tmp_path)
    window = launch(db, user="magnus")
    open_supplier(window)
    shown = buttons(window)
    for action in ["Edit", "Offboard", "Start assessment", "Remove", "Add service", "Add evidence"]:
        assert action not in shown, f"{action!r} shown to a manager: {shown}"
    window.nav_link("suppliers").click()
    window.wait_heading("Suppliers")
    assert not window.driver.find_elements(By.LINK_TEXT, "New supplier")
    window.screenshot("manager-supplier-readonly")


def test_a_field_error_says_what_is_expected_in_swedish_and_goes_once_the_field_is_changed(launch, tmp_path: Path):
    from test_register import choose, fill
    from test_shell import choose_language

    window = launch(tmp_path / "tillit.db")
    choose_language(window, "sv", "Inställningar")
    window.driver.execute_script("location.hash = '#/suppliers/new'")
    window.wait_heading("Ny leverantör")
    assert window.driver.switch_to.active_element.get_attribute("id") == "supplier-legal_name", "the form opens on its first field"
    fill(window, "supplier-legal_name", "Molnbolaget AB")
    fill(window, "supplier-registration_number", "556012-5790")
    fill(window, "supplier-lei", "ABC123")
    choose(window, "supplier-parent_country", "US")
    click(window, "Registrera leverantör")
    lei = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-field-error='lei']")))
    assert lei.text == "Ett LEI är 20 tecken, bokstäver och siffror, och slutar med två kontrollsiffror.", lei.text
    parent = window.driver.find_element(By.CSS_SELECTOR, "[data-field-error='parent_name']")
    assert "moderbolaget" in parent.text, parent.text
    window.screenshot("sv-field-errors")
    window.driver.find_element(By.ID, "supplier-lei").send_keys("X")
    window.wait.until(EC.invisibility_of_element_located((By.CSS_SELECTOR, "[data-field-error='lei']")))
    assert window.driver.find_elements(By.CSS_SELECTOR, "[data-field-error='parent_name']"), "the other error stays"
