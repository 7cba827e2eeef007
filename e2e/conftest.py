"""The e2e harness: the real Tillit binary in its real window, driven over
WebDriver (tauri-driver in front of WebKitWebDriver) under Xvfb.

`launch(db)` creates the test users in `db` (unless `users=False`), starts
the app on it, signs in as `user` and returns a `Window` with helpers; every
window is closed at the end of the test. `cli(db, ...)` runs the command line
as the officer. Set TILLIT_E2E_APP
to test another build (e.g. target/release/tillit).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
APP = Path(os.environ.get("TILLIT_E2E_APP", ROOT / "target" / "debug" / "tillit"))
SCREENSHOTS = ROOT / "target" / "e2e-screenshots"

PASSWORD = "correct horse battery"
# (username, name, roles): the administrator first.
USERS = [
    ("ada", "Ada Admin", ["administrator"]),
    ("olivia", "Olivia Officer", ["procurement_officer"]),
    ("magnus", "Magnus Manager", ["management"]),
]


def cli(db: Path, *args: str, user: str = "olivia", check: bool = True) -> subprocess.CompletedProcess:
    """Runs `tillit --db db args…` signed in as `user`."""
    env = dict(os.environ, TILLIT_USER=user, TILLIT_PASSWORD=PASSWORD, TILLIT_NEW_PASSWORD=PASSWORD)
    env.pop("TILLIT_DB", None)
    return subprocess.run(
        [str(APP), "--db", str(db), *args], env=env, check=check, capture_output=True, text=True, timeout=60
    )


def add_users(db: Path) -> None:
    """Creates the test users in `db` once (the administrator creates the others)."""
    listed = cli(db, "user", "list", check=False) if db.exists() else None
    if listed is not None and "olivia" in listed.stdout:
        return
    for username, name, roles in USERS:
        role_args = [arg for role in roles for arg in ("--role", role)]
        cli(db, "user", "add", username, "--name", name, *role_args, user="ada")


def find_window(name: str, within: float = 20.0) -> str:
    """The window named `name`, once it exists. xdotool's own --sync search
    fails outright when a window it is reading goes away meanwhile (the app
    creates and drops windows while it starts), so the search is repeated."""
    deadline = time.monotonic() + within
    while True:
        found = subprocess.run(["xdotool", "search", "--name", name], capture_output=True, text=True, timeout=20)
        if found.returncode == 0 and found.stdout.split():
            return found.stdout.split()[0]
        if time.monotonic() > deadline:
            raise AssertionError(f"no window named {name!r}: {found.stderr}")
        time.sleep(0.1)


def answer_save_dialog(title: str, path: Path, choosing: bool = False) -> None:
    """Types `path` into the native file dialog named `title` and confirms it
    (`choosing`: an open dialog, whose location field Ctrl+L shows). Xvfb
    has no window manager: the dialog is focused directly."""

    def xdotool(*args: str) -> str:
        return subprocess.run(["xdotool", *args], check=True, capture_output=True, text=True, timeout=30).stdout

    window = find_window(title)
    time.sleep(0.5)  # let GTK paint and focus the name field
    xdotool("windowfocus", "--sync", window)
    xdotool("key", "--window", window, "ctrl+l" if choosing else "ctrl+a")
    time.sleep(0.2)
    xdotool("type", "--window", window, "--delay", "5", str(path))
    time.sleep(0.2)
    xdotool("key", "--window", window, "Return")


def tauri_driver() -> str:
    found = shutil.which("tauri-driver") or str(Path.home() / ".cargo" / "bin" / "tauri-driver")
    if not Path(found).exists():
        pytest.fail("tauri-driver is not installed: run scripts/install-deps.sh test")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"tauri-driver exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"tauri-driver did not listen on {port}")


def new_session(port: int, attempts: int = 3, application: Path = APP) -> webdriver.Remote:
    """A WebDriver session on the Tillit binary (or another `application`),
    which starts it; a connection dropped while the drivers start up is
    tried again."""
    options = ArgOptions()
    options.set_capability("browserName", "wry")
    options.set_capability("tauri:options", {"application": str(application)})
    for attempt in range(attempts):
        try:
            return webdriver.Remote(command_executor=f"http://127.0.0.1:{port}", options=options)
        except Exception:
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)
    raise AssertionError("unreachable")


class Window:
    """One running Tillit window and the helpers the tests use on it."""

    def __init__(self, driver: webdriver.Remote):
        self.driver = driver
        self.wait = WebDriverWait(driver, 15)

    def ready(self) -> "Window":
        self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "main[data-ready='true']")))
        # The overview paints its first screen first, the rest a frame later.
        self.wait.until(lambda d: d.execute_script(OVERVIEW_WHOLE))
        return self

    def heading(self) -> str:
        return self.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "main h1"))).text

    def wait_heading(self, text: str) -> None:
        self.wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "main h1"), text))

    def sign_in(self, username: str) -> "Window":
        form = self.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=sign-in]")))
        form.find_element(By.ID, "sign-in-username").send_keys(username)
        form.find_element(By.ID, "sign-in-password").send_keys(PASSWORD)
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=signed-in]"), ""))
        return self.ready()

    def switch_user(self, username: str) -> "Window":
        self.driver.find_element(By.CSS_SELECTOR, "[data-testid=signed-in] button").click()
        return self.sign_in(username)

    def nav_link(self, page: str) -> WebElement:
        return self.driver.find_element(By.CSS_SELECTOR, f"nav a[data-page='{page}']")

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        # WebKitWebDriver takes the screenshot after the page's next update.
        # Without accelerated compositing (the window draws in software) a
        # page at rest has none: a pixel the eye cannot see is repainted
        # while the screenshot is taken.
        self.driver.execute_script(REPAINT_START)
        try:
            assert self.driver.save_screenshot(str(path)), f"screenshot {name} failed"
        finally:
            self.driver.execute_script(REPAINT_STOP)
        return path


# No overview shown, or the whole of it.
OVERVIEW_WHOLE = "return !document.querySelector('[data-overview=first]')"

# A transparent pixel in the top left corner, repainted every 30 ms.
REPAINT_START = """
const pixel = document.createElement('div');
pixel.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;z-index:2147483647';
pixel.setAttribute('aria-hidden', 'true');
document.body.appendChild(pixel);
let odd = false;
window.__repaint = { pixel, timer: setInterval(() => {
  odd = !odd;
  pixel.style.backgroundColor = odd ? 'rgba(0,0,0,0.002)' : 'rgba(0,0,0,0.001)';
}, 30) };
"""
REPAINT_STOP = """
if (window.__repaint) { clearInterval(window.__repaint.timer); window.__repaint.pixel.remove(); delete window.__repaint; }
"""


@pytest.fixture
def launch():
    if not APP.exists():
        pytest.fail(f"{APP} is missing: build it with `make app-debug`")
    started: list[tuple[webdriver.Remote, subprocess.Popen]] = []

    def start(db: Path, user: str | None = "olivia", users: bool = True) -> Window:
        if users:
            add_users(db)
        port, native_port = free_port(), free_port()
        env = dict(os.environ, TILLIT_DB=str(db), LANG="en_GB.UTF-8", LANGUAGE="en_GB:en")
        driver_process = subprocess.Popen(
            [tauri_driver(), "--port", str(port), "--native-port", str(native_port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            # tauri-driver listens at once, but proxies to the WebKitWebDriver it
            # starts: a session asked for before that one listens is dropped.
            wait_for_port(port, driver_process)
            wait_for_port(native_port, driver_process)
            driver = new_session(port)
        except Exception:
            driver_process.kill()
            raise
        started.append((driver, driver_process))
        driver.set_window_size(1200, 800)
        window = Window(driver)
        if user is None:
            return window
        return window.sign_in(user)

    yield start

    for driver, process in started:
        try:
            driver.quit()
        except Exception:
            pass
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
