"""Rate limits count real clients: trusted proxies, IPv6 per /64, bounded and fair counters."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import new_session
from tutor.api.app import create_app
from tutor.api.ratelimit import RateLimiter

PROXY = ("10.0.0.5", 40000)


def _create(client: TestClient, forwarded_for: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post("/v1/sessions", headers=headers).status_code


def test_behind_a_trusted_proxy_each_learner_has_their_own_bucket(make_settings) -> None:
    settings = make_settings(rate_limit_enabled=True, sessions_per_minute=2, trusted_proxies="10.0.0.0/24")
    with TestClient(create_app(settings), client=PROXY) as client:
        assert [_create(client, "203.0.113.7") for _ in range(3)] == [201, 201, 429]
        # Another learner behind the same proxy is not blocked by the first.
        assert _create(client, "198.51.100.20") == 201
        # A learner cannot pick a bucket: the proxy appends what it saw, and that hop is the one believed.
        assert [_create(client, f"1.2.3.{n}, 203.0.113.7") for n in range(3)] == [429, 429, 429]
        # Hops through more trusted proxies are skipped to the first address that is not one.
        assert _create(client, "203.0.113.7, 10.0.0.9") == 429


def test_forwarded_for_from_anyone_else_is_ignored(make_settings) -> None:
    settings = make_settings(rate_limit_enabled=True, sessions_per_minute=3, trusted_proxies="10.0.0.0/24")
    with TestClient(create_app(settings), client=("192.0.2.50", 5000)) as client:
        statuses = [_create(client, f"198.51.100.{n}") for n in range(6)]
        assert statuses == [201, 201, 201, 429, 429, 429]
    without = make_settings(rate_limit_enabled=True, sessions_per_minute=3)  # no trusted proxy configured
    with TestClient(create_app(without), client=PROXY) as client:
        assert [_create(client, f"198.51.100.{n}") for n in range(4)] == [201, 201, 201, 429]


def test_ipv6_addresses_of_one_64_share_a_bucket(make_settings) -> None:
    app = create_app(make_settings(rate_limit_enabled=True, sessions_per_minute=3))
    statuses = []
    with TestClient(app) as _:
        for n in range(5):
            with TestClient(app, client=(f"2001:db8:1:2::{n:x}:beef", 1000)) as client:
                statuses.append(_create(client))
        with TestClient(app, client=("2001:db8:1:3::1", 1000)) as neighbour:
            other = _create(neighbour)
    assert statuses == [201, 201, 201, 429, 429]
    assert other == 201  # the next /64 is someone else


def test_full_session_reads_count_against_the_client(make_settings) -> None:
    with TestClient(create_app(make_settings(rate_limit_enabled=True, reads_per_minute=5))) as client:
        session_id, headers = new_session(client)
        codes = [client.get(f"/v1/sessions/{session_id}", headers=headers).status_code for _ in range(7)]
        assert codes == [200] * 5 + [429] * 2
        # Guessing tokens costs the same.
        wrong = client.get(f"/v1/sessions/{session_id}", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 429 and int(wrong.headers["Retry-After"]) >= 1


def test_a_flood_of_new_clients_neither_grows_memory_nor_frees_a_held_client() -> None:
    limiter = RateLimiter(3, max_keys=1000)
    assert [limiter.take("held", now=0.0) for _ in range(3)] == [None, None, None]
    assert limiter.take("held", now=0.1) is not None
    regular = [limiter.take("regular", now=0.2)]
    for n in range(200_000):
        limiter.take(f"flood-{n}", now=1.0 + n * 1e-6)
        assert len(limiter) <= 1000 or n < 1000
    assert len(limiter) <= 1000
    assert limiter.take("held", now=2.0) is not None  # still refused until its window ends
    assert limiter.take("held", now=60.5) is None
    assert regular == [None]


def test_windows_end_and_memory_is_given_back() -> None:
    limiter = RateLimiter(2, max_keys=100)
    for n in range(50):
        limiter.take(f"client-{n}", now=0.0)
    assert len(limiter) == 50
    limiter.take("late", now=61.0)
    assert len(limiter) == 1
