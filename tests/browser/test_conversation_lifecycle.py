"""The conversation over time, in headless Chromium against the real service: a long
conversation read back page by page, a conversation past its lifetime replaced by a new one
without losing what the learner was typing, and a private service asking for its access key.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from .conftest import PHONE, Service, _start_service, ask, screenshot, session_of, wait_for_answers

pytestmark = pytest.mark.browser

ACCESS_KEY = "class-7-key"


@pytest.fixture(scope="module")
def fast_service(services_dir: Path) -> Iterator[Service]:
    """The offline tutor answering at once: long conversations are built quickly."""
    started = _start_service(services_dir, "fast", TUTOR_OFFLINE_DELAY="0")
    yield started
    started.stop()


@pytest.fixture(scope="module")
def private_service(services_dir: Path) -> Iterator[Service]:
    """A private deployment: opening a conversation needs an operator's access key."""
    started = _start_service(services_dir, "private", TUTOR_API_KEYS=f"{ACCESS_KEY},other-key")
    yield started
    started.stop()


@pytest.fixture(scope="module")
def short_lived_service(services_dir: Path) -> Iterator[Service]:
    """Sessions idle for more than two seconds are gone."""
    started = _start_service(services_dir, "short-lived", TUTOR_SESSION_TTL="2")
    yield started
    started.stop()


def long_conversation(service: Service, questions: int) -> tuple[str, str, list[str]]:
    """A conversation of `questions` turns made through the API; returns id, token and the questions."""
    created = httpx.post(f"{service.url}/v1/sessions", json={"language": "ko"}).json()
    headers = {"Authorization": f"Bearer {created['token']}", "Accept": "application/json"}
    asked = []
    topics = ["GAN", "VAE", "확산 모델", "LLM", "트랜스포머", "RNN"]
    with httpx.Client(base_url=service.url, headers=headers, timeout=30) as client:
        for n in range(questions):
            question = f"{n + 1}번째 질문: {topics[n % len(topics)]}이 뭐예요?"
            client.post(f"/v1/sessions/{created['id']}/messages", json={"content": question}).raise_for_status()
            asked.append(question)
    return created["id"], created["token"], asked


def keep_session(page: Page, session_id: str, token: str, used_at_ms: float | None = None) -> None:
    """Put a conversation in the page's storage, as an earlier visit would have left it."""
    page.evaluate("""([id, token, usedAt]) => localStorage.setItem('tutor.session.v1',
                       JSON.stringify({id, token, usedAt: usedAt ?? Date.now()}))""",
                  [session_id, token, used_at_ms])


def user_questions(page: Page) -> list[str]:
    return page.locator(".message.user .bubble").all_inner_texts()


def test_a_token_past_its_lifetime_starts_a_new_conversation_keeping_the_draft(
        open_page, service: Service) -> None:
    page = open_page(service)
    ask(page, "GAN이 뭐예요?")
    wait_for_answers(page, 1)
    old_id, old_token = session_of(page)
    page.fill("#composer-input", "아직 안 보낸 질문")
    eight_days_ago = time.time() * 1000 - 8 * 24 * 3600 * 1000
    keep_session(page, old_id, old_token, eight_days_ago)
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if old_id in r.url else None)

    page.reload()

    expect(page.locator("#notice")).to_contain_text("새 대화를 시작했어요")
    expect(page.locator(".message")).to_have_count(0)
    expect(page.locator("#welcome")).to_be_visible()
    screenshot(page, "desktop-expired-notice")
    expect(page.locator("#composer-input")).to_have_value("아직 안 보낸 질문")
    assert page.evaluate("localStorage.getItem('tutor.session.v1')") is None
    assert sent == [], "an expired token was sent to the service"
    ask(page, "VAE는 뭐예요?")
    wait_for_answers(page, 1)
    expect(page.locator("#notice")).to_be_hidden()
    assert session_of(page)[0] != old_id


def test_a_private_service_asks_for_the_access_key_once(open_page, private_service: Service, console) -> None:
    console.allow(r"status of 401")
    page = open_page(private_service, viewport=PHONE)
    keys_sent: list[str | None] = []
    page.on("request", lambda r: keys_sent.append(r.headers.get("x-api-key"))
            if r.method == "POST" and r.url.endswith("/v1/sessions") else None)

    ask(page, "GAN이 뭐예요?")

    dialog = page.get_by_role("dialog", name="접근 키가 필요해요")
    expect(dialog).to_be_visible()
    key_box = dialog.get_by_label("접근 키")
    expect(key_box).to_be_focused()
    screenshot(page, "phone-access-key")
    key_box.fill("wrong-key")
    key_box.press("Enter")
    expect(dialog.get_by_role("alert")).to_have_text("접근 키가 맞지 않아요. 다시 확인해 주세요.")
    expect(key_box).to_have_attribute("aria-invalid", "true")
    expect(dialog).to_be_visible()
    screenshot(page, "phone-access-key-wrong")

    key_box.fill(ACCESS_KEY)
    dialog.get_by_role("button", name="확인").click()

    expect(dialog).to_be_hidden()
    wait_for_answers(page, 1)
    expect(page.locator(".message.user .bubble")).to_have_text("GAN이 뭐예요?")
    assert keys_sent == [None, "wrong-key", ACCESS_KEY]
    assert page.evaluate("sessionStorage.getItem('tutor.accessKey')") == ACCESS_KEY
    assert ACCESS_KEY not in page.evaluate("JSON.stringify(localStorage)")

    # Asked once: a new conversation in the same tab uses the kept key.
    page.click("#new-chat")
    ask(page, "VAE는 뭐예요?")
    wait_for_answers(page, 1)
    expect(dialog).to_be_hidden()
    assert keys_sent[-1] == ACCESS_KEY and len(keys_sent) == 4


def test_without_the_access_key_nothing_is_lost(open_page, private_service: Service, console) -> None:
    console.allow(r"status of 401")
    page = open_page(private_service)
    ask(page, "확산 모델이 뭐예요?")
    dialog = page.get_by_role("dialog", name="접근 키가 필요해요")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="취소").click()

    expect(dialog).to_be_hidden()
    banner = page.locator("#error-banner")
    expect(banner).to_contain_text("접근 키가 있어야")
    expect(page.locator("#composer-input")).to_have_value("확산 모델이 뭐예요?")
    expect(page.locator(".message")).to_have_count(0)

    banner.get_by_role("button", name="다시 시도").click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")          # Escape cancels too
    expect(dialog).to_be_hidden()
    expect(page.locator("#composer-input")).to_have_value("확산 모델이 뭐예요?")
