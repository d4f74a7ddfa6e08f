"""Quiz turns on the chat page, in headless Chromium against the real service and the offline
tutor: asking for a quiz, the question shown as a card, the answer judged with ✓/✗ in words,
another question, a recap, and the same cards after a reload, on a phone and a desktop.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import (DESKTOP, FINISHED_ANSWER, PHONE, Service, _start_service, ask, screenshot, session_of,
                       wait_for_answers)

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def quiz_service(services_dir: Path) -> Iterator[tuple[Service, Path]]:
    """The offline tutor, with its database at hand to look up a quiz's answer key."""
    started = _start_service(services_dir, "quiz")
    yield started, services_dir / "quiz.db"
    started.stop()


def answer_key(database: Path, message_id: str) -> str:
    """What a learner who knows the answer would say (the key never leaves the service's API)."""
    with sqlite3.connect(database) as db:
        (stored,) = db.execute("SELECT quiz FROM messages WHERE id = ?", (message_id,)).fetchone()
    return json.loads(stored)["answer"]


def last_answer_id(page: Page) -> str:
    return page.locator(".message.assistant").last.get_attribute("data-message-id")


def test_a_quiz_is_asked_judged_and_offered_again(open_page, quiz_service) -> None:
    service, database = quiz_service
    page = open_page(service, viewport=DESKTOP)
    ask(page, "GAN이 뭐예요?")
    wait_for_answers(page, 1)
    expect(page.locator("#composer-input")).to_have_attribute("placeholder", "궁금한 것을 적어 주세요")

    page.get_by_role("group", name="복습하기").get_by_role("button", name="퀴즈 풀기").click()

    wait_for_answers(page, 2)
    expect(page.locator(".message.user .bubble").last).to_have_text("지금까지 배운 걸로 퀴즈 내 줘")
    card = page.locator(".message.assistant").nth(1)
    expect(card).to_have_class(re.compile(r"\bis-quiz\b"))
    expect(card.locator(".activity-label")).to_have_text("퀴즈")
    question = card.locator(".quiz-question-text")
    expect(question).not_to_be_empty()
    first_question = question.inner_text()
    # The question is said once, in the card, not again in the text above it.
    assert card.locator(".bubble").inner_text().count(first_question) == 1
    expect(card.locator(".quiz-hint")).to_contain_text("답을 적어 보내면")
    # The question box says that the next message is the answer.
    expect(page.locator("#composer-input")).to_have_attribute("placeholder", "퀴즈의 답을 적어 주세요")
    expect(page.locator("#composer-hint")).to_contain_text("퀴즈의 답")
    expect(card.locator(".quiz-hint")).to_be_in_viewport()
    screenshot(page, "desktop-quiz")

    key = answer_key(database, last_answer_id(page))
    ask(page, key)
    wait_for_answers(page, 3)
    result = page.locator(".message.assistant").last
    expect(result.locator(".quiz-verdict")).to_have_text("✓정답이에요")
    expect(result.locator(".quiz-verdict .quiz-mark")).to_have_attribute("aria-hidden", "true")
    expect(card.locator(".quiz-hint")).to_be_hidden()        # answered: no longer asks for an answer
    expect(page.locator("#composer-input")).to_have_attribute("placeholder", "궁금한 것을 적어 주세요")

    result.get_by_role("button", name="다른 문제 풀기").click()
    wait_for_answers(page, 4)
    expect(page.locator(".message.user .bubble").last).to_have_text("퀴즈 하나 더 내 줘")
    second = page.locator(".message.assistant").last.locator(".quiz-question-text")
    expect(second).not_to_be_empty()
    assert second.inner_text() != first_question

    ask(page, "모르는 척 아무 말이나 해 볼게요 바나나")
    wait_for_answers(page, 5)
    wrong = page.locator(".message.assistant").last
    expect(wrong.locator(".quiz-verdict")).to_have_text("✗정답이 아니에요")
    screenshot(page, "desktop-quiz-wrong")

    # After a reload the same cards and verdicts are shown, from the stored messages.
    before = page.locator("#messages").inner_text()
    page.reload()
    expect(page.locator(FINISHED_ANSWER)).to_have_count(5)
    assert page.locator("#messages").inner_text() == before
    expect(page.locator(".message.is-quiz")).to_have_count(2)
    expect(page.locator(".message.is-correct .quiz-verdict")).to_have_count(1)
    expect(page.locator(".message.is-wrong .quiz-verdict")).to_have_count(1)


def test_a_quiz_and_a_recap_on_a_phone_in_both_languages(open_page, quiz_service) -> None:
    service, _ = quiz_service
    page = open_page(service, viewport=PHONE)
    ask(page, "확산 모델이 뭐예요?")
    wait_for_answers(page, 1)

    page.click("#open-path")
    page.get_by_role("button", name="지금까지 정리").click()
    wait_for_answers(page, 2)
    expect(page.locator(".message.assistant").last.locator(".activity-label")).to_have_text("복습 정리")

    page.click("#open-path")
    page.get_by_role("button", name="퀴즈 풀기").click()
    wait_for_answers(page, 3)
    card = page.locator(".message.assistant").last
    expect(card.locator(".quiz-question-text")).to_be_visible()
    card.locator(".quiz-question").scroll_into_view_if_needed()
    screenshot(page, "phone-quiz")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Still the question box's turn after a reload: the learner's next message is the answer.
    page.reload()
    expect(page.locator("#composer-input")).to_have_attribute("placeholder", "퀴즈의 답을 적어 주세요")

    ask(page, "잘 모르겠어요")
    wait_for_answers(page, 4)
    verdict = page.locator(".message.assistant").last.locator(".quiz-verdict")
    expect(verdict).to_have_text("✗정답이 아니에요")
    # The end of the answer is in view, above the question box, with nothing left to scroll.
    assert page.evaluate("(m => m.scrollHeight - m.scrollTop - m.clientHeight)(document.getElementById('main'))") < 2
    screenshot(page, "phone-quiz-result")

    page.click("#lang-toggle")
    expect(page.locator(".message.assistant").nth(2).locator(".activity-label")).to_have_text("Quiz")
    page.click("#open-path")
    page.get_by_role("button", name="Quiz me").click()
    wait_for_answers(page, 5)
    english = page.locator(".message.assistant").last
    expect(english.locator(".activity-label")).to_have_text("Quiz")
    expect(english.locator(".quiz-question-label")).to_have_text("Question")
    expect(page.locator("#composer-input")).to_have_attribute("placeholder", "Type your answer to the quiz")
    assert session_of(page)


def test_a_partly_right_answer_and_a_question_in_place_of_an_answer(open_page, quiz_service) -> None:
    service, _ = quiz_service
    page = open_page(service, viewport=DESKTOP)
    ask(page, "LLM은 뭐가 크다는거에요?")
    wait_for_answers(page, 1)
    ask(page, "문제 내줘")
    wait_for_answers(page, 2)
    ask(page, "데이터 양이요")
    wait_for_answers(page, 3)
    partly = page.locator(".message.assistant").last
    # Half right is said in words with its own mark, neither ✓ nor ✗.
    expect(partly).to_have_class(re.compile(r"\bis-partly\b"))
    expect(partly.locator(".quiz-verdict")).to_have_text("½절반은 맞았어요")
    expect(partly.locator(".bubble")).to_contain_text("파라미터")
    screenshot(page, "desktop-quiz-partly")

    # A question of the learner's own where an answer was expected is answered as a question.
    ask(page, "하나 더")
    wait_for_answers(page, 4)
    expect(page.locator("#composer-input")).to_have_attribute("placeholder", "퀴즈의 답을 적어 주세요")
    ask(page, "잠깐 근데 트랜스포머가 뭐였죠?")
    wait_for_answers(page, 5)
    answer = page.locator(".message.assistant").last
    expect(answer.locator(".quiz-verdict")).to_have_count(0)
    expect(answer).not_to_have_class(re.compile(r"\bis-quiz"))
    expect(answer.locator(".bubble")).to_contain_text("구조")
    expect(page.locator("#composer-input")).to_have_attribute("placeholder", "궁금한 것을 적어 주세요")
