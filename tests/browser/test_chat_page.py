"""The learner's chat page in headless Chromium, against the real service.

Each test is something a learner does or would notice: asking in Korean and
watching the answer stream in, following a suggestion, coming back after a
reload, stopping an answer, deleting the conversation, a model answer full of
markup, the service refusing with 503 or 429, and typing Korean through an IME.
"""

from __future__ import annotations

import json
import re

import httpx
import pytest
from playwright.sync_api import Page, Route, expect

from .conftest import (DESKTOP, FINISHED_ANSWER, PHONE, XSS_ANSWER, Service, ask, screenshot, session_of,
                       wait_for_answers)

pytestmark = pytest.mark.browser

MESSAGES_URL = re.compile(r"/v1/sessions/[^/]+/messages$")
def watch_answer_growth(page: Page) -> None:
    """Record the answer's visible length each time the page changes it (proof that it streams)."""
    page.evaluate("""() => {
        window.__lengths = [];
        new MutationObserver(() => {
            const bubble = document.querySelector('.message.assistant.streaming .bubble');
            if (bubble) window.__lengths.push(bubble.textContent.length);
        }).observe(document.getElementById('messages'), {subtree: true, childList: true, characterData: true});
    }""")


def post_count(page: Page) -> list[str]:
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.post_data or "")
            if r.method == "POST" and MESSAGES_URL.search(r.url) else None)
    return posts


def test_korean_question_streams_an_answer_with_sources_and_suggestions(open_page, service: Service) -> None:
    page = open_page(service)
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator("#messages")).to_have_attribute("aria-live", "polite")
    watch_answer_growth(page)

    ask(page, "GAN이 뭐예요?")

    expect(page.locator(".message.user .bubble")).to_have_text("GAN이 뭐예요?")
    expect(page.locator("#composer-input")).to_have_value("")
    wait_for_answers(page, 1)
    answer = page.locator(".message.assistant .bubble").first
    expect(answer).to_contain_text("GAN")
    lengths = [n for n in page.evaluate("window.__lengths") if n > 0]
    assert len(set(lengths)) >= 3, f"the answer did not appear bit by bit: {lengths}"
    assert page.evaluate("document.activeElement.id") == "composer-input"
    screenshot(page, "desktop-answer")

    # Sources: collapsed, titles on request, text on a second request.
    sources = page.locator(".message.assistant details.sources")
    expect(sources).to_have_count(1)
    assert sources.evaluate("d => d.open") is False
    sources.locator("summary").first.click()
    first_source = sources.locator("details.source").first
    expect(first_source.locator("summary")).to_be_visible()
    expect(first_source.locator(".source-text")).to_be_hidden()
    first_source.locator("summary").click()
    expect(first_source.locator(".source-text")).to_be_visible()
    assert len(first_source.locator(".source-text").inner_text()) > 20

    expect(page.locator(".suggestion").first).to_be_visible()
    # What the answer drew on is marked in the learning path.
    expect(page.locator(".passage.is-covered").first).to_be_attached()
    screenshot(page, "desktop-sources-open")


def test_learning_about_gan_following_two_suggestions_and_coming_back(open_page, service: Service) -> None:
    """The issue's "done when": ask about GANs in Korean, follow two suggestions, reload, same conversation."""
    page = open_page(service)
    ask(page, "GAN이 뭐예요?")
    wait_for_answers(page, 1)
    expect(page.locator(".message.assistant .bubble").first).to_contain_text("GAN")

    for turn in (2, 3):
        suggestion = page.locator(".message.assistant").nth(turn - 2).locator(".suggestion").first
        question = suggestion.inner_text()
        suggestion.click()
        expect(page.locator(".message.user .bubble").nth(turn - 1)).to_have_text(question)
        wait_for_answers(page, turn)
        expect(page.locator(".message.assistant .bubble").nth(turn - 1)).not_to_be_empty()
        assert page.evaluate("document.activeElement.id") == "composer-input"
    before = page.locator("#messages").inner_text()

    page.reload()

    expect(page.locator(FINISHED_ANSWER)).to_have_count(3)
    assert page.locator("#messages").inner_text() == before


def test_a_reload_shows_the_same_conversation(open_page, service: Service) -> None:
    page = open_page(service)
    ask(page, "LLM이 뭐예요?")
    wait_for_answers(page, 1)
    before = page.locator("#messages").inner_text()
    session_id, token = session_of(page)
    covered = page.locator(".passage.is-covered").count()
    assert covered > 0

    page.reload()

    expect(page.locator(FINISHED_ANSWER)).to_have_count(1)
    expect(page.locator(".message.user .bubble")).to_have_text("LLM이 뭐예요?")
    assert page.locator("#messages").inner_text() == before
    assert session_of(page) == (session_id, token)
    expect(page.locator(".passage.is-covered")).to_have_count(covered)
    expect(page.locator("#welcome")).to_be_hidden()

    # The conversation goes on where it was.
    ask(page, "더 쉽게 설명해 줄래요?")
    wait_for_answers(page, 2)
    stored = service.get_session(session_id, token).json()
    assert [m["role"] for m in stored["messages"]] == ["user", "assistant", "user", "assistant"]


def test_stop_in_mid_answer_keeps_the_partial_answer(open_page, slow_service: Service) -> None:
    page = open_page(slow_service)
    ask(page, "트랜스포머가 뭐예요?")
    streaming = page.locator(".message.assistant.streaming .bubble")
    expect(page.locator("#stop")).to_be_visible()
    expect(page.locator("#send")).to_be_hidden()
    page.wait_for_function(
        "() => (document.querySelector('.message.assistant.streaming .bubble')?.textContent || '').length > 20")
    assert streaming.count() == 1

    page.click("#stop")

    expect(page.locator(".message.assistant .status-note.stopped")).to_have_text("답변을 멈췄어요")
    shown = page.locator(".message.assistant .bubble").inner_text()
    assert len(shown) > 20
    expect(page.locator("#send")).to_be_visible()
    expect(page.locator("#stop")).to_be_hidden()
    assert page.evaluate("document.activeElement.id") == "composer-input"

    session_id, token = session_of(page)
    stored = slow_service.get_session(session_id, token).json()["messages"][-1]
    assert stored["role"] == "assistant"
    assert stored["status"] == "interrupted"
    assert stored["content"]
    assert stored["suggestions"] == []
    # The partial answer stays shown as stopped after a reload too.
    page.reload()
    expect(page.locator(".message.assistant .status-note.stopped")).to_be_visible()


def test_delete_asks_for_confirmation_then_erases_the_conversation(open_page, service: Service) -> None:
    page = open_page(service)
    ask(page, "ChatGPT는 언제 나왔어요?")
    wait_for_answers(page, 1)
    session_id, token = session_of(page)

    page.click("#delete-chat")
    dialog = page.locator("#delete-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="취소").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".message")).to_have_count(2)
    assert service.get_session(session_id, token).status_code == 200

    page.click("#delete-chat")
    dialog.get_by_role("button", name="삭제하기").click()

    expect(page.locator(".message")).to_have_count(0)
    expect(page.locator("#welcome")).to_be_visible()
    expect(page.locator("#delete-chat")).to_be_disabled()
    assert page.evaluate("localStorage.getItem('tutor.session.v1')") is None
    assert service.get_session(session_id, token).status_code == 404
    # A fresh conversation starts with the next question.
    ask(page, "GAN이 뭐예요?")
    wait_for_answers(page, 1)
    assert session_of(page)[0] != session_id


def test_a_provider_failing_during_the_turn_is_explained_and_retried(
        open_page, xss_service: Service, fake_model: str, console) -> None:
    control = fake_model.removesuffix("/v1") + "/_control"
    httpx.post(control, json={"mode": "status", "status": 503, "times": 1}).raise_for_status()
    try:
        page = open_page(xss_service)
        ask(page, "GAN이 뭐예요?")
        expect(page.locator(".message.assistant .status-note.failed")).to_be_visible(timeout=30_000)
        banner = page.locator("#error-banner")
        expect(banner).to_contain_text("AI가 지금 답하지 못하고 있어요")
        # The question was accepted and stays in the conversation; the retry asks it again.
        expect(page.locator(".message.user .bubble")).to_have_text("GAN이 뭐예요?")
        banner.get_by_role("button", name="다시 시도").click()
        expect(page.locator(".message.assistant .status-note.failed")).to_have_count(1)
        expect(page.locator(".message.assistant .suggestion, .message.assistant .sources").first).to_be_visible(
            timeout=30_000)
        expect(page.locator(".message.user")).to_have_count(2)
    finally:
        httpx.post(control + "/reset").raise_for_status()


def test_markup_from_the_model_and_the_learner_is_shown_as_text(open_page, xss_service: Service) -> None:
    page = open_page(xss_service)
    ask(page, "<b>굵게</b> <img src=x onerror=alert(3)> 질문이에요")
    wait_for_answers(page, 1)

    user = page.locator(".message.user .bubble")
    expect(user).to_have_text("<b>굵게</b> <img src=x onerror=alert(3)> 질문이에요")
    answer = page.locator(".message.assistant .bubble")
    expect(answer).to_contain_text("<img src=x onerror=alert(1)>")
    expect(answer).to_contain_text("<script>alert(2)</script>")
    assert page.locator("#messages img, #messages script, #messages b").count() == 0
    # The small Markdown whitelist still works.
    expect(answer.locator("strong")).to_have_text("굵게")
    assert XSS_ANSWER.replace("**", "").startswith(answer.inner_text()[:20])
    # No alert fired: the `console` fixture records every dialog as an error.


def _refuse(status: int, code: str, message: str, headers: dict[str, str] | None = None):
    def handler(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        route.fulfill(status=status, content_type="application/json", headers=headers or {},
                      body=json.dumps({"error": {"code": code, "message": message}}))
    return handler


def test_provider_down_503_is_explained_and_retried(open_page, service: Service, console) -> None:
    console.allow(r"status of 503")
    page = open_page(service)
    handler = _refuse(503, "provider_unavailable", "The AI service is not answering right now.")
    page.route(MESSAGES_URL, handler)

    ask(page, "확산 모델이 뭐예요?")

    banner = page.locator("#error-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("AI가 지금 답하지 못하고 있어요")
    expect(page.locator("#composer-input")).to_have_value("확산 모델이 뭐예요?")
    expect(page.locator(".message")).to_have_count(0)
    screenshot(page, "desktop-error-503")

    page.unroute(MESSAGES_URL, handler)
    banner.get_by_role("button", name="다시 시도").click()
    wait_for_answers(page, 1)
    expect(banner).to_be_hidden()
    expect(page.locator(".message.user .bubble")).to_have_text("확산 모델이 뭐예요?")
    expect(page.locator("#composer-input")).to_have_value("")


def test_too_many_requests_429_says_when_to_retry(open_page, service: Service, console) -> None:
    console.allow(r"status of 429")
    page = open_page(service)
    handler = _refuse(429, "rate_limited", "Too many requests; please wait a moment and try again.",
                      {"Retry-After": "7"})
    page.route(MESSAGES_URL, handler)

    ask(page, "VAE는 뭐예요?")

    banner = page.locator("#error-banner")
    expect(banner).to_contain_text("7초 뒤에 다시 시도")
    expect(banner.get_by_role("button", name="다시 시도")).to_be_visible()
    expect(page.locator("#composer-input")).to_have_value("VAE는 뭐예요?")

    page.unroute(MESSAGES_URL, handler)
    banner.get_by_role("button", name="다시 시도").click()
    wait_for_answers(page, 1)


def test_unreachable_service_and_too_long_message_lose_nothing(open_page, service: Service, console) -> None:
    console.allow(r"ERR_CONNECTION_REFUSED|status of 422")
    page = open_page(service)
    page.route(MESSAGES_URL, lambda route: route.abort("connectionrefused"))
    ask(page, "RNN이 뭐예요?")
    expect(page.locator("#error-banner")).to_contain_text("서비스에 연결할 수 없어요")
    expect(page.locator("#composer-input")).to_have_value("RNN이 뭐예요?")
    page.unroute(MESSAGES_URL)

    long_text = "가" * 4100
    ask(page, long_text)
    expect(page.locator("#error-banner")).to_contain_text("메시지가 너무 길어요(4100자, 최대 4000자)")
    assert page.input_value("#composer-input") == long_text
    expect(page.locator(".message")).to_have_count(0)


def test_turn_in_progress_409_is_explained(open_page, service: Service, console) -> None:
    console.allow(r"status of 409")
    page = open_page(service)
    page.route(MESSAGES_URL, _refuse(409, "turn_in_progress", "The previous answer is still being written."))
    ask(page, "GAN이 뭐예요?")
    expect(page.locator("#error-banner")).to_contain_text("앞의 답변을 아직 쓰고 있어요")
    expect(page.locator("#composer-input")).to_have_value("GAN이 뭐예요?")


def test_enter_during_ime_composition_sends_nothing_until_it_ends(open_page, service: Service) -> None:
    page = open_page(service)
    posts = post_count(page)
    box = page.locator("#composer-input")
    box.click()

    # A syllable is being composed: the Enter that commits it belongs to the IME.
    box.evaluate("""el => {
        el.dispatchEvent(new CompositionEvent('compositionstart', {data: ''}));
        el.value = 'GAN이 뭐예';
        el.dispatchEvent(new CompositionEvent('compositionupdate', {data: '예'}));
        el.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', code: 'Enter', isComposing: true,
                                                       bubbles: true, cancelable: true}));
    }""")
    page.wait_for_timeout(400)
    assert posts == []
    expect(page.locator(".message")).to_have_count(0)

    # Safari's order: compositionend first, then a keydown still flagged as IME input (keyCode 229).
    box.evaluate("""el => {
        el.value = 'GAN이 뭐예요';
        el.dispatchEvent(new CompositionEvent('compositionend', {data: '요'}));
        el.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', code: 'Enter', keyCode: 229,
                                                       bubbles: true, cancelable: true}));
    }""")
    page.wait_for_timeout(400)
    assert posts == []
    expect(box).to_have_value("GAN이 뭐예요")

    # Shift+Enter is a new line, not a send.
    box.press("End")
    page.keyboard.press("Shift+Enter")
    expect(box).to_have_value("GAN이 뭐예요\n")
    page.keyboard.press("Backspace")

    # The composition is over: Enter sends exactly one message, and no stray last syllable follows.
    box.evaluate("""el => el.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', code: 'Enter',
                                                            bubbles: true, cancelable: true}))""")
    wait_for_answers(page, 1)
    page.wait_for_timeout(400)
    assert len(posts) == 1
    assert json.loads(posts[0]) == {"content": "GAN이 뭐예요"}
    expect(page.locator(".message.user")).to_have_count(1)
    expect(box).to_have_value("")


def test_phone_learning_path_starts_a_lesson_and_marks_it_covered(open_page, service: Service) -> None:
    page = open_page(service, viewport=PHONE)
    screenshot(page, "phone-welcome")
    panel = page.locator("#path-panel")
    expect(panel).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.click("#open-path")
    expect(panel).to_be_visible()
    expect(page.locator("#open-path")).to_have_attribute("aria-expanded", "true")
    screenshot(page, "phone-learning-path")
    lesson = page.locator(".lesson").nth(3)
    lesson.locator("summary").click()
    passage = lesson.locator(".passage").first
    title = passage.inner_text().strip()
    passage.locator("button").click()

    expect(panel).to_be_hidden()
    expect(page.locator(".message.user .bubble")).to_have_text(f"「{title}」 설명해 줘")
    wait_for_answers(page, 1)
    screenshot(page, "phone-answer")

    page.click("#open-path")
    expect(lesson.locator(".passage.is-covered").first).to_be_visible()
    expect(lesson.locator(".lesson-count")).not_to_have_text(re.compile(r"^0/"))
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    assert page.evaluate("document.activeElement.id") == "open-path"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_explain_this_lesson_from_the_desktop_path(open_page, service: Service) -> None:
    page = open_page(service, viewport=DESKTOP)
    screenshot(page, "desktop-welcome")
    lesson = page.locator(".lesson").nth(1)
    lesson.locator("summary").click()
    lesson_title = lesson.locator(".lesson-title").inner_text()
    lesson.get_by_role("button", name="이 단원 설명해 줘").click()
    expect(page.locator(".message.user .bubble")).to_have_text(f"「{lesson_title}」 설명해 줘")
    wait_for_answers(page, 1)
    expect(lesson.locator(".passage.is-covered").first).to_be_visible()


def test_english_toggle_switches_the_page_and_is_remembered(open_page, service: Service) -> None:
    page = open_page(service)
    page.click("#lang-toggle")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#composer-input")).to_have_attribute("placeholder", "Type your question")
    expect(page.locator(".lesson-title").first).to_contain_text("Getting started")
    expect(page.locator("#lang-toggle")).to_have_text("한국어")

    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    ask(page, "What is a GAN?")
    wait_for_answers(page, 1)
    expect(page.locator(".message.assistant details.sources > summary")).to_contain_text("lesson passages")
    screenshot(page, "desktop-english")
    page.click("#lang-toggle")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator(".message.assistant details.sources > summary")).to_contain_text("참고한 내용")


def test_the_page_loads_with_its_security_headers_and_no_console_errors(open_page, service: Service) -> None:
    response = httpx.get(f"{service.url}/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    page = open_page(service)
    # The question box has the focus on arrival; the skip link (shown when focused) leads back to it.
    assert page.evaluate("document.activeElement.id") == "composer-input"
    page.locator(".skip-link").focus()
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "composer-input"


def test_a_dropped_stream_is_resumed_from_the_last_event(open_page, service: Service) -> None:
    page = open_page(service)
    resumed: list[str | None] = []
    page.on("request", lambda r: resumed.append(r.headers.get("last-event-id"))
            if r.url.endswith("/events") else None)

    def cut_short(route: Route) -> None:
        response = route.fetch()
        events = response.text().split("\n\n")
        route.fulfill(response=response, body="\n\n".join(events[:6]) + "\n\n")

    page.route(MESSAGES_URL, cut_short)
    ask(page, "GAN이 뭐예요?")
    wait_for_answers(page, 1)
    expect(page.locator(".message.assistant .suggestion").first).to_be_visible()
    assert len(resumed) == 1 and resumed[0] and resumed[0].endswith(":5")
    shown = page.locator(".message.assistant .bubble").inner_text()

    page.unroute(MESSAGES_URL, cut_short)
    page.reload()
    expect(page.locator(FINISHED_ANSWER)).to_have_count(1)
    assert page.locator(".message.assistant .bubble").inner_text() == shown


def test_an_answer_still_being_written_after_a_reload_streams_on(open_page, slow_service: Service) -> None:
    page = open_page(slow_service)
    ask(page, "LLM은 어떻게 배워요?")
    page.wait_for_function(
        "() => (document.querySelector('.message.assistant.streaming .bubble')?.textContent || '').length > 10")

    page.reload()

    expect(page.locator(".message.assistant.streaming")).to_have_count(1)
    expect(page.locator("#stop")).to_be_visible()
    wait_for_answers(page, 1)
    shown = page.locator(".message.assistant .bubble").inner_text()
    session_id, token = session_of(page)
    stored = slow_service.get_session(session_id, token).json()["messages"][-1]
    assert stored["status"] == "complete"
    page.reload()
    expect(page.locator(FINISHED_ANSWER)).to_have_count(1)
    assert page.locator(".message.assistant .bubble").inner_text() == shown
