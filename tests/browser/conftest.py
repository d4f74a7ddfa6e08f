"""Headless Chromium against the real service: fixtures for the learner's chat page.

Why real processes: the page is only correct if it works with the service as an
operator runs it (`tutor serve`), behind its real security headers and streams.
The browser is Debian's Chromium driven by Playwright (never `playwright install`).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import ServerProcess
from tests.fakes import FakeProvider

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("TUTOR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}

# The answer a misbehaving model gives in the XSS test: markup that must stay text.
XSS_ANSWER = ("주의할 예시예요: <img src=x onerror=alert(1)> 그리고 <script>alert(2)</script> "
              "이런 글자는 그대로 보여야 해요. **굵게**도 돼요.")


# The type the tests name: `tutor serve` on a loopback port (see tests/conftest.py).
Service = ServerProcess


def _start_service(tmp: Path, name: str, **env: str) -> Service:
    values = {"TUTOR_DATABASE_URL": f"sqlite:///{tmp / f'{name}.db'}", "TUTOR_PROVIDER": "offline",
              "TUTOR_OFFLINE_DELAY": "0.02", "TUTOR_RATE_LIMIT_ENABLED": "false", "TUTOR_LOG_LEVEL": "warning",
              **env}
    return ServerProcess(values, tmp / f"{name}.log").start()


@pytest.fixture(scope="session")
def services_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser-services")


@pytest.fixture(scope="session")
def service(services_dir: Path) -> Iterator[Service]:
    """The offline tutor at its normal pace."""
    started = _start_service(services_dir, "normal")
    yield started
    started.stop()


@pytest.fixture(scope="session")
def slow_service(services_dir: Path) -> Iterator[Service]:
    """The offline tutor writing slowly enough to be stopped mid-answer."""
    started = _start_service(services_dir, "slow", TUTOR_OFFLINE_DELAY="0.15")
    yield started
    started.stop()


@pytest.fixture(scope="session")
def fake_model() -> Iterator[str]:
    """The OpenAI-compatible fake provider, answering XSS_ANSWER to everything."""
    fake = FakeProvider("--text", XSS_ANSWER, "--chunks", "12", "--chunk-delay", "0.01")
    yield f"{fake.url}/v1"
    fake.stop()


@pytest.fixture(scope="session")
def xss_service(services_dir: Path, fake_model: str) -> Iterator[Service]:
    """The service in front of a model whose answer is full of markup."""
    started = _start_service(services_dir, "xss", TUTOR_PROVIDER="openai", OPENAI_API_KEY="test",
                             OPENAI_BASE_URL=fake_model, TUTOR_MODEL="fake-model",
                             TUTOR_MAX_RETRIES="0")
    yield started
    started.stop()


@pytest.fixture(scope="module")
def playwright_browser() -> Iterator[object]:
    """Module-scoped: Playwright's sync API keeps an event loop running in this thread while it
    is open, which would break every asyncio test that runs after the browser tests."""
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is not installed at {CHROMIUM} (CI must install it)")
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class ConsoleWatch:
    """Every console error and uncaught exception a page produced, minus the ones a test expects."""

    errors: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        self.allowed.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.allowed)]


@pytest.fixture
def console() -> ConsoleWatch:
    return ConsoleWatch()


@pytest.fixture
def open_page(playwright_browser, console: ConsoleWatch) -> Iterator[Callable[..., object]]:
    """A function opening the chat page of a service in a fresh browser context (fresh storage)."""
    contexts = []
    pages = []

    def open_(service: Service, viewport: dict[str, int] | None = None, locale: str = "ko-KR"):
        context = playwright_browser.new_context(viewport=viewport or DESKTOP, locale=locale,
                                                 base_url=service.url)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("console", lambda msg: console.errors.append(f"console.{msg.type}: {msg.text}")
                if msg.type in ("error", "warning") else None)
        page.on("pageerror", lambda exc: console.errors.append(f"pageerror: {exc}"))
        page.on("dialog", lambda dialog: (console.errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        page.goto("/")
        page.wait_for_selector("#lesson-list li", state="attached")
        pages.append(page)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert console.unexpected() == [], "the browser console reported errors"


FINISHED_ANSWER = ".message.assistant:not(.streaming)"


def ask(page, text: str) -> None:
    """Type a question and send it with Enter, as a learner does."""
    page.fill("#composer-input", text)
    page.press("#composer-input", "Enter")


def wait_for_answers(page, count: int) -> None:
    """Until `count` answers are on the page and none is still being written."""
    from playwright.sync_api import expect

    expect(page.locator(FINISHED_ANSWER)).to_have_count(count, timeout=30_000)
    expect(page.locator(".message.assistant.streaming")).to_have_count(0, timeout=30_000)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False, animations="disabled")
    return path


def session_of(page) -> tuple[str, str]:
    """The session id and token the page keeps in localStorage."""
    stored = page.evaluate("() => JSON.parse(localStorage.getItem('tutor.session.v1'))")
    assert stored, "the page has no session yet"
    return stored["id"], stored["token"]
