"""`GET /metrics`: the Prometheus counts move as turns happen, in one process and across workers."""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import REDIS_URL, new_session
from tests.fakes import FakeProvider
from tutor.api.app import create_app
from tutor.config import Settings

QUESTION = "트랜스포머가 뭐예요?"
OPERATOR_KEY = "op-metrics-key-5c1e9a"


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    """Every sample of a scrape, by name and labels."""
    out: dict[tuple[str, frozenset], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return out


def value(scrape: dict, name: str, **labels: str) -> float:
    """A sample's value summed over the labels not named (0 when absent)."""
    wanted = set(labels.items())
    return sum(v for (n, l), v in scrape.items() if n == name and wanted <= set(l))


def scrape(client: TestClient | httpx.Client, **headers: str) -> dict:
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return samples(response.text)


def ask(client: TestClient, question: str = QUESTION) -> None:
    session_id, headers = new_session(client)
    response = client.post(f"/v1/sessions/{session_id}/messages", json={"content": question},
                           headers={**headers, "Accept": "application/json"})
    assert response.status_code == 200 and response.json()["status"] == "complete", response.text


def test_a_turn_moves_the_turn_token_and_first_token_counts(client: TestClient) -> None:
    before = scrape(client)
    ask(client)
    with client.stream("POST", "/v1/chat/completions", json={
            "model": "tutor", "stream": True, "messages": [{"role": "user", "content": QUESTION}]}) as response:
        during = [line for line in response.iter_lines() if line.startswith("data: ")]
    after = scrape(client)
    assert during[-1] == "data: [DONE]"

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("tutor_turns_total", provider="offline", outcome="complete") == 2
    assert grew("tutor_time_to_first_token_seconds_count", provider="offline") == 2
    assert grew("tutor_turn_duration_seconds_count", provider="offline", outcome="complete") == 2
    assert grew("tutor_turn_duration_seconds_sum", provider="offline") > 0
    assert grew("tutor_tokens_total", provider="offline", kind="input") > 100
    assert grew("tutor_tokens_total", provider="offline", kind="output") > 10
    assert value(after, "tutor_open_streams") == value(before, "tutor_open_streams")  # all closed again


def test_an_open_stream_is_counted_while_it_is_open(make_settings: Callable[..., Settings]) -> None:
    with TestClient(create_app(make_settings(offline_delay=0.2))) as client:
        base = value(scrape(client), "tutor_open_streams")
        session_id, headers = new_session(client)
        with client.stream("POST", f"/v1/sessions/{session_id}/messages", json={"content": QUESTION},
                           headers=headers) as response:
            for line in response.iter_lines():
                if line.startswith("event: delta"):
                    assert value(scrape(client), "tutor_open_streams") == base + 1
                    break
        deadline = time.monotonic() + 10
        while value(scrape(client), "tutor_open_streams") != base and time.monotonic() < deadline:
            time.sleep(0.05)
        assert value(scrape(client), "tutor_open_streams") == base


def test_rate_limit_refusals_are_counted_by_limit(make_settings: Callable[..., Settings]) -> None:
    with TestClient(create_app(make_settings(rate_limit_enabled=True, sessions_per_minute=1))) as client:
        before = value(scrape(client), "tutor_rate_limit_refusals_total", limit="sessions")
        assert client.post("/v1/sessions").status_code == 201
        assert client.post("/v1/sessions").status_code == 429
        after = value(scrape(client), "tutor_rate_limit_refusals_total", limit="sessions")
    assert after - before == 1


def test_provider_errors_and_fallbacks_are_counted(make_settings: Callable[..., Settings]) -> None:
    fake = FakeProvider("--chunks", "4", "--first-token-delay", "0", "--chunk-delay", "0")
    try:
        fake.control(mode="status", status=503)
        settings = make_settings(provider="openai", openai_api_key="sk-upstream-1", openai_base_url=f"{fake.url}/v1",
                                 model="fake-model", max_retries=0, fallback=["offline"])
        with TestClient(create_app(settings)) as client:
            before = scrape(client)
            ask(client)
            after = scrape(client)
    finally:
        fake.stop()

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("tutor_provider_errors_total", provider="openai", code="provider_unavailable") == 1
    assert grew("tutor_fallbacks_total", from_provider="openai", to_provider="offline") == 1
    assert grew("tutor_turns_total", provider="offline", outcome="complete") == 1
    assert grew("tutor_turns_total", provider="openai") == 0


def test_a_failed_turn_is_counted_as_failed(make_settings: Callable[..., Settings]) -> None:
    fake = FakeProvider("--chunks", "4", "--first-token-delay", "0", "--chunk-delay", "0")
    try:
        fake.control(mode="status", status=401)
        settings = make_settings(provider="openai", openai_api_key="sk-upstream-1", openai_base_url=f"{fake.url}/v1",
                                 model="fake-model", max_retries=0)
        with TestClient(create_app(settings)) as client:
            before = scrape(client)
            session_id, headers = new_session(client)
            answer = client.post(f"/v1/sessions/{session_id}/messages", json={"content": QUESTION},
                                 headers={**headers, "Accept": "application/json"}).json()
            after = scrape(client)
    finally:
        fake.stop()
    assert answer["status"] == "failed"
    assert value(after, "tutor_turns_total", provider="none", outcome="failed") - \
        value(before, "tutor_turns_total", provider="none", outcome="failed") == 1
    assert value(after, "tutor_provider_errors_total", code="provider_auth") - \
        value(before, "tutor_provider_errors_total", code="provider_auth") == 1


def test_with_operator_keys_metrics_need_one(make_settings: Callable[..., Settings]) -> None:
    with TestClient(create_app(make_settings(api_keys=OPERATOR_KEY))) as client:
        refused = client.get("/metrics")
        wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert refused.status_code == 401 and wrong.status_code == 401
        assert OPERATOR_KEY not in refused.text
        scrape(client, Authorization=f"Bearer {OPERATOR_KEY}")
        scrape(client, **{"X-API-Key": OPERATOR_KEY})


def _worker_pids(supervisor: int) -> list[int]:
    children = Path(f"/proc/{supervisor}/task/{supervisor}/children").read_text().split()
    return [int(pid) for pid in children if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text()]


def _samples_dir(pid: int) -> Path:
    environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    found = [line.split(b"=", 1)[1] for line in environ if line.startswith(b"PROMETHEUS_MULTIPROC_DIR=")]
    assert found, "the workers were started without PROMETHEUS_MULTIPROC_DIR"
    return Path(found[0].decode())


@pytest.mark.slow
@pytest.mark.redis
def test_with_two_workers_every_scrape_sums_both_workers(server_factory, redis_prefix: str) -> None:
    server = server_factory(TUTOR_WORKERS="2", TUTOR_REDIS_URL=REDIS_URL, TUTOR_REDIS_PREFIX=redis_prefix)
    workers: list[int] = []
    deadline = time.monotonic() + 30
    while len(workers) < 2 and time.monotonic() < deadline:
        workers = _worker_pids(server.process.pid)
        time.sleep(0.1)
    assert len(workers) == 2, workers
    directory = _samples_dir(workers[0])
    asked = 0

    def completion() -> None:
        with httpx.Client(base_url=server.url, timeout=30) as fresh:  # a new connection: any worker
            response = fresh.post("/v1/chat/completions", json={
                "model": "tutor", "messages": [{"role": "user", "content": QUESTION}]})
            assert response.status_code == 200, response.text

    def served_by() -> set[int]:
        """The workers that have counted something (prometheus-client writes counter_<pid>.db)."""
        return {int(m.group(1)) for f in directory.iterdir() if (m := re.match(r"counter_(\d+)\.db", f.name))}

    # Until both workers have answered some (the kernel decides who accepts a connection).
    while served_by() != set(workers) and asked < 60:
        threads = [threading.Thread(target=completion) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        asked += 4
    assert served_by() == set(workers), (served_by(), workers)

    for _ in range(6):  # each scrape on a new connection, so both workers answer some of them
        with httpx.Client(base_url=server.url, timeout=10) as fresh:
            counts = scrape(fresh)
        assert value(counts, "tutor_turns_total", provider="offline", outcome="complete") == asked
        assert value(counts, "tutor_time_to_first_token_seconds_count", provider="offline") == asked

    server.stop()
    assert not directory.exists()  # the supervisor cleans up after its workers
    assert os.environ.get("PROMETHEUS_MULTIPROC_DIR") is None


def test_cost_and_tokens_of_a_priced_model_are_counted(make_settings: Callable[..., Settings]) -> None:
    fake = FakeProvider("--chunks", "4", "--first-token-delay", "0", "--chunk-delay", "0")
    try:
        settings = make_settings(provider="openai", openai_api_key="sk-upstream-1", openai_base_url=f"{fake.url}/v1",
                                 model="fake-model", max_retries=0,
                                 prices='{"fake-model": {"input": 2.5, "output": 10}}')
        with TestClient(create_app(settings)) as client:
            before = scrape(client)
            response = client.post("/v1/chat/completions", json={
                "model": "tutor", "messages": [{"role": "user", "content": QUESTION}]})
            after = scrape(client)
    finally:
        fake.stop()
    usage, extra = response.json()["usage"], response.json()["tutor"]
    spent = value(after, "tutor_cost_usd_total", provider="openai") - value(before, "tutor_cost_usd_total",
                                                                           provider="openai")
    assert extra["cost_usd"] > 0 and spent == pytest.approx(extra["cost_usd"])
    assert spent == pytest.approx((usage["prompt_tokens"] * 2.5 + usage["completion_tokens"] * 10) / 1e6)
    assert value(after, "tutor_tokens_total", provider="openai", kind="output") - \
        value(before, "tutor_tokens_total", provider="openai", kind="output") == usage["completion_tokens"]
