"""The app shell: navigation, the language switch and its persistence."""

import re
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

ENGLISH = {
    "overview": "Overview",
    "suppliers": "Suppliers",
    "assessments": "Assessments",
    "reports": "Reports",
    "settings": "Settings",
}
SWEDISH = {
    "overview": "Översikt",
    "suppliers": "Leverantörer",
    "assessments": "Bedömningar",
    "reports": "Rapporter",
    "settings": "Inställningar",
}


def choose_language(window, code: str, settings_heading: str) -> None:
    window.nav_link("settings").click()
    Select(window.driver.find_element(By.ID, "language")).select_by_value(code)
    window.wait_heading(settings_heading)


def walk_navigation(window, names: dict[str, str]) -> None:
    for page, heading in names.items():
        link = window.nav_link(page)
        assert link.text == heading, f"nav link for {page}"
        link.click()
        window.wait_heading(heading)
        assert window.nav_link(page).get_attribute("aria-current") == "page"
        assert window.driver.execute_script("return location.hash") == f"#/{page}"


def test_the_shell_navigates_and_switches_language_persistently(launch, tmp_path: Path):
    db = tmp_path / "tillit.db"
    window = launch(db)

    assert window.driver.title == "Tillit"
    assert window.heading() == "Overview"
    assert "No suppliers registered yet" in window.driver.find_element(By.TAG_NAME, "main").text
    window.screenshot("overview-en")

    walk_navigation(window, ENGLISH)
    assert window.driver.find_element(By.CSS_SELECTOR, "[data-testid=database-path]").text == str(db)
    # A new database is at the newest schema version this build knows.
    schema = window.driver.find_element(By.CSS_SELECTOR, "[data-testid=schema-version]").text
    version, supported = re.match(r"^(\d+) \(.* (\d+)\)$", schema).groups()
    assert version == supported, schema
    window.screenshot("settings-en")

    choose_language(window, "sv", "Inställningar")
    assert window.driver.execute_script("return document.documentElement.lang") == "sv"
    walk_navigation(window, SWEDISH)
    window.nav_link("overview").click()
    window.wait_heading("Översikt")
    assert "Inga leverantörer registrerade ännu" in window.driver.find_element(By.TAG_NAME, "main").text
    window.screenshot("overview-sv")

    # The choice is stored in the database: a restarted app opens in Swedish.
    window.driver.quit()
    window = launch(db)
    assert window.heading() == "Översikt"
    window.nav_link("settings").click()
    window.screenshot("settings-sv")

    choose_language(window, "en", "Settings")
    walk_navigation(window, ENGLISH)


def test_keyboard_users_can_skip_to_the_content_and_reach_every_page(launch, tmp_path: Path):
    window = launch(tmp_path / "tillit.db")
    body = window.driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    active = window.driver.switch_to.active_element
    assert active.text == "Skip to content"
    # Tab order after the skip link follows the navigation.
    order = []
    for _ in ENGLISH:
        active.send_keys(Keys.TAB)
        active = window.driver.switch_to.active_element
        order.append(active.get_attribute("data-page"))
    assert order == list(ENGLISH)
    # Enter on a link opens its page and moves focus to the content.
    active.send_keys(Keys.ENTER)
    window.wait_heading("Settings")
    assert window.driver.switch_to.active_element.get_attribute("id") == "main"


def test_the_first_start_creates_the_administrator(launch, tmp_path: Path):
    window = launch(tmp_path / "tillit.db", user=None, users=False)
    form = window.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=first-run]")))
    assert "Create the administrator" in form.text
    window.screenshot("first-run")
    form.find_element(By.ID, "sign-in-username").send_keys("ada")
    form.find_element(By.ID, "sign-in-display_name").send_keys("Ada Admin")
    form.find_element(By.ID, "sign-in-password").send_keys("short")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    window.wait.until(lambda d: "A password needs at least 10 characters" in d.find_element(By.TAG_NAME, "body").text)
    password = form.find_element(By.ID, "sign-in-password")
    password.clear()
    password.send_keys("correct horse battery")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    window.wait_heading("Overview")
    signed_in = window.driver.find_element(By.CSS_SELECTOR, "[data-testid=signed-in]").text
    assert "Ada Admin" in signed_in and "Administrator" in signed_in
    window.nav_link("settings").click()
    window.driver.find_element(By.CSS_SELECTOR, "a[data-section=users]").click()
    window.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=users] tr[data-user=ada]"))
    window.screenshot("settings-users")
