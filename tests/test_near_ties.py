"""A passage the question's words reach as well as the third one found may
hold its answer: the fact that answers the question leads, whichever of
the near-tied passages it belongs to."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening


def test_why_llms_lead_is_answered_with_the_reasons_even_after_a_long_preamble(client: TestClient) -> None:
    answer = conversation(client, "Hi, I lived overseas for years and reading Korean is slow for me, so in English "
                                  "please. Why are LLMs the mainstream of generative AI right now?")[0]
    assert answer["sources"][0]["id"] == "llm-leads.summary"
    assert "reasons" in opening(answer) and "demand" in opening(answer)
