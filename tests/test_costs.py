"""What each answer costs, what a session has spent, and the operator's budgets.

The OpenAI and Anthropic providers run through their real SDKs; respx answers
at the SDKs' HTTP boundary with the vendors' own streams (tests/wire/), with
the usage numbers each test needs. The store is real: SQLite, and PostgreSQL
where totals and budgets are kept.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
import respx
from fastapi.testclient import TestClient

from tests.conftest import new_session
from tests.sse import parse_sse
from tests.test_store import database_url  # noqa: F401  (the SQLite + PostgreSQL fixture)
from tests.wire_replay import wire
from tutor.api.app import create_app
from tutor.budgets import seconds_to_next_day
from tutor.config import Settings
from tutor.prices import BUILT_IN, PriceConfigError, PriceTable, load_overrides
from tutor.providers.base import Usage

OPENAI_URL = "https://api.openai.com/v1/chat/completions"
ANTHROPIC_URL = "https://api.anthropic.com/v1/messages"
QUESTION = {"content": "GAN이 뭐예요?"}


def openai_stream(prompt_tokens: int, completion_tokens: int) -> httpx.Response:
    """OpenAI's recorded stream, with the usage chunk saying these numbers."""
    status, headers, body = wire("openai_stream_ok.txt")
    body = re.sub(rb'"prompt_tokens":\d+,"completion_tokens":\d+,"total_tokens":\d+',
                  b'"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d'
                  % (prompt_tokens, completion_tokens, prompt_tokens + completion_tokens), body)
    return httpx.Response(status, headers=headers, content=body)


def anthropic_stream(input_tokens: int, output_tokens: int) -> httpx.Response:
    status, headers, body = wire("anthropic_stream_ok.txt")
    body = re.sub(rb'"input_tokens":\d+', b'"input_tokens":%d' % input_tokens, body)
    body = re.sub(rb'"usage":\{"output_tokens":\d+\}', b'"usage":{"output_tokens":%d}' % output_tokens, body)
    return httpx.Response(status, headers=headers, content=body)


def money(value: float | None) -> Decimal | None:
    """A cost_usd as the exact decimal its JSON text spells."""
    return None if value is None else Decimal(str(value))


def ask(client: TestClient, session_id: str, headers: dict[str, str]) -> dict:
    response = client.post(f"/v1/sessions/{session_id}/messages", json=QUESTION, headers=headers)
    assert response.status_code == 200, response.text
    events = parse_sse(response.text)
    assert events[-1].name == "done", events[-1]
    return events[-1].data


def read(client: TestClient, session_id: str, headers: dict[str, str]) -> dict:
    response = client.get(f"/v1/sessions/{session_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def openai_app(make_settings, **overrides) -> TestClient:
    values = dict(provider="openai", openai_api_key="sk-test-key", model="gpt-4o-mini", max_retries=0)
    return TestClient(create_app(make_settings(**(values | overrides))))


# --- one turn's cost ----------------------------------------------------------------------------


def test_a_turn_costs_exactly_what_the_price_table_says(httpx2_mock: respx.Router, make_settings) -> None:
    httpx2_mock.post(OPENAI_URL).mock(return_value=openai_stream(812, 23))
    with openai_app(make_settings) as client:
        session_id, headers = new_session(client)
        done = ask(client, session_id, headers)
        # gpt-4o-mini: $0.15 per million input tokens, $0.60 per million output tokens.
        expected = (812 * Decimal("0.15") + 23 * Decimal("0.60")) / 1_000_000
        assert expected == Decimal("0.0001356")
        assert done["usage"] == {"input_tokens": 812, "output_tokens": 23, "cached_input_tokens": 0,
                                 "cache_write_input_tokens": 0, "cost_usd": 0.0001356}
        assert money(done["usage"]["cost_usd"]) == expected
        stored = read(client, session_id, headers)
        assert stored["messages"][1]["usage"] == done["usage"]
        assert stored["messages"][0]["usage"] is None  # the learner's message
        assert stored["usage"] == done["usage"]


def test_an_anthropic_turn_is_priced_by_its_dated_model_id(httpx2_mock: respx.Router, make_settings) -> None:
    httpx2_mock.post(ANTHROPIC_URL).mock(return_value=anthropic_stream(918, 31))
    settings = make_settings(provider="anthropic", anthropic_api_key="sk-ant-test", model="claude-3-5-haiku-20241022",
                             max_retries=0)
    with TestClient(create_app(settings)) as client:
        session_id, headers = new_session(client)
        done = ask(client, session_id, headers)
        # Claude Haiku 3.5: $0.80 in, $4 out per million tokens.
        assert money(done["usage"]["cost_usd"]) == (918 * Decimal("0.80") + 31 * Decimal(4)) / 1_000_000


def test_cached_and_cache_write_tokens_are_billed_at_their_own_rates() -> None:
    table = PriceTable(vendor_hosted={"openai", "anthropic"})
    # 10,000 input tokens of which 8,000 came from the cache and 1,500 were written to it.
    usage = Usage(input_tokens=10_000, output_tokens=400, cached_input_tokens=8_000, cache_write_input_tokens=1_500)
    sonnet = table.cost("anthropic", "claude-sonnet-4-20250514", usage)
    assert Decimal(sonnet) / 10**12 == (500 * Decimal(3) + 8_000 * Decimal("0.30") + 1_500 * Decimal("3.75")
                                        + 400 * Decimal(15)) / 1_000_000
    mini = table.cost("openai", "gpt-4o-mini-2024-07-18", Usage(10_000, 400, cached_input_tokens=8_000))
    assert Decimal(mini) / 10**12 == (2_000 * Decimal("0.15") + 8_000 * Decimal("0.075")
                                      + 400 * Decimal("0.60")) / 1_000_000


def test_every_built_in_price_is_exact_in_pico_dollars() -> None:
    for provider, models in BUILT_IN.items():
        for model, price in models.items():
            for amount in (price.input, price.output, price.cached_input, price.cache_write):
                assert (amount * 10**6) == int(amount * 10**6), (provider, model, amount)
            assert price.cached_input <= price.input, (provider, model)


# --- unknown prices -----------------------------------------------------------------------------


def test_a_model_without_a_price_costs_unknown_not_zero(httpx2_mock: respx.Router, make_settings) -> None:
    httpx2_mock.post(OPENAI_URL).mock(return_value=openai_stream(500, 40))
    with openai_app(make_settings, model="gpt-9-imaginary") as client:
        session_id, headers = new_session(client)
        done = ask(client, session_id, headers)
        assert done["usage"]["cost_usd"] is None
        assert done["usage"]["input_tokens"] == 500
        totals = read(client, session_id, headers)["usage"]
        assert totals["cost_usd"] is None and totals["input_tokens"] == 500


def quiet_local_server(router: respx.Router) -> None:
    """A local server that tells neither its window nor its tokenizer (the fitter asks first)."""
    router.get(url__regex=r"http://127\.0\.0\.1:8080/(props|v1/models)").mock(return_value=httpx.Response(404))
    router.post(url__regex=r"http://127\.0\.0\.1:8080/(tokenize|extras/.*)").mock(return_value=httpx.Response(404))


@pytest.mark.httpx2(assert_all_called=False)
def test_a_local_server_costs_unknown_even_under_a_vendor_model_name(httpx2_mock: respx.Router,
                                                                     make_settings) -> None:
    local = "http://127.0.0.1:8080/v1"
    quiet_local_server(httpx2_mock)
    httpx2_mock.post(f"{local}/chat/completions").mock(return_value=openai_stream(500, 40))
    with openai_app(make_settings, openai_base_url=local) as client:
        session_id, headers = new_session(client)
        assert ask(client, session_id, headers)["usage"]["cost_usd"] is None


@pytest.mark.httpx2(assert_all_called=False)
def test_the_operator_prices_a_local_model(httpx2_mock: respx.Router, make_settings, tmp_path: Path) -> None:
    local = "http://127.0.0.1:8080/v1"
    quiet_local_server(httpx2_mock)
    prices = tmp_path / "prices.toml"
    prices.write_text('[smollm2]\ninput = 0.01\noutput = 0.02\n', encoding="utf-8")
    httpx2_mock.post(f"{local}/chat/completions").mock(return_value=openai_stream(1000, 500))
    with openai_app(make_settings, openai_base_url=local, model="smollm2", prices=str(prices)) as client:
        session_id, headers = new_session(client)
        done = ask(client, session_id, headers)
        assert money(done["usage"]["cost_usd"]) == Decimal("0.00002")  # (1000 × 0.01 + 500 × 0.02) / 10⁶


def test_the_offline_tutor_costs_nothing(client: TestClient) -> None:
    session_id, headers = new_session(client)
    done = ask(client, session_id, headers)
    assert done["usage"]["cost_usd"] == 0 and done["usage"]["input_tokens"] > 0
    assert read(client, session_id, headers)["usage"]["cost_usd"] == 0


def test_a_bad_price_table_stops_the_service_saying_what_to_fix(make_settings, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"TUTOR_PRICES\['gpt-x'\]\.input must be zero or more"):
        make_settings(prices='{"gpt-x": {"input": -1, "output": 2}}')
    with pytest.raises(ValueError, match=r"needs output"):
        make_settings(prices='{"gpt-x": {"input": 1}}')
    with pytest.raises(ValueError, match=r"unknown field\(s\) cached"):
        make_settings(prices='{"gpt-x": {"input": 1, "output": 2, "cached": 0.5}}')
    with pytest.raises(ValueError, match=r"not valid JSON"):
        make_settings(prices='{"gpt-x": ')
    with pytest.raises(ValueError, match=r"which is not a file"):
        make_settings(prices=str(tmp_path / "missing.toml"))
    with pytest.raises(PriceConfigError, match=r"more than 6 decimals"):
        load_overrides('{"gpt-x": {"input": 0.0000001, "output": 1}}')


# --- a session's totals -------------------------------------------------------------------------


def test_a_sessions_totals_are_exactly_the_sum_of_its_turns(httpx2_mock: respx.Router, make_settings,
                                                            database_url: str) -> None:  # noqa: F811
    turns = [(812, 23), (1337, 171), (2048, 5), (999, 333)]
    httpx2_mock.post(OPENAI_URL).mock(side_effect=[openai_stream(*usage) for usage in turns])
    with openai_app(make_settings, database_url=database_url) as client:
        session_id, headers = new_session(client)
        costs = [money(ask(client, session_id, headers)["usage"]["cost_usd"]) for _ in turns]
        stored = read(client, session_id, headers)
        answers = [m for m in stored["messages"] if m["role"] == "assistant"]
        assert [money(m["usage"]["cost_usd"]) for m in answers] == costs
        totals = stored["usage"]
        assert totals["input_tokens"] == sum(i for i, _ in turns)
        assert totals["output_tokens"] == sum(o for _, o in turns)
        assert money(totals["cost_usd"]) == sum(costs) == sum(
            (i * Decimal("0.15") + o * Decimal("0.60")) / 1_000_000 for i, o in turns)


def test_one_unpriced_answer_makes_the_sessions_cost_unknown(httpx2_mock: respx.Router, make_settings) -> None:
    httpx2_mock.post(OPENAI_URL).mock(side_effect=[openai_stream(100, 10), openai_stream(100, 10)])
    with openai_app(make_settings) as priced:
        session_id, headers = new_session(priced)
        ask(priced, session_id, headers)
    with openai_app(make_settings, model="gpt-9-imaginary") as unpriced:
        ask(unpriced, session_id, headers)
        totals = read(unpriced, session_id, headers)["usage"]
        assert totals["cost_usd"] is None and totals["input_tokens"] == 200


# --- budgets ------------------------------------------------------------------------------------


def stored_count(client: TestClient, session_id: str, headers: dict[str, str]) -> int:
    return len(read(client, session_id, headers)["messages"])


def test_a_session_over_its_token_budget_is_refused_and_keeps_everything(make_settings,
                                                                        database_url: str) -> None:  # noqa: F811
    settings = make_settings(database_url=database_url, session_token_budget=1)
    with TestClient(create_app(settings)) as client:
        session_id, headers = new_session(client)
        ask(client, session_id, headers)  # under budget when it starts
        before = read(client, session_id, headers)
        response = client.post(f"/v1/sessions/{session_id}/messages", json=QUESTION, headers=headers)
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "budget_exhausted"
        after = read(client, session_id, headers)
        assert after == before  # nothing stored, everything still readable
        other_id, other_headers = new_session(client)  # a new conversation has its own budget
        ask(client, other_id, other_headers)


def test_a_session_over_its_cost_budget_is_refused(httpx2_mock: respx.Router, make_settings) -> None:
    httpx2_mock.post(OPENAI_URL).mock(return_value=openai_stream(812, 23))  # $0.0001356 a turn
    with openai_app(make_settings, session_cost_budget_usd="0.0002") as client:
        session_id, headers = new_session(client)
        ask(client, session_id, headers)
        ask(client, session_id, headers)  # $0.0001356 spent: still under
        response = client.post(f"/v1/sessions/{session_id}/messages", json=QUESTION, headers=headers)
        assert (response.status_code, response.json()["error"]["code"]) == (409, "budget_exhausted")
        assert stored_count(client, session_id, headers) == 4


def test_the_daily_budget_holds_across_processes_until_midnight_utc(make_settings,
                                                                   database_url: str) -> None:  # noqa: F811
    # Two app instances on one database stand for two processes: only the database is shared.
    settings = make_settings(database_url=database_url, daily_token_budget=1)
    with TestClient(create_app(settings)) as first, TestClient(create_app(settings)) as second:
        session_id, headers = new_session(first)
        ask(first, session_id, headers)
        other_id, other_headers = new_session(second)
        # The server reads the clock between these two readings, so its wait lies between theirs.
        before = datetime.now(timezone.utc)
        response = second.post(f"/v1/sessions/{other_id}/messages", json=QUESTION, headers=other_headers)
        after = datetime.now(timezone.utc)
        assert response.status_code == 429
        assert response.json()["error"]["code"] == "budget_exhausted"
        wait = int(response.headers["Retry-After"])
        assert seconds_to_next_day(after) <= wait <= seconds_to_next_day(before)
        assert stored_count(second, other_id, other_headers) == 0
        assert read(first, session_id, headers)["messages"][1]["status"] == "complete"


def test_a_daily_cost_budget_counts_every_sessions_spending(httpx2_mock: respx.Router, make_settings) -> None:
    httpx2_mock.post(OPENAI_URL).mock(return_value=openai_stream(812, 23))  # $0.0001356 a turn
    with openai_app(make_settings, daily_cost_budget_usd="0.00025") as client:
        for _ in range(2):
            session_id, headers = new_session(client)
            ask(client, session_id, headers)
        session_id, headers = new_session(client)
        response = client.post(f"/v1/sessions/{session_id}/messages", json=QUESTION, headers=headers)
        assert (response.status_code, response.json()["error"]["code"]) == (429, "budget_exhausted")


def test_no_budget_by_default(make_settings) -> None:
    settings = Settings(_env_file=None, provider="offline")
    assert (settings.session_token_budget, settings.daily_token_budget) == (0, 0)
    assert settings.session_cost_budget_usd == 0 and settings.daily_cost_budget_usd == 0


def test_seconds_to_next_day() -> None:
    assert seconds_to_next_day(datetime(2026, 11, 30, 23, 59, 30, tzinfo=timezone.utc)) == 30
    assert seconds_to_next_day(datetime(2026, 11, 30, 0, 0, 0, tzinfo=timezone.utc)) == 86_400


def test_json_numbers_spell_the_exact_cost() -> None:
    # The stream's JSON text carries the decimal as priced, not a binary approximation.
    assert json.dumps({"cost_usd": float(Decimal(1356) / 10**7)}) == '{"cost_usd": 0.0001356}'


async def test_daily_totals_lose_no_turn_when_processes_finish_at_once(database_url: str) -> None:  # noqa: F811
    # Two stores with their own engines and pools, like two processes, finishing turns concurrently.
    import asyncio
    from datetime import timedelta

    from tutor.store import Store, TurnOutcome, make_engine, migrate

    engines = [make_engine(database_url) for _ in range(2)]
    migrate(engines[0])
    stores = [Store(engine) for engine in engines]
    try:
        turns = []
        for index in range(12):
            store = stores[index % 2]
            session, _ = await store.create_session("ko")
            start = await store.begin_turn(session.id, "질문", lease=timedelta(minutes=1), history_limit=4,
                                           max_messages=10)
            cost = None if index == 5 else 1_000_003 * (index + 1)
            turns.append((store, session.id, start.assistant_id, TurnOutcome(
                content="답", status="complete", sources=[], suggestions=[], provider="openai", model="gpt-4o",
                input_tokens=100 + index, output_tokens=10, cached_input_tokens=index, cost_pico_usd=cost)))
        await asyncio.gather(*(store.finish_turn(sid, aid, outcome) for store, sid, aid, outcome in turns))
        day = await stores[1].daily_usage(datetime.now(timezone.utc).date())
        assert day.turns == 12 and day.unpriced_turns == 1
        assert day.input_tokens == sum(100 + i for i in range(12))
        assert day.cached_input_tokens == sum(range(12))
        assert day.cost_pico_usd == sum(1_000_003 * (i + 1) for i in range(12) if i != 5)
    finally:
        for engine in engines:
            engine.dispose()
