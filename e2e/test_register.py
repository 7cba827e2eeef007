"""The supplier register in the real window: registering a supplier with a
service and a US subcontractor, the exposure explanation, and a register of
ten thousand suppliers."""

import subprocess
from pathlib import Path

from conftest import APP, add_users, cli
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select


def fill(window, element_id: str, text: str) -> None:
    field = window.driver.find_element(By.ID, element_id)
    field.clear()
    if text:
        field.send_keys(text)
    else:
        # clear() fires no input event; the search field listens for one.
        window.driver.execute_script("arguments[0].dispatchEvent(new Event('input', {bubbles: true}))", field)


def choose(window, element_id: str, value: str) -> None:
    Select(window.driver.find_element(By.ID, element_id)).select_by_value(value)


def click_button(window, text: str) -> None:
    buttons = [b for b in window.driver.find_elements(By.TAG_NAME, "button") if b.text == text and b.is_displayed()]
    assert buttons, f"no button {text!r}"
    window.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", buttons[0])
    buttons[0].click()


def test_a_supplier_with_a_us_subcontractor_storing_data_is_shown_as_exposed(launch, tmp_path: Path):
    window = launch(tmp_path / "tillit.db")
    window.nav_link("suppliers").click()
    window.wait_heading("Suppliers")
    window.driver.find_element(By.LINK_TEXT, "New supplier").click()
    window.wait_heading("New supplier")

    # A wrong check digit is refused next to its field, and nothing is saved.
    fill(window, "supplier-legal_name", "Molntjänst Norden AB")
    fill(window, "supplier-registration_number", "556012-5791")
    choose(window, "supplier-tier", "critical")
    click_button(window, "Register supplier")
    error = window.wait.until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-field-error='registration_number']"))
    )
    assert "check digit" in error.text
    window.screenshot("supplier-form-error")

    fill(window, "supplier-registration_number", "556012-5790")
    click_button(window, "Register supplier")
    window.wait_heading("Molntjänst Norden AB")
    assert window.driver.find_element(By.CSS_SELECTOR, "[data-testid=person-type]").text.startswith("Legal person")

    click_button(window, "Add service")
    fill(window, "service-name", "E-post och kalender")
    choose(window, "service-ict_service_type", "cloud_saas")
    choose(window, "service-data_classification", "confidential")
    choose(window, "service-data_sensitivity", "medium")
    choose(window, "service-substitutability", "highly_complex")
    choose(window, "service-substitutability_reason", "hard_to_migrate")
    choose(window, "service-reintegration", "difficult")
    choose(window, "service-discontinuing_impact", "high")
    choose(window, "service-personal_data", "personal")
    choose(window, "service-storage_countries", "SE")
    choose(window, "service-storage_countries", "FI")
    # The form in groups, the DORA terms explained under their fields.
    legends = [e.text for e in window.driver.find_elements(By.CSS_SELECTOR, "form[aria-label='Add service'] > fieldset > legend")]
    assert legends == ["The service", "Data and where it is", "Continuity and exit", "Contract"], legends
    assert "Recovery time objective" in window.driver.find_element(By.ID, "service-rto_hours-hint").text
    window.driver.execute_script("document.getElementById('service-reliance').scrollIntoView({block: 'center'})")
    window.screenshot("service-form")
    # A contract that follows a framework names it; the form says so before anything is saved.
    choose(window, "service-contract_arrangement", "subsequent")
    click_button(window, "Add service")
    error = window.wait.until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-field-error='overarching_contract']"))
    )
    assert "required for a subsequent or associated contract" in error.text, error.text
    fill(window, "service-overarching_contract", "RAM-2024-001")
    window.driver.execute_script("document.getElementById('service-overarching_contract').scrollIntoView({block: 'center'})")
    window.screenshot("service-form-contract")
    click_button(window, "Add service")
    window.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-service='E-post och kalender']")))

    exposure = window.driver.find_element(By.CSS_SELECTOR, "[data-testid=exposure]")
    assert "are not exposed" in exposure.text

    click_button(window, "Add subcontractor")
    fill(window, "subcontractor-name", "Hyperscale Storage LLC")
    choose(window, "subcontractor-country", "US")
    fill(window, "subcontractor-role", "Backup storage")
    window.driver.find_element(By.ID, "subcontractor-stores_data").click()
    click_button(window, "Add subcontractor")

    window.wait.until(
        EC.text_to_be_present_in_element(
            (By.CSS_SELECTOR, "[data-testid=exposure]"),
            "The subcontractor Hyperscale Storage LLC stores or accesses our data and is based in United States (US).",
        )
    )
    exposure = window.driver.find_element(By.CSS_SELECTOR, "[data-testid=exposure]")
    assert "The services of this supplier are exposed." in exposure.text
    assert "Storing the data in the EU does not remove the exposure." in exposure.text
    service = window.driver.find_element(By.CSS_SELECTOR, "[data-service='E-post och kalender']")
    # The subcontractor's country joins the service's: the whole chain is judged.
    assert "Finland, Sweden" in service.text and "Third country" in service.text
    # What DORA's register of information will report of it.
    arrangement = service.find_element(By.CSS_SELECTOR, "[data-testid=contract-arrangement]").text
    assert "Highly complex (Hard to migrate or take back)" in service.text, service.text
    assert service.find_element(By.CSS_SELECTOR, "[data-testid=discontinuing-impact]").text == "High"
    assert arrangement == "Subsequent or associated (under RAM-2024-001)", arrangement
    assert "S19 Cloud: SaaS" in service.text and "Sensitivity of the stored data (DORA)Medium" in service.text, service.text
    assert "Hyperscale Storage LLC (United States)" in service.find_element(By.CSS_SELECTOR, "[data-testid=subcontracted]").text
    window.driver.execute_script("document.querySelector('[data-testid=exposure]').scrollIntoView()")
    window.screenshot("supplier-exposed")

    # Further down the chain: one that works for the storage provider, not for the supplier.
    click_button(window, "Add subcontractor")
    fill(window, "subcontractor-name", "Aircool Facilities AB")
    choose(window, "subcontractor-country", "SE")
    fill(window, "subcontractor-registration_number", "5560125790")
    select = Select(window.driver.find_element(By.ID, "subcontractor-serves"))
    assert [o.text for o in select.options] == ["Molntjänst Norden AB", "Hyperscale Storage LLC"]
    select.select_by_visible_text("Hyperscale Storage LLC")
    click_button(window, "Add subcontractor")
    window.wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "[data-testid=serves]")) == 2)
    serves = [e.text for e in window.driver.find_elements(By.CSS_SELECTOR, "[data-testid=serves]")]
    assert serves == ["Hyperscale Storage LLC", "Molntjänst Norden AB"], serves
    assert window.driver.find_element(By.CSS_SELECTOR, "[data-testid=sub-identifier]").text == "556012-5790"
    window.driver.execute_script("document.querySelector('[data-testid=serves]').scrollIntoView({block: 'center'})")
    window.screenshot("subcontracting-chain")
    # Changed later: it works for the supplier itself now.
    window.driver.find_elements(By.CSS_SELECTOR, "[data-testid=edit-subcontractor]")[0].click()
    select = Select(window.wait.until(EC.visibility_of_element_located((By.ID, "subcontractor-serves"))))
    assert [o.text for o in select.options] == ["Molntjänst Norden AB", "Hyperscale Storage LLC"], "not itself"
    assert select.first_selected_option.text == "Hyperscale Storage LLC"
    select.select_by_visible_text("Molntjänst Norden AB")
    click_button(window, "Save")
    window.wait.until(
        lambda d: [e.text for e in d.find_elements(By.CSS_SELECTOR, "[data-testid=serves]")]
        == ["Molntjänst Norden AB", "Molntjänst Norden AB"]
    )

    # The same explanation in Swedish.
    supplier_url = window.driver.execute_script("return location.hash")
    window.nav_link("settings").click()
    choose(window, "language", "sv")
    window.wait_heading("Inställningar")
    window.driver.execute_script("location.hash = arguments[0]", supplier_url)
    window.wait.until(
        EC.text_to_be_present_in_element(
            (By.CSS_SELECTOR, "[data-testid=exposure]"),
            "Underleverantören Hyperscale Storage LLC lagrar eller når vår data och finns i USA (US).",
        )
    )
    window.driver.execute_script("document.querySelector('[data-testid=exposure]').scrollIntoView()")
    window.screenshot("supplier-exposed-sv")
    window.nav_link("settings").click()
    choose(window, "language", "en")
    window.wait_heading("Settings")

    window.nav_link("suppliers").click()
    window.wait_heading("Suppliers")
    row = window.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-supplier='Molntjänst Norden AB']")))
    row_text = row.find_element(By.XPATH, "../..").text
    assert "Critical" in row_text and "Exposed" in row_text
    window.screenshot("register-one-supplier")


def org_number(n: int) -> str:
    body = f"55{n:07d}"
    total = 0
    for i, ch in enumerate(body):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return f"{body[:6]}-{body[6:]}{(10 - total % 10) % 10}"


def test_a_register_of_ten_thousand_suppliers_renders_only_what_is_in_view(launch, tmp_path: Path):
    db = tmp_path / "tillit.db"
    csv = tmp_path / "leverantorer.csv"
    tiers = ["critical", "essential", "standard"]
    lines = ["legal_name;registration_number;country_of_incorporation;country_of_headquarters;tier;parent_name;parent_country"]
    for i in range(10_000):
        parent = "Cloudco Inc.;US" if i % 7 == 0 else ";"
        lines.append(f"Leverantör {i:05d} AB;{org_number(i)};SE;SE;{tiers[i % 3]};{parent}")
    csv.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    add_users(db)
    cli(db, "import", str(csv))

    window = launch(db)
    window.nav_link("suppliers").click()
    window.wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=register-counts]"), "Showing 10000 of 10000"))
    counts = window.driver.find_element(By.CSS_SELECTOR, "[data-testid=register-counts]").text
    assert "Critical 3334" in counts and "Exposed 1429" in counts, counts
    rendered = window.driver.find_elements(By.CSS_SELECTOR, ".register-body [role=row]")
    assert 0 < len(rendered) < 80, f"only the rows in view are rendered, not {len(rendered)}"
    window.screenshot("register-10000")

    # Sorting on a column and searching go through the core.
    window.driver.find_element(By.CSS_SELECTOR, "button[data-sort=name]").click()
    window.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-supplier='Leverantör 09999 AB']")))
    fill(window, "register-search", org_number(4242))
    window.wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=register-counts]"), "Showing 1 of 10000"))
    assert window.driver.find_element(By.CSS_SELECTOR, ".register-body a").text == "Leverantör 04242 AB"

    choose(window, "filter-tier", "critical")
    fill(window, "register-search", "")
    window.wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=register-counts]"), "Showing 3334 of 10000"))


def test_a_save_based_on_an_older_supplier_is_refused_naming_who_saved_since_and_reloads(launch, tmp_path: Path):
    import json

    db = tmp_path / "tillit.db"
    add_users(db)
    cli(db, "user", "add", "oscar", "--name", "Oscar Officer", "--role", "procurement_officer", user="ada")
    fields = {
        "legal_name": "Molnbolaget AB",
        "registration_number": "556012-5790",
        "country_of_incorporation": "SE",
        "country_of_headquarters": "SE",
        "tier": "essential",
        "tier_justification": "Hosts the customer portal",
    }
    created = json.loads(cli(db, "call", "create_supplier", "--args", json.dumps({"fields": fields})).stdout)
    supplier_id = created["supplier"]["id"]

    window = launch(db)
    window.driver.execute_script(f"location.hash = '#/suppliers/{supplier_id}'")
    window.wait_heading("Molnbolaget AB")
    click_button(window, "Edit")
    fill(window, "supplier-notes", "Olivia's note")

    # Meanwhile Oscar saves the same supplier from another computer.
    now = json.loads(cli(db, "call", "supplier_detail", "--args", json.dumps({"id": supplier_id}), user="oscar").stdout)
    his = {k: v for k, v in now["supplier"].items() if k not in ("id", "status", "offboarding_reason", "created_at", "updated_at")}
    his["website"] = "https://molnbolaget.se"
    cli(db, "call", "update_supplier", "--args", json.dumps({"id": supplier_id, "fields": his}), user="oscar")

    # Olivia's save is refused with his name; nothing of hers is saved.
    click_button(window, "Save")
    reload = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=reload-stale]")))
    banner = window.driver.find_element(By.CSS_SELECTOR, "form .banner.error")
    assert "Oscar Officer" in banner.text and "nothing was saved" in banner.text, banner.text
    window.screenshot("supplier-save-stale")
    stored = json.loads(cli(db, "call", "supplier_detail", "--args", json.dumps({"id": supplier_id})).stdout)
    assert stored["supplier"]["notes"] == ""

    # Reloaded, the form shows his change; hers goes in on top of it.
    reload.click()
    window.wait.until(lambda d: d.find_element(By.ID, "supplier-website").get_attribute("value") == "https://molnbolaget.se")
    fill(window, "supplier-notes", "Olivia's note")
    click_button(window, "Save")
    window.wait.until(EC.invisibility_of_element_located((By.ID, "supplier-notes")))
    stored = json.loads(cli(db, "call", "supplier_detail", "--args", json.dumps({"id": supplier_id})).stdout)
    assert stored["supplier"]["notes"] == "Olivia's note"
    assert stored["supplier"]["website"] == "https://molnbolaget.se"
