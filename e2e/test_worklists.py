"""Worklists on a generated register: the assessments list with many rows,
its filters and "needs me", each overview count opening the matching list
with its filters set and visible, every service of a heat-map cell, and
each role's first screen."""

from pathlib import Path

import pytest
from conftest import cli
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

SUPPLIERS = 300


@pytest.fixture(scope="module")
def register(tmp_path_factory) -> Path:
    """A generated register of 300 suppliers, made once for the module."""
    db = tmp_path_factory.mktemp("worklists") / "tillit.db"
    seeded = cli(db, "dev", "seed", "--suppliers", str(SUPPLIERS), "--seed", "3", "--as-of", "2026-11-02", user="admin")
    assert seeded.returncode == 0, seeded.stderr
    return db


def copy(register: Path, tmp_path: Path) -> Path:
    target = tmp_path / "tillit.db"
    target.write_bytes(register.read_bytes())
    return target


def shown_count(window, testid: str) -> tuple[int, int]:
    """(shown, total) from a list's counts line, e.g. "Showing 12 of 300 …"."""
    text = WebDriverWait(window.driver, 10).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, f"[data-testid={testid}]"))
    ).text
    numbers = [int(w.replace(",", "")) for w in text.split() if w.replace(",", "").isdigit()]
    return numbers[0], numbers[1]


def overview_count(window, key: str) -> int:
    card = WebDriverWait(window.driver, 10).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, f"[data-testid=overview-{key}] .count"))
    )
    return int(card.text)


def test_the_assessments_worklist_lists_every_assessment_and_filters_it(launch, register, tmp_path):
    window = launch(copy(register, tmp_path), users=False)
    window.nav_link("assessments").click()
    window.wait_heading("Assessments")
    shown, total = shown_count(window, "worklist-counts")
    assert shown == total and total > 250, (shown, total)
    assert "No assessments yet" not in window.driver.find_element(By.TAG_NAME, "main").text
    rows = window.driver.find_elements(By.CSS_SELECTOR, "main a[data-assessment]")
    assert 10 < len(rows) < total, "only the rows in view are rendered"
    window.screenshot("worklist-all")

    # A state filter: the select and the chip agree with the rows.
    Select(window.driver.find_element(By.ID, "worklist-state")).select_by_value("submitted")
    WebDriverWait(window.driver, 10).until(lambda d: "state=submitted" in d.current_url)
    submitted, _ = shown_count(window, "worklist-counts")
    chip = window.driver.find_element(By.CSS_SELECTOR, "button[data-state=submitted]")
    assert chip.get_attribute("aria-pressed") == "true"
    assert str(submitted) in chip.text
    for cell in window.driver.find_elements(By.CSS_SELECTOR, "main .work"):
        assert cell.text.startswith("Submitted"), cell.text

    # Sorting by a column is the core's, and says so.
    window.driver.find_element(By.CSS_SELECTOR, "button[data-sort=assessed_on]").click()
    header = window.driver.find_element(By.CSS_SELECTOR, "button[data-sort=assessed_on]").find_element(By.XPATH, "..")
    WebDriverWait(window.driver, 10).until(lambda d: header.get_attribute("aria-sort") == "ascending")

    # "Needs me": what the officer carries on with, none of it submitted.
    window.driver.find_element(By.CSS_SELECTOR, "[data-testid=needs-me]").click()
    WebDriverWait(window.driver, 10).until(lambda d: "needs_me=1" in d.current_url)
    Select(window.driver.find_element(By.ID, "worklist-state")).select_by_value("")
    WebDriverWait(window.driver, 10).until(lambda d: "state=" not in d.current_url)
    mine, _ = shown_count(window, "worklist-counts")
    assert 0 < mine < total
    for badge in window.driver.find_elements(By.CSS_SELECTOR, "main .work"):
        assert not badge.text.startswith(("Submitted", "Decided", "Stopped", "Escalated")), badge.text
    window.screenshot("worklist-needs-me")

    # A row opens its assessment.
    first = window.driver.find_element(By.CSS_SELECTOR, "main a[data-assessment]")
    name = first.text
    first.click()
    WebDriverWait(window.driver, 10).until(lambda d: "#/assessments/" in d.current_url)
    WebDriverWait(window.driver, 10).until(EC.text_to_be_present_in_element((By.TAG_NAME, "main"), name))


@pytest.mark.parametrize(
    ("key", "page", "select", "value"),
    [
        ("overdue", "suppliers", "filter-review", "overdue"),
        ("due_soon", "suppliers", "filter-review", "due_soon"),
        ("awaiting_decision", "assessments", "worklist-state", "submitted"),
        ("reassessment_required", "suppliers", "filter-status", "reassessment_required"),
    ],
)
def test_an_overview_count_opens_the_matching_filtered_list(launch, register, tmp_path, key, page, select, value):
    window = launch(copy(register, tmp_path), users=False)
    count = overview_count(window, key)
    assert count > 0, f"the generated register has {key}"
    link = window.driver.find_element(By.CSS_SELECTOR, f"[data-testid=overview-all-{key}]")
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    WebDriverWait(window.driver, 10).until(lambda d: f"#/{page}" in d.current_url)
    testid = "register-counts" if page == "suppliers" else "worklist-counts"
    WebDriverWait(window.driver, 10).until(
        lambda d: Select(d.find_element(By.ID, select)).first_selected_option.get_attribute("value") == value
    )
    shown, _ = shown_count(window, testid)
    assert shown == count, f"{key}: the overview counts {count}, the list shows {shown}"
    window.screenshot(f"overview-to-{key}")


def test_a_decision_awaited_leads_to_the_assessment_and_the_guide_is_on_the_overview(launch, register, tmp_path):
    window = launch(copy(register, tmp_path), users=False)
    item = WebDriverWait(window.driver, 10).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=overview-awaiting_decision] li a"))
    )
    assert "#/assessments/" in item.get_attribute("href"), "the decision is taken on the assessment"
    escalation = window.driver.find_element(By.CSS_SELECTOR, "[data-testid=overview-open_escalations] li a")
    assert "#/assessments/" in escalation.get_attribute("href")
    guide = window.driver.find_element(By.CSS_SELECTOR, "[data-testid=guide]")
    assert "How an assessment works" in guide.text
    # The next person starts on their own overview, not on this page.
    item.click()
    WebDriverWait(window.driver, 10).until(lambda d: "#/assessments/" in d.current_url)
    window.switch_user("magnus")
    WebDriverWait(window.driver, 10).until(lambda d: d.current_url.endswith("#/overview"))
    window.wait_heading("Overview")


def test_every_service_of_a_crowded_heat_map_cell_is_listed(launch, register, tmp_path):
    window = launch(copy(register, tmp_path), users=False)
    buttons = window.driver.find_elements(By.CSS_SELECTOR, ".heat button")
    crowded = max(buttons, key=lambda b: int(b.text))
    count = int(crowded.text)
    assert count > 20, count
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", crowded)
    crowded.click()
    WebDriverWait(window.driver, 10).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "[data-testid=heat-cell-services] li")) == count
    )
    window.screenshot("heat-cell-all")


@pytest.mark.parametrize(
    ("user", "present", "absent"),
    [
        ("admin", ["Add and manage users", "Describe the organisation", "Rule sets"], ["New supplier", "need you"]),
        ("olivia", ["need you", "New supplier"], ["Add and manage users"]),
        ("magnus", ["need you", "Reports"], ["New supplier", "Add and manage users"]),
    ],
)
def test_each_role_starts_on_its_own_work(launch, register, tmp_path, user, present, absent):
    window = launch(copy(register, tmp_path), user=user, users=False)
    card = WebDriverWait(window.driver, 10).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=overview-work]"))
    )
    if "need you" in present:
        WebDriverWait(window.driver, 10).until(
            EC.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=work-needs-me]"))
        )
    text = card.text
    for wanted in present:
        assert wanted in text, f"{user}: {wanted!r} in {text!r}"
    for unwanted in absent:
        assert unwanted not in text, f"{user}: {unwanted!r} in {text!r}"
    window.screenshot(f"first-screen-{user}")


def test_a_condition_falling_due_is_on_the_overview_and_the_officer_closes_it_with_a_note(launch, register, tmp_path):
    window = launch(copy(register, tmp_path), users=False)
    count = overview_count(window, "conditions_due")
    assert count > 0, "the generated register has approvals whose conditions fall due"
    card = window.driver.find_element(By.CSS_SELECTOR, "[data-testid=overview-conditions_due]")
    assert "(overdue)" in card.text, card.text
    if count > 8:
        show_all = card.find_element(By.CSS_SELECTOR, "[data-testid=overview-all-conditions_due]")
        window.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", show_all)
        show_all.click()
        WebDriverWait(window.driver, 10).until(
            lambda d: len(d.find_elements(By.CSS_SELECTOR, "[data-testid=overview-conditions_due] li")) == count
        )
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", card)
    window.screenshot("overview-conditions-due")
    card.find_element(By.CSS_SELECTOR, "li a").click()
    WebDriverWait(window.driver, 10).until(lambda d: "#/assessments/" in d.current_url)
    overdue = WebDriverWait(window.driver, 10).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=condition][data-state=overdue]"))
    )
    assert "Overdue" in overdue.text
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", overdue)
    overdue.find_element(By.CSS_SELECTOR, "[data-testid=close-condition]").click()
    form = window.driver.find_element(By.CSS_SELECTOR, "[data-testid=close-condition-form]")
    form.find_element(By.CSS_SELECTOR, "[data-testid=close-condition-confirm]").click()
    WebDriverWait(window.driver, 10).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=close-condition-form]"), "say how the condition was met")
    )
    form.find_element(By.TAG_NAME, "textarea").send_keys("Exit plan tested with the supplier; minutes filed")
    form.find_element(By.CSS_SELECTOR, "[data-testid=close-condition-confirm]").click()
    closed = WebDriverWait(window.driver, 10).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=condition][data-state=closed]"))
    )
    assert "Closed by Olivia Officer" in closed.text and "minutes filed" in closed.text, closed.text
    window.screenshot("condition-closed")
    window.nav_link("overview").click()
    WebDriverWait(window.driver, 10).until(lambda d: overview_count(window, "conditions_due") == count - 1)


def test_management_approves_with_conditions_each_with_a_due_date(launch, register, tmp_path):
    import datetime

    window = launch(copy(register, tmp_path), user="magnus", users=False)
    due_before = overview_count(window, "conditions_due")
    window.driver.execute_script("location.hash = arguments[0]", "#/assessments?needs_me=1&state=submitted")
    row = WebDriverWait(window.driver, 10).until(
        EC.element_to_be_clickable((By.CSS_SELECTOR, "main a[data-assessment]"))
    )
    row.click()
    choice = WebDriverWait(window.driver, 10).until(EC.presence_of_element_located((By.ID, "decision-choice")))
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", choice)
    Select(choice).select_by_value("approve_with_conditions")
    window.driver.find_element(By.ID, "condition-text-0").send_keys("SBOM for the delivered software")
    window.driver.find_element(By.ID, "decision-password").send_keys("correct horse battery")
    window.driver.find_element(By.CSS_SELECTOR, "[data-testid=decide]").click()
    WebDriverWait(window.driver, 10).until(
        EC.text_to_be_present_in_element(
            (By.CSS_SELECTOR, "[data-testid=condition-inputs]"), "give the date by which the condition must be met"
        )
    )
    assert not window.driver.find_elements(By.CSS_SELECTOR, "[data-testid=decision-record]"), "nothing was decided"
    today = datetime.date.today()
    window.driver.find_element(By.ID, "condition-due-0").send_keys((today + datetime.timedelta(days=10)).isoformat())
    window.driver.find_element(By.CSS_SELECTOR, "[data-testid=add-condition]").click()
    window.driver.find_element(By.ID, "condition-text-1").send_keys("Tested exit plan")
    window.driver.find_element(By.ID, "condition-due-1").send_keys((today + datetime.timedelta(days=120)).isoformat())
    password = window.driver.find_element(By.ID, "decision-password")
    password.clear()
    password.send_keys("correct horse battery")
    window.screenshot("decision-with-conditions")
    window.driver.find_element(By.CSS_SELECTOR, "[data-testid=decide]").click()
    record = WebDriverWait(window.driver, 10).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=decision-record]"))
    )
    conditions = record.find_elements(By.CSS_SELECTOR, "[data-testid=condition]")
    assert [c.get_attribute("data-state") for c in conditions] == ["open", "open"]
    assert "SBOM for the delivered software" in conditions[0].text and "Tested exit plan" in conditions[1].text
    assert not record.find_elements(By.CSS_SELECTOR, "[data-testid=close-condition]"), "management does not close conditions"
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", record)
    window.screenshot("decided-with-conditions")
    window.nav_link("overview").click()
    WebDriverWait(window.driver, 10).until(lambda d: overview_count(window, "conditions_due") == due_before + 1)


ENGLISH_REASONS = ["the contract of", "renewal date", "was added", "was removed", "the service ", "the subcontractor", "annual review", "changed (", "no longer valid", "adequacy decision"]


def test_recorded_reasons_and_conditions_are_in_swedish_in_a_swedish_window(launch, register, tmp_path):
    from test_shell import choose_language

    window = launch(copy(register, tmp_path), users=False)
    choose_language(window, "sv", "Inställningar")
    window.nav_link("overview").click()
    window.wait_heading("Översikt")
    card = WebDriverWait(window.driver, 10).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=overview-reassessment_required]"))
    )
    assert any(w in card.text for w in ["avtalet för", "tjänsten", "underleverantören", "omprövningen", "beviset"]), card.text
    main = window.driver.find_element(By.TAG_NAME, "main").text
    assert not [w for w in ENGLISH_REASONS if w in main], main
    conditions = window.driver.find_element(By.CSS_SELECTOR, "[data-testid=overview-conditions_due]")
    assert "Villkor som förfaller inom 30 dagar" in conditions.text and "(försenat)" in conditions.text
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", card)
    window.screenshot("overview-sv-reasons")
    # The supplier's follow-up lists its events' reasons in Swedish too.
    card.find_element(By.CSS_SELECTOR, "li a").click()
    reason = WebDriverWait(window.driver, 10).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=reassessment-reason]"))
    )
    page = window.driver.find_element(By.TAG_NAME, "main").text
    assert reason.text and not [w for w in ENGLISH_REASONS if w in page], page
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", reason)
    window.screenshot("follow-up-sv-reasons")


def test_the_administrator_describes_the_organisation(launch, register, tmp_path):
    window = launch(copy(register, tmp_path), user="admin", users=False)
    link = WebDriverWait(window.driver, 10).until(
        EC.element_to_be_clickable((By.LINK_TEXT, "Describe the organisation"))
    )
    link.click()
    WebDriverWait(window.driver, 10).until(EC.presence_of_element_located((By.ID, "organisation-legal_name")))
    window.driver.find_element(By.ID, "organisation-legal_name").send_keys("Banken i Norr AB")
    WebDriverWait(window.driver, 10).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "#organisation-country option[value=SE]"))
    )
    Select(window.driver.find_element(By.ID, "organisation-country")).select_by_value("SE")
    window.driver.find_element(By.ID, "organisation-lei").send_keys("506700GE1G29325QX364")
    window.driver.find_element(By.CSS_SELECTOR, "[data-testid=organisation-save]").click()
    error = WebDriverWait(window.driver, 10).until(
        EC.visibility_of_element_located((By.ID, "organisation-lei-error"))
    )
    assert "check digits" in error.text.lower() or "lei" in error.text.lower(), error.text
    lei = window.driver.find_element(By.ID, "organisation-lei")
    lei.clear()
    lei.send_keys("506700GE1G29325QX363")
    # What the DORA register of information asks: total assets need a currency.
    Select(window.driver.find_element(By.ID, "organisation-entity_type")).select_by_value("credit_institution")
    window.driver.find_element(By.ID, "organisation-competent_authority").send_keys("Finansinspektionen")
    window.driver.find_element(By.ID, "organisation-total_assets").send_keys("48500000000")
    window.driver.find_element(By.CSS_SELECTOR, "[data-testid=organisation-save]").click()
    error = WebDriverWait(window.driver, 10).until(
        EC.visibility_of_element_located((By.ID, "organisation-currency-error"))
    )
    assert "required with the total assets" in error.text, error.text
    window.driver.find_element(By.ID, "organisation-currency").send_keys("sek")
    # The organisation's own meaning of the register's terms (B_99.01).
    window.driver.find_element(By.CSS_SELECTOR, "[data-testid=definitions] summary").click()
    window.driver.find_element(By.ID, "organisation-definitions.sensitivity_high").send_keys(
        "Data whose disclosure harms customers or breaks banking secrecy."
    )
    window.driver.find_element(By.CSS_SELECTOR, "[data-testid=organisation-save]").click()
    WebDriverWait(window.driver, 10).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=organisation-saved]"))
    )
    assert window.driver.find_element(By.ID, "organisation-currency").get_attribute("value") == "SEK"
    summary = window.driver.find_element(By.CSS_SELECTOR, "[data-testid=definitions] summary").text
    assert "1 of 19 written" in summary, summary
    window.driver.execute_script(
        "document.getElementById('organisation-definitions.sensitivity_high').scrollIntoView({block: 'center'})"
    )
    window.screenshot("settings-organisation-definitions")
    window.screenshot("settings-organisation")
    # The officer reads it and cannot change it.
    window.switch_user("olivia")
    window.driver.execute_script("location.hash = arguments[0]", "#/settings?section=organisation")
    card = WebDriverWait(window.driver, 10).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=organisation]"), "Banken i Norr AB")
    )
    assert not window.driver.find_elements(By.CSS_SELECTOR, "[data-testid=organisation-save]")
    text = window.driver.find_element(By.CSS_SELECTOR, "[data-testid=organisation]").text
    assert "Credit institution" in text and "Finansinspektionen" in text, text
    # And in Swedish.
    from test_shell import choose_language

    choose_language(window, "sv", "Inställningar")
    window.driver.execute_script("location.hash = arguments[0]", "#/settings?section=organisation")
    WebDriverWait(window.driver, 10).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=organisation]"), "Kreditinstitut")
    )
    window.screenshot("settings-organisation-sv-read")



def test_the_administrator_keeps_business_functions_and_a_service_supports_them(launch, register, tmp_path):
    import sqlite3

    db = copy(register, tmp_path)
    # A supplier's service that supports only the administration (F4).
    with sqlite3.connect(db) as conn:
        supplier_id, service_name = conn.execute(
            "SELECT p.id, s.name FROM supplier p JOIN service s ON s.supplier_id = p.id"
            " JOIN service_function l ON l.service_id = s.id"
            " WHERE p.status <> 'offboarded' AND l.function_id = 'F4'"
            " AND (SELECT count(*) FROM service t WHERE t.supplier_id = p.id AND t.name = s.name) = 1 LIMIT 1"
        ).fetchone()
    window = launch(db, user="admin", users=False)
    window.driver.execute_script("location.hash = arguments[0]", "#/settings?section=organisation")
    table = WebDriverWait(window.driver, 10).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=functions-table]"))
    )
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert [r.get_attribute("data-function") for r in rows] == ["F1", "F2", "F3", "F4"]
    assert "Betalningar" in rows[0].text and "critical or important" in rows[0].text, rows[0].text
    assert "Payment services" in rows[0].text, rows[0].text

    # A critical function needs its reason: refused, named by its field.
    button = window.driver.find_element(By.CSS_SELECTOR, "[data-testid=function-add]")
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    window.driver.find_element(By.ID, "function-name").send_keys("Likviditetshantering")
    Select(window.driver.find_element(By.ID, "function-criticality")).select_by_value("critical")
    Select(window.driver.find_element(By.ID, "function-licensed_activity")).select_by_value("eba_TA:x162")
    window.driver.find_element(By.ID, "function-rto_hours").send_keys("12")
    window.driver.find_element(By.CSS_SELECTOR, "[data-testid=function-save]").click()
    error = WebDriverWait(window.driver, 10).until(
        EC.visibility_of_element_located((By.ID, "function-criticality_reason-error"))
    )
    assert "required" in error.text, error.text
    window.driver.find_element(By.ID, "function-criticality_reason").send_keys("Utan den stannar utbetalningarna.")
    window.driver.find_element(By.CSS_SELECTOR, "[data-testid=function-save]").click()
    new = WebDriverWait(window.driver, 10).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=functions-table] tr[data-function=F5]"))
    )
    assert "Likviditetshantering" in new.text and "Taking deposits" in new.text and "12 h" in new.text, new.text
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", new)
    window.screenshot("settings-functions")

    # A function services support is not removed: the refusal names them.
    first = window.driver.find_element(By.CSS_SELECTOR, "tr[data-function=F4] [data-testid=function-remove]")
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", first)
    first.click()
    WebDriverWait(window.driver, 10).until(
        EC.element_to_be_clickable((By.CSS_SELECTOR, "[data-testid=confirm-ok]"))
    ).click()
    banner = WebDriverWait(window.driver, 10).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=functions] [role=alert]"))
    )
    assert "Intern administration cannot be removed while services support it" in banner.text, banner.text
    assert service_name in banner.text, banner.text

    # The officer says the service supports the new critical function too.
    window.switch_user("olivia")
    window.driver.execute_script("location.hash = arguments[0]", f"#/suppliers/{supplier_id}")
    article_css = f"article.service[data-service='{service_name}']"
    article = WebDriverWait(window.driver, 10).until(EC.visibility_of_element_located((By.CSS_SELECTOR, article_css)))
    assert article.find_element(By.CSS_SELECTOR, "[data-testid=functions]").text == "F4 Intern administration"
    edit = [b for b in article.find_elements(By.TAG_NAME, "button") if b.text == "Edit"][0]
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", edit)
    edit.click()
    box = WebDriverWait(window.driver, 10).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=service-functions] input[data-function=F5]"))
    )
    said = window.driver.find_element(By.CSS_SELECTOR, "[data-testid=supports-critical]")
    assert said.text == "So it supports no critical or important function.", said.text
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    box.click()
    assert said.text == "So it supports a critical or important function.", said.text
    window.screenshot("service-form-functions")
    save = [b for b in window.driver.find_elements(By.CSS_SELECTOR, "form button[type=submit]") if b.text == "Save"][0]
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", save)
    save.click()
    WebDriverWait(window.driver, 10).until(
        EC.text_to_be_present_in_element(
            (By.CSS_SELECTOR, f"{article_css} [data-testid=functions]"), "F4 Intern administration, F5 Likviditetshantering"
        )
    )
    text = window.driver.find_element(By.CSS_SELECTOR, article_css).text
    assert "Supports a critical or important functionYes" in text, text

    # In Swedish.
    from test_shell import choose_language

    choose_language(window, "sv", "Inställningar")
    window.driver.execute_script("location.hash = arguments[0]", "#/settings?section=organisation")
    table = WebDriverWait(window.driver, 10).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=functions]"), "Verksamhetsfunktioner")
    )
    text = window.driver.find_element(By.CSS_SELECTOR, "[data-testid=functions]").text
    assert "kritisk eller viktig" in text and "Likviditetshantering" in text, text
    assert not window.driver.find_elements(By.CSS_SELECTOR, "[data-testid=function-add]"), "the officer only reads"
    window.screenshot("settings-functions-sv")


ORGANISATION = (
    '{"organisation":{"legal_name":"Banken i Norr AB","registration_number":"556012-5790",'
    '"lei":"506700GE1G29325QX363","country":"SE","entity_type":"credit_institution",'
    '"competent_authority":"Finansinspektionen","currency":"SEK","total_assets":48500000000,'
    '"definitions":{}},"based_on":null}'
)


def test_the_register_of_information_is_checked_and_saved_as_a_draft_while_problems_remain(launch, register, tmp_path):
    from conftest import answer_save_dialog

    db = copy(register, tmp_path)
    saved = cli(db, "call", "save_organisation", "--args", ORGANISATION, user="admin", check=False)
    assert saved.returncode == 0, saved.stderr
    window = launch(db, user="olivia", users=False)
    window.driver.execute_script("location.hash = arguments[0]", "#/reports")
    panel = WebDriverWait(window.driver, 10).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=dora]"))
    )
    date = window.driver.find_element(By.ID, "dora-ref_date")
    date.clear()
    date.send_keys("2025-12-31")
    button = panel.find_element(By.CSS_SELECTOR, "[data-testid=dora-check]")
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    count = WebDriverWait(window.driver, 30).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=dora-problems-count]"))
    )
    assert "would get the filing rejected" in count.text, count.text
    first = window.driver.find_element(By.CSS_SELECTOR, "[data-testid=dora-problems] tbody tr")
    cells = [c.text for c in first.find_elements(By.TAG_NAME, "td")]
    # The date of the last audit of a provider with neither evidence nor a
    # decided assessment by the reference date.
    assert cells[0].startswith("B_07.01 row ") and cells[0].endswith("c0070"), cells
    assert "Date of the last audit" in cells[1] and cells[2].startswith("supplier "), cells
    assert cells[3] == "evidence", cells
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", panel)
    window.screenshot("reports-dora-problems")

    draft = tmp_path / "utkast.zip"
    click = panel.find_element(By.CSS_SELECTOR, "[data-testid=dora-draft]")
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", click)
    click.click()
    answer_save_dialog("Save the register of information", draft)
    written = WebDriverWait(window.driver, 30).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=dora-written]"))
    )
    assert "Saved the draft utkast.zip" in written.text, written.text
    import zipfile

    names = zipfile.ZipFile(draft).namelist()
    assert any(n.endswith("/reports/b_07.01.csv") for n in names), names
    assert all(n.startswith("DRAFT-506700GE1G29325QX363.IND_SE_DORA010100_DORA_2025-12-31_") for n in names), names

    # In Swedish the kind of each problem is said in Swedish.
    from test_shell import choose_language

    choose_language(window, "sv", "Inställningar")
    window.driver.execute_script("location.hash = arguments[0]", "#/reports")
    panel = WebDriverWait(window.driver, 10).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=dora]"))
    )
    date = window.driver.find_element(By.ID, "dora-ref_date")
    date.clear()
    date.send_keys("2025-12-31")
    panel.find_element(By.CSS_SELECTOR, "[data-testid=dora-check]").click()
    WebDriverWait(window.driver, 30).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=dora-problems]"), "En obligatorisk cell är tom.")
    )
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", panel)
    window.screenshot("reports-dora-problems-sv")
