"""Every page of the window, checked by axe-core (injected over WebDriver)
in English and Swedish on a generated register: no serious or critical
violation. And no control or value clipped at 1280×860: every button,
link and field lies inside the window's width and inside its card."""

from pathlib import Path

import pytest
from conftest import ROOT, cli
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait
from test_shell import choose_language

AXE = (ROOT / "ui" / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def register(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("a11y") / "tillit.db"
    seeded = cli(db, "dev", "seed", "--suppliers", "40", "--seed", "9", "--as-of", "2026-11-02", user="admin")
    assert seeded.returncode == 0, seeded.stderr
    return db


def violations(window) -> list[str]:
    """The serious and critical violations axe finds on the page as shown."""
    window.driver.execute_script(AXE)
    result = window.driver.execute_async_script(
        """const done = arguments[arguments.length - 1];
           axe.run(document, { resultTypes: ['violations'] })
             .then((r) => done(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
               .map((v) => v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', '))))
             .catch((e) => done(['axe failed: ' + e]));"""
    )
    return result


def clipped(window) -> list[str]:
    """Controls and cells whose content is cut: a control that sticks out of
    the window or its card, or a table cell whose text overflows it."""
    return window.driver.execute_script(
        """const out = [];
           const width = document.documentElement.clientWidth;
           for (const e of document.querySelectorAll('main button, main a, main input, main select, main textarea')) {
             const r = e.getBoundingClientRect();
             if (r.width === 0 || r.height === 0 || e.closest('dialog:not([open])')) continue;
             const card = e.closest('.card, .register, table');
             const box = card ? card.getBoundingClientRect() : { left: 0, right: width };
             if (r.right > Math.min(width, box.right) + 1 || r.left < box.left - 1)
               out.push(`${e.tagName.toLowerCase()} "${(e.innerText || e.value || e.id).slice(0, 40)}" at ${Math.round(r.left)}–${Math.round(r.right)} outside ${Math.round(box.left)}–${Math.round(Math.min(width, box.right))}`);
           }
           for (const c of document.querySelectorAll('main td, main th, main [role=cell], main [role=columnheader], main [role=columnheader] button, main dd, main dt')) {
             if (c.scrollWidth > c.clientWidth + 1 && !c.title && !c.querySelector('[title]'))
               out.push(`cell "${c.innerText.slice(0, 40)}" cut (${c.scrollWidth} > ${c.clientWidth})`);
             // A value pushed out of its card (not inside a region that scrolls).
             const card = c.closest('.card');
             const r = c.getBoundingClientRect();
             if (card && r.width > 0 && !c.closest('.table-scroll, .register-body') && r.right > card.getBoundingClientRect().right + 1)
               out.push(`"${c.innerText.slice(0, 40)}" sticks out of its card (${Math.round(r.right)} > ${Math.round(card.getBoundingClientRect().right)})`);
           }
           return out;"""
    )


def pages(window) -> list[tuple[str, str]]:
    """(name, hash) of every page to check, found on the generated register."""
    window.nav_link("suppliers").click()
    link = window.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "main a[data-supplier]")))
    supplier = link.get_attribute("href").split("#", 1)[1]
    window.nav_link("assessments").click()
    link = window.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "main a[data-assessment]")))
    assessment = link.get_attribute("href").split("#", 1)[1]
    # A decided one, with its decision and conditions.
    window.driver.execute_script("location.hash = arguments[0]", "#/assessments?state=decided")
    window.wait.until(lambda d: "state=decided" in d.current_url)
    decided = window.wait.until(
        lambda d: next(
            (a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "main a[data-assessment]")
             if a.get_attribute("href").split("#", 1)[1] != assessment),
            None,
        )
    ).split("#", 1)[1]
    return [
        ("overview", "#/overview"),
        ("suppliers", "#/suppliers"),
        ("suppliers-overdue", "#/suppliers?review=overdue"),
        ("supplier", supplier),
        ("new-supplier", "#/suppliers/new"),
        ("assessments", "#/assessments"),
        ("assessment", assessment),
        ("assessment-decided", decided),
        ("reports", "#/reports"),
        ("settings", "#/settings"),
        ("settings-organisation", "#/settings?section=organisation"),
        ("settings-users", "#/settings?section=users"),
        ("settings-rules", "#/settings?section=rules"),
        ("settings-trail", "#/settings?section=trail"),
        ("settings-backup", "#/settings?section=backup"),
    ]


def test_the_sign_in_page_passes_axe(launch, register, tmp_path):
    db = tmp_path / "tillit.db"
    db.write_bytes(register.read_bytes())
    window = launch(db, user=None, users=False)
    window.driver.set_window_size(1280, 860)
    WebDriverWait(window.driver, 10).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=sign-in]")))
    found = violations(window)
    window.screenshot("a11y-sign-in")
    assert not found, found


@pytest.mark.parametrize("language", ["en", "sv"])
def test_every_page_passes_axe_and_clips_nothing(launch, register, tmp_path, language):
    db = tmp_path / "tillit.db"
    db.write_bytes(register.read_bytes())
    window = launch(db, user="admin", users=False)
    window.driver.set_window_size(1280, 860)
    # The administrator sees every page, Settings' sections included; the
    # officer's own actions are checked on the same pages below.
    found = pages(window)
    if language == "sv":
        choose_language(window, "sv", "Inställningar")
    problems: dict[str, list[str]] = {}
    for user in ["admin", "olivia"]:
        if user != "admin":
            window.switch_user(user)
            if language == "sv":
                # Each person chooses their own language.
                choose_language(window, "sv", "Inställningar")
        for name, href in found:
            window.driver.execute_script("location.hash = arguments[0]", href)
            WebDriverWait(window.driver, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "main h1")))
            WebDriverWait(window.driver, 10).until(
                lambda d: not d.find_elements(By.CSS_SELECTOR, "main p.muted[aria-live]")
            )
            found_here = violations(window) + clipped(window)
            if found_here:
                problems[f"{user} {name}"] = found_here
            window.screenshot(f"a11y-{language}-{user}-{name}")
    assert not problems, "\n".join(f"{page}: {p}" for page, found in problems.items() for p in found)
