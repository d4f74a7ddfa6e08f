"""`/docs` in headless Chromium with the network cut: the API documentation a developer opens.

Every request that does not go to the service on loopback is aborted and recorded, so the
page only passes when Swagger UI comes from the service itself, and every CSP violation
(an inline script, a third-party file) shows up as a console error.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Route, expect

from .conftest import Service, screenshot

pytestmark = pytest.mark.browser


def test_the_api_docs_render_every_operation_offline(playwright_browser, service: Service) -> None:
    context = playwright_browser.new_context(base_url=service.url)
    left_loopback: list[str] = []
    problems: list[str] = []

    def only_loopback(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            left_loopback.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_loopback)
    page = context.new_page()
    page.on("console", lambda msg: problems.append(f"console.{msg.type}: {msg.text}")
            if msg.type in ("error", "warning") else None)
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    try:
        response = page.goto("/docs")
        assert response is not None and response.ok
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("Tutor", timeout=15_000)
        operations = page.locator(".opblock")
        expect(operations.first).to_be_visible(timeout=15_000)
        paths = operations.locator(".opblock-summary-path").all_text_contents()
        assert "/v1/sessions/{session_id}/messages" in [p.replace("\u200b", "") for p in paths]
        # An operation opens and shows its parameters: the UI is alive, not a static picture.
        page.locator(".opblock-post .opblock-summary").first.click()
        expect(page.locator(".opblock.is-open")).to_have_count(1)
        screenshot(page, "api-docs")
    finally:
        context.close()
    assert left_loopback == [], "the docs page reached beyond the service"
    assert problems == [], "the browser reported errors (a refused script or style, a failed load)"
