"""Prometheus metrics: what an operator watches (answers, time to first token, errors, spend).

The instruments live here and nowhere else; the seams call the small
functions below (the turn pipeline, the provider chain, the rate limits, the
streams), so no other module knows Prometheus.

With several worker processes (``tutor serve --workers N``) the supervisor
points ``PROMETHEUS_MULTIPROC_DIR`` at a fresh directory before the workers
start; every worker then writes its samples there (prometheus-client's
multiprocess mode) and a scrape of any worker adds them all up
(``MultiProcessCollector``). A worker that exits is marked dead so that its
open-stream gauge stops counting.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)

if TYPE_CHECKING:
    from tutor.providers.registry import Served
    from tutor.store import TurnOutcome

MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"
# Seconds: a first token within 0.1 s (the offline tutor) up to the 30 s default deadline.
TTFT_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 20.0, 30.0, 60.0)
TURN_BUCKETS = (0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0)
NO_PROVIDER = "none"  # a turn that failed before any provider answered

disable_created_metrics()  # no `_created` series: a scrape says counts, not when each label first appeared

TURNS = Counter("tutor_turns", "Answers, by the provider that served them and how they ended "
                "(complete, interrupted, failed).", ["provider", "outcome"])
TIME_TO_FIRST_TOKEN = Histogram("tutor_time_to_first_token_seconds", "From the start of a turn to the first "
                                "piece of its answer.", ["provider"], buckets=TTFT_BUCKETS)
TURN_DURATION = Histogram("tutor_turn_duration_seconds", "From the start of a turn to its end, however it ended.",
                          ["provider", "outcome"], buckets=TURN_BUCKETS)
PROVIDER_ERRORS = Counter("tutor_provider_errors", "Provider failures, by provider and error code "
                          "(provider_unavailable, provider_rate_limited, ...).", ["provider", "code"])
FALLBACKS = Counter("tutor_fallbacks", "Turns handed to the next provider of the chain after one failed "
                    "before its first word.", ["from_provider", "to_provider"])
TOKENS = Counter("tutor_tokens", "Tokens of answers, by provider and kind (input includes cached_input).",
                 ["provider", "kind"])
COST = Counter("tutor_cost_usd", "List-price cost of answers in US dollars (priced models only).", ["provider"])
OPEN_STREAMS = Gauge("tutor_open_streams", "Answer streams open to clients right now.",
                     multiprocess_mode="livesum")
RATE_LIMIT_REFUSALS = Counter("tutor_rate_limit_refusals", "Requests refused by a rate limit, by limit.",
                              ["limit"])


def first_token(served: "Served | None", started: float) -> None:
    TIME_TO_FIRST_TOKEN.labels(served.provider if served else NO_PROVIDER).observe(time.monotonic() - started)


def turn_finished(outcome: "TurnOutcome", started: float) -> None:
    """One answer ended: its outcome, duration, tokens and cost."""
    provider = outcome.provider or NO_PROVIDER
    TURNS.labels(provider, outcome.status).inc()
    TURN_DURATION.labels(provider, outcome.status).observe(time.monotonic() - started)
    for kind, tokens in (("input", outcome.input_tokens), ("output", outcome.output_tokens),
                         ("cached_input", outcome.cached_input_tokens),
                         ("cache_write_input", outcome.cache_write_input_tokens)):
        if tokens:
            TOKENS.labels(provider, kind).inc(tokens)
    if outcome.cost_pico_usd:
        COST.labels(provider).inc(outcome.cost_pico_usd / 1e12)


def provider_failed(provider: str, code: str) -> None:
    PROVIDER_ERRORS.labels(provider, code).inc()


def fell_back(from_provider: str, to_provider: str) -> None:
    FALLBACKS.labels(from_provider, to_provider).inc()


def rate_limited(limit: str) -> None:
    RATE_LIMIT_REFUSALS.labels(limit or "other").inc()


@contextmanager
def open_stream() -> Iterator[None]:
    """Counts a client stream while it is open."""
    OPEN_STREAMS.inc()
    try:
        yield
    finally:
        OPEN_STREAMS.dec()


def exposition() -> tuple[bytes, str]:
    """The text a scrape receives: this process's samples, or every worker's in multiprocess mode."""
    if os.environ.get(MULTIPROC_DIR):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def process_exited(pid: int) -> None:
    """Forget a dead worker's live gauges (its counters stay in the sums)."""
    if os.environ.get(MULTIPROC_DIR):
        multiprocess.mark_process_dead(pid)
