"""Budgets as the learner meets them: a Korean explanation and a way on, nothing typed is lost."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import Service, _start_service, ask, screenshot, wait_for_answers
from .test_chat_page import MESSAGES_URL, _refuse


@pytest.fixture(scope="module")
def budget_service(services_dir: Path) -> Iterator[Service]:
    """The offline tutor with a one-token budget per conversation: the second question is refused."""
    started = _start_service(services_dir, "budget", TUTOR_SESSION_TOKEN_BUDGET="1")
    yield started
    started.stop()


def test_a_used_up_conversation_offers_a_new_one_and_asks_there(open_page, budget_service: Service,
                                                                 console) -> None:
    console.allow(r"status of 409")
    page = open_page(budget_service)
    ask(page, "GAN이 뭐예요?")
    wait_for_answers(page, 1)

    ask(page, "VAE는 뭐예요?")
    banner = page.locator("#error-banner")
    expect(banner).to_contain_text("이 대화에 정해진 사용량을 모두 썼어요")
    expect(page.locator("#composer-input")).to_have_value("VAE는 뭐예요?")
    screenshot(page, "desktop-budget-session")

    banner.get_by_role("button", name="새 대화에서 묻기").click()
    wait_for_answers(page, 1)
    expect(page.locator(".message.user .bubble")).to_have_text("VAE는 뭐예요?")


def test_the_daily_budget_says_when_to_come_back_not_seconds(open_page, budget_service: Service, console) -> None:
    console.allow(r"status of 429")
    page = open_page(budget_service)
    page.route(MESSAGES_URL, _refuse(429, "budget_exhausted", "오늘 서비스에 정해진 사용량을 모두 썼어요.",
                                     {"Retry-After": "40000"}))
    ask(page, "GAN이 뭐예요?")
    banner = page.locator("#error-banner")
    expect(banner).to_contain_text("자정이 지나면 다시 물어봐 주세요")
    expect(banner).not_to_contain_text("40000")
    expect(page.locator("#composer-input")).to_have_value("GAN이 뭐예요?")
