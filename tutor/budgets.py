"""Operator budgets: tokens and cost per session and per UTC day for the whole service.

A turn is checked before anything of it is stored; over budget it is refused
with ``budget_exhausted`` and the conversation stays readable. Usage comes
from the database (the session's answers, the day's row of ``daily_usage``),
so the limits hold across processes and replicas. Turns already running when
a budget runs out still finish, so a total can pass its budget by those.
Tokens are input + output (cached input included); cost budgets count the
priced turns only (use a token budget for models without a price).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Literal

from tutor.config import Settings
from tutor.prices import PICO_PER_USD
from tutor.store import Store, UsageTotals


class BudgetExhausted(Exception):
    """A budget is used up. ``retry_after``: seconds until the daily budget renews (None for a session's)."""

    def __init__(self, scope: Literal["session", "daily"], retry_after: int | None = None):
        super().__init__(f"the {scope} budget is used up")
        self.scope = scope
        self.retry_after = retry_after

    @property
    def key(self) -> str:
        """Its message in tutor/error_messages.py."""
        return "budget_exhausted.daily" if self.scope == "daily" else "budget_exhausted"


@dataclass(frozen=True, slots=True)
class Limit:
    """Tokens and pico-dollars; 0 is no limit."""

    tokens: int = 0
    cost_pico_usd: int = 0

    @property
    def active(self) -> bool:
        return bool(self.tokens or self.cost_pico_usd)

    def reached_by(self, used: UsageTotals) -> bool:
        return bool((self.tokens and used.tokens >= self.tokens)
                    or (self.cost_pico_usd and used.cost_pico_usd >= self.cost_pico_usd))


def _pico(usd: Decimal) -> int:
    return int(usd * PICO_PER_USD)


class Budgets:
    def __init__(self, session: Limit, daily: Limit):
        self.session = session
        self.daily = daily

    @classmethod
    def from_settings(cls, settings: Settings) -> "Budgets":
        return cls(Limit(settings.session_token_budget, _pico(settings.session_cost_budget_usd)),
                   Limit(settings.daily_token_budget, _pico(settings.daily_cost_budget_usd)))

    @property
    def costs_matter(self) -> bool:
        return bool(self.session.cost_pico_usd or self.daily.cost_pico_usd)

    async def check(self, store: Store, session_id: str | None, now: datetime | None = None) -> None:
        """Raise BudgetExhausted if a new turn of this session (None: of no stored session) would go over a budget."""
        now = now or datetime.now(timezone.utc)
        if self.daily.active and self.daily.reached_by(await store.daily_usage(now.date())):
            raise BudgetExhausted("daily", retry_after=seconds_to_next_day(now))
        if session_id and self.session.active and self.session.reached_by(await store.session_usage(session_id)):
            raise BudgetExhausted("session")


def seconds_to_next_day(now: datetime) -> int:
    """Whole seconds until the next midnight UTC, when the daily totals start afresh."""
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=timezone.utc)
    return max(1, math.ceil((midnight - now).total_seconds()))
