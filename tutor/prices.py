"""What a turn costs: list prices per model, and the exact arithmetic.

Prices are US dollars per million tokens, as the vendors publish them. Costs
are exact: integer pico-dollars (10⁻¹² USD), so a session's total is exactly
the sum of its turns and a daily total exactly the sum of its sessions.
A model we have no price for costs ``None`` ("unknown"), never 0; the offline
tutor costs 0.

The built-in table was checked on 2026-11-30 against Anthropic's pricing page
(docs.anthropic.com/en/docs/about-claude/pricing: base input, 5-minute cache
writes, cache hits, output) and OpenAI's (developers.openai.com/api/docs/pricing,
as quoted by several price trackers of 2026: input, cached input, output).
Prices change: an operator corrects or extends them with ``TUTOR_PRICES``
(JSON, or the path of a JSON or TOML file), validated at start-up.

Built-in prices apply only where a provider talks to the vendor's own API;
behind a base URL (Ollama, vLLM, llama.cpp, a gateway) the same model name
may mean anything, so only the operator's prices apply there.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tutor.providers.base import Usage

if TYPE_CHECKING:
    from tutor.config import Settings

PRICES_CHECKED_ON = "2026-11-30"
PICO_PER_USD = 10**12
# A price per million tokens times 10⁶ is pico-dollars per token: exact with at most 6 decimals.
MAX_PRICE_DECIMALS = 6


@dataclass(frozen=True, slots=True)
class Price:
    """US dollars per million tokens of each kind."""

    input: Decimal
    output: Decimal
    cached_input: Decimal
    cache_write: Decimal

    def cost(self, usage: Usage) -> int:
        """The exact cost of ``usage`` in pico-dollars.

        ``usage.input_tokens`` includes the cached and cache-write tokens; each
        kind is billed once, at its own rate.
        """
        fresh = max(usage.input_tokens - usage.cached_input_tokens - usage.cache_write_input_tokens, 0)
        per_million = (fresh * self.input + usage.cached_input_tokens * self.cached_input
                       + usage.cache_write_input_tokens * self.cache_write + usage.output_tokens * self.output)
        return int(per_million * 10**6)  # (USD / 10⁶ tokens) × 10¹² pico / USD


def _price(input: str, output: str, cached_input: str | None = None, cache_write: str | None = None) -> Price:
    return Price(Decimal(input), Decimal(output), Decimal(cached_input or input), Decimal(cache_write or input))


FREE = _price("0", "0")

# Per provider, then model id (dated snapshots and "-latest" resolve to these; see lookup).
# OpenAI: input / output / cached input; its caching costs nothing extra to write.
# Anthropic: input / output / cache hit / 5-minute cache write (prompts under 200K tokens).
BUILT_IN: dict[str, dict[str, Price]] = {
    "openai": {
        "gpt-4o": _price("2.50", "10.00", "1.25"),
        "gpt-4o-2024-05-13": _price("5.00", "15.00"),  # the first snapshot kept its launch price
        "gpt-4o-mini": _price("0.15", "0.60", "0.075"),
        "gpt-4.1": _price("2.00", "8.00", "0.50"),
        "gpt-4.1-mini": _price("0.40", "1.60", "0.10"),
        "gpt-4.1-nano": _price("0.10", "0.40", "0.025"),
        "gpt-3.5-turbo": _price("0.50", "1.50"),  # no prompt caching
        "gpt-3.5-turbo-0125": _price("0.50", "1.50"),
    },
    "anthropic": {
        "claude-3-haiku": _price("0.25", "1.25", "0.03", "0.30"),
        "claude-3-5-haiku": _price("0.80", "4.00", "0.08", "1.00"),
        "claude-haiku-4-5": _price("1.00", "5.00", "0.10", "1.25"),
        "claude-3-5-sonnet": _price("3.00", "15.00", "0.30", "3.75"),
        "claude-3-7-sonnet": _price("3.00", "15.00", "0.30", "3.75"),
        "claude-sonnet-4": _price("3.00", "15.00", "0.30", "3.75"),
        "claude-sonnet-4-5": _price("3.00", "15.00", "0.30", "3.75"),
        "claude-sonnet-4-6": _price("3.00", "15.00", "0.30", "3.75"),
        "claude-3-opus": _price("15.00", "75.00", "1.50", "18.75"),
        "claude-opus-4": _price("15.00", "75.00", "1.50", "18.75"),
        "claude-opus-4-1": _price("15.00", "75.00", "1.50", "18.75"),
        "claude-opus-4-5": _price("5.00", "25.00", "0.50", "6.25"),
        "claude-opus-4-6": _price("5.00", "25.00", "0.50", "6.25"),
        "claude-opus-4-7": _price("5.00", "25.00", "0.50", "6.25"),
    },
}

# "gpt-4o-2024-08-06", "claude-3-5-haiku-20241022", "claude-3-7-sonnet-latest", "claude-sonnet-4-0".
_SNAPSHOT = re.compile(r"-(\d{4}-\d{2}-\d{2}|\d{8}|latest|0)$")


# The vendors' own API hosts: a provider whose base URL is unset or one of these is "vendor hosted".
VENDOR_HOSTS = {"openai": "api.openai.com", "anthropic": "api.anthropic.com"}


def vendor_hosted(provider: str, base_url: str | None) -> bool:
    host = VENDOR_HOSTS.get(provider)
    return host is not None and (base_url is None or urlsplit(base_url).hostname == host)


class PriceConfigError(ValueError):
    """TUTOR_PRICES could not be read; the message says what to fix."""


class PriceTable:
    """Prices for the models this deployment serves.

    ``vendor_hosted`` names the providers that talk to their vendor's own API
    (the built-in prices apply to them); ``overrides`` are the operator's
    prices by model id, which apply whatever provider serves that model.
    """

    def __init__(self, *, vendor_hosted: set[str], overrides: Mapping[str, Price] | None = None):
        self.vendor_hosted = set(vendor_hosted)
        self.overrides = dict(overrides or {})

    def price(self, provider: str, model: str) -> Price | None:
        if provider == "offline":
            return FREE
        for candidate in (model, _SNAPSHOT.sub("", model)):
            if candidate in self.overrides:
                return self.overrides[candidate]
        if provider not in self.vendor_hosted:
            return None
        table = BUILT_IN.get(provider, {})
        return table.get(model) or table.get(_SNAPSHOT.sub("", model))

    def cost(self, provider: str | None, model: str | None, usage: Usage | None) -> int | None:
        """Pico-dollars for ``usage`` on this model, or None when the price is unknown."""
        if usage is None or provider is None or model is None:
            return None
        price = self.price(provider, model)
        return price.cost(usage) if price is not None else None


def usd(pico: int | None) -> float | None:
    """Pico-dollars as a JSON number of dollars; its decimal text is exact (≤ 15 significant digits)."""
    return None if pico is None else float(Decimal(pico) / PICO_PER_USD)


def load_overrides(value: str | None) -> dict[str, Price]:
    """The operator's prices from TUTOR_PRICES: inline JSON, or a .json / .toml file.

    Shape: ``{"model-id": {"input": 0.15, "output": 0.60, "cached_input": 0.075,
    "cache_write": 0.15}}`` in USD per million tokens; ``cached_input`` and
    ``cache_write`` default to ``input``.
    """
    if value is None or not value.strip():
        return {}
    text = value.strip()
    if text.startswith("{"):
        data = _parse(lambda: json.loads(text, parse_float=Decimal), "TUTOR_PRICES is not valid JSON")
    else:
        path = Path(text).expanduser()
        if not path.is_file():
            raise PriceConfigError(f"TUTOR_PRICES names {path}, which is not a file")
        if path.suffix == ".toml":
            data = _parse(lambda: tomllib.loads(path.read_text("utf-8"), parse_float=Decimal),
                          f"{path} is not valid TOML")
        else:
            data = _parse(lambda: json.loads(path.read_text("utf-8"), parse_float=Decimal),
                          f"{path} is not valid JSON")
    if not isinstance(data, dict):
        raise PriceConfigError("TUTOR_PRICES must map model ids to prices, e.g. "
                               '{"my-model": {"input": 0.15, "output": 0.60}}')
    return {str(model): _override(str(model), entry) for model, entry in data.items()}


def _parse(read, problem: str) -> Any:
    try:
        return read()
    except (ValueError, OSError) as exc:
        raise PriceConfigError(f"{problem}: {exc}") from None


_FIELDS = ("input", "output", "cached_input", "cache_write")


def _override(model: str, entry: Any) -> Price:
    if not isinstance(entry, dict):
        raise PriceConfigError(f"TUTOR_PRICES[{model!r}] must be a table of prices, "
                               f"e.g. {{\"input\": 0.15, \"output\": 0.60}}")
    unknown = sorted(set(entry) - set(_FIELDS))
    if unknown:
        raise PriceConfigError(f"TUTOR_PRICES[{model!r}] has unknown field(s) {', '.join(unknown)}; "
                               f"use {', '.join(_FIELDS)} (USD per million tokens)")
    missing = [name for name in ("input", "output") if name not in entry]
    if missing:
        raise PriceConfigError(f"TUTOR_PRICES[{model!r}] needs {' and '.join(missing)} (USD per million tokens)")
    values = {name: _amount(model, name, entry[name]) for name in _FIELDS if name in entry}
    return Price(values["input"], values["output"], values.get("cached_input", values["input"]),
                 values.get("cache_write", values["input"]))


def _amount(model: str, name: str, value: Any) -> Decimal:
    where = f"TUTOR_PRICES[{model!r}].{name}"
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise PriceConfigError(f"{where} must be a number of US dollars per million tokens")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise PriceConfigError(f"{where} must be a number, not {value!r}") from None
    if not amount.is_finite() or amount < 0:
        raise PriceConfigError(f"{where} must be zero or more, not {value!r}")
    if -amount.as_tuple().exponent > MAX_PRICE_DECIMALS:  # type: ignore[operator]
        raise PriceConfigError(f"{where} has more than {MAX_PRICE_DECIMALS} decimals")
    return amount


def price_table(settings: "Settings") -> PriceTable:
    """The table for this deployment: built-in prices where a provider talks to its vendor."""
    hosted = {name for name in VENDOR_HOSTS if vendor_hosted(name, getattr(settings, f"{name}_base_url", None))}
    return PriceTable(vendor_hosted=hosted, overrides=load_overrides(settings.prices))


def usage_report(input_tokens: int | None, output_tokens: int | None, cached_input_tokens: int | None,
                 cache_write_input_tokens: int | None, cost_pico_usd: int | None) -> dict[str, Any]:
    """Usage as clients see it (``done.usage``, a stored answer's, a session's totals)."""
    return {
        "input_tokens": input_tokens or 0, "output_tokens": output_tokens or 0,
        "cached_input_tokens": cached_input_tokens or 0, "cache_write_input_tokens": cache_write_input_tokens or 0,
        "cost_usd": usd(cost_pico_usd),
    }
