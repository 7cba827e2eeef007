"""The window in Swedish: a generated register walked page by page, a
supplier in each assessment state opened, and a refusal shown. No page may
show a key of the word catalogue, a raw stored value (`snake_case`) or an
English sentence of the catalogue."""

import json
import re
from pathlib import Path

from conftest import PASSWORD, cli
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait
from test_shell import choose_language

CATALOGUE = Path(__file__).resolve().parent.parent / "i18n"
ENGLISH = json.loads((CATALOGUE / "en.json").read_text(encoding="utf-8"))
SWEDISH = json.loads((CATALOGUE / "sv.json").read_text(encoding="utf-8"))

# English sentences of the catalogue (four words or more) that Swedish says
# differently: none of them may be on a Swedish page.
SENTENCES = sorted(
    {
        re.split(r"\{\w+\}", text)[0].strip()
        for key, text in ENGLISH.items()
        if len(text.split()) >= 4 and SWEDISH.get(key) != text
    }
    - {""},
    key=len,
    reverse=True,
)
SENTENCES = [s for s in SENTENCES if len(s.split()) >= 4]
RAW = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
KEY = re.compile(r"\b[a-z][a-zA-Z0-9]*(?:\.[a-zA-Z0-9_]+)+\b")


def problems(text: str) -> list[str]:
    found = [f"key {k}" for k in sorted(set(KEY.findall(text))) if k in ENGLISH]
    found += [f"raw value {r}" for r in sorted(set(RAW.findall(text)))]
    found += [f"English: {s!r}" for s in SENTENCES if s in text]
    return found


def check(window, name: str) -> None:
    main = window.driver.find_element(By.TAG_NAME, "body")
    WebDriverWait(window.driver, 10).until(lambda d: "Laddar" not in main.text)
    # Stored data shown as it is stored (paths, table names, the trail's
    # before and after) is set in monospace and left out; so are the
    # choices of a closed list.
    text = window.driver.execute_script(
        """const copy = document.body.cloneNode(true);
           copy.querySelectorAll('.mono, option').forEach((e) => e.remove());
           document.body.appendChild(copy); copy.style.position = 'absolute';
           const text = copy.innerText; copy.remove(); return text;"""
    )
    window.screenshot(f"sv-{name}")
    assert not problems(text), f"{name}: {problems(text)}"


def test_every_page_of_a_generated_register_speaks_swedish(launch, tmp_path: Path):
    db = tmp_path / "tillit.db"
    seeded = cli(db, "dev", "seed", "--suppliers", "24", "--seed", "5", "--as-of", "2026-11-02", user="admin")
    assert seeded.returncode == 0, seeded.stderr
    window = launch(db, users=False)
    choose_language(window, "sv", "Inställningar")
    check(window, "settings")

    for page, heading in [
        ("overview", "Översikt"),
        ("suppliers", "Leverantörer"),
        ("assessments", "Bedömningar"),
        ("reports", "Rapporter"),
    ]:
        window.nav_link(page).click()
        window.wait_heading(heading)
        check(window, page)

    # A supplier in each state of the register, and its latest assessment.
    window.nav_link("suppliers").click()
    window.wait_heading("Leverantörer")
    links = [
        a.get_attribute("href").split("#", 1)[1]
        for a in window.driver.find_elements(By.CSS_SELECTOR, "main a[data-supplier]")
    ]
    assert len(links) >= 10, links
    other_seen = False
    for index, href in enumerate(links[:24]):
        window.driver.execute_script("location.hash = arguments[0]", href)
        WebDriverWait(window.driver, 10).until(
            EC.presence_of_element_located((By.ID, "assessments-title"))
        )
        check(window, f"supplier-{index}")
        latest = window.driver.find_elements(By.CSS_SELECTOR, "ul.assessments a")
        if latest:
            window.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", latest[0])
            latest[0].click()
            WebDriverWait(window.driver, 10).until(lambda d: "#/assessments/" in d.current_url)
            check(window, f"assessment-{index}")
            named = window.driver.find_elements(By.CSS_SELECTOR, "input[data-risk-dimension]")
            if named and not other_seen:
                # A dimension the officer named: "Annan…" with its name.
                window.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", named[0])
                assert named[0].get_attribute("value") == "Leveranskedja"
                row = named[0].find_element(By.XPATH, "./ancestor::tr")
                chosen = row.find_element(By.CSS_SELECTOR, "select").get_attribute("value")
                assert chosen == "-other-", chosen
                window.screenshot("sv-other-dimension")
                other_seen = True

    assert other_seen, "no step 2 with a dimension the officer named"

    # A refusal from the core reaches the window in Swedish.
    window.driver.find_element(By.CSS_SELECTOR, "[data-testid=signed-in] button").click()
    form = WebDriverWait(window.driver, 10).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=sign-in]"))
    )
    # The sign-in page speaks Tillit's language, not the last person's own:
    # it is chosen there.
    assert window.driver.execute_script("return document.documentElement.lang") == "en"
    [b for b in form.find_elements(By.TAG_NAME, "button") if b.text == "Svenska"][0].click()
    WebDriverWait(window.driver, 10).until(lambda d: d.execute_script("return document.documentElement.lang") == "sv")
    form.find_element(By.ID, "sign-in-username").send_keys("olivia")
    form.find_element(By.ID, "sign-in-password").send_keys(PASSWORD + "x")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    banner = WebDriverWait(window.driver, 10).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[role=alert]"))
    )
    assert "Användarnamnet eller lösenordet är fel." in banner.text, banner.text
    assert "The user name" not in banner.text
    check(window, "refused")
