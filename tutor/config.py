"""One ``Settings`` object, read from the environment (and ``.env``) once at start-up.

A wrong value stops the service at start-up with a message that says what to
fix; it never falls back silently to another provider.
"""

from __future__ import annotations

from decimal import Decimal
import ipaddress
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ProviderName = Literal["offline", "openai", "anthropic"]
KNOWN_PROVIDERS: tuple[str, ...] = ("offline", "openai", "anthropic")
DEFAULT_MODELS = {"offline": "offline-tutor", "openai": "gpt-4o-mini", "anthropic": "claude-3-5-haiku-latest"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TUTOR_", env_file=".env", env_file_encoding="utf-8", extra="ignore",
        populate_by_name=True,
    )

    # Which model answers.
    provider: str = "auto"
    model: str | None = None
    fallback: Annotated[list[str], NoDecode] = Field(default_factory=list)

    # The SDKs' own variables, read without our prefix.
    openai_api_key: SecretStr | None = Field(None, validation_alias=AliasChoices("OPENAI_API_KEY"))
    openai_base_url: str | None = Field(None, validation_alias=AliasChoices("OPENAI_BASE_URL"))
    anthropic_api_key: SecretStr | None = Field(None, validation_alias=AliasChoices("ANTHROPIC_API_KEY"))
    anthropic_base_url: str | None = Field(None, validation_alias=AliasChoices("ANTHROPIC_BASE_URL"))

    # Upstream patience: handed to the SDKs (retries honour retry-after) and to the stream watchdog.
    max_retries: int = Field(2, ge=0, le=10)
    connect_timeout: float = Field(5.0, gt=0)
    first_token_timeout: float = Field(30.0, gt=0)
    chunk_timeout: float = Field(30.0, gt=0)
    turn_timeout: float = Field(300.0, gt=0)
    # How the SDKs reach the model: "aiohttp", their optional transport (its parser is C: half
    # the CPU of a streamed answer's reading), or "httpx", their default.
    upstream_http: Literal["aiohttp", "httpx"] = "aiohttp"

    # Where things live.
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'data' / 'tutor.db'}"
    prompts_dir: Path = PROJECT_ROOT / "prompts"
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    log_level: Literal["debug", "info", "warning", "error", "critical"] = "info"
    # "json": one JSON object per line (time, level, logger, message, request_id, session_id).
    log_format: Literal["text", "json"] = "text"
    # One line per HTTP request (uvicorn's access log). Off, a reverse proxy's log says the same
    # for less of the service's CPU.
    access_log: bool = True

    # The prompt's whole token budget (instructions + lesson + history + answer). Unset, each
    # provider's own is used: large for OpenAI and Anthropic, what a local server reports
    # (llama.cpp, vLLM), else this default. Set, it caps them all.
    context_tokens: int = Field(8192, ge=1024)
    max_answer_tokens: int = Field(1024, ge=64)
    passages_per_turn: int = Field(3, ge=1, le=8)
    # What grounds an answer: the whole lesson ("document"), this turn's passages ("passages"),
    # or the whole lesson when it takes at most half the window ("auto").
    grounding: Literal["auto", "document", "passages"] = "auto"
    # OpenAI's prompt_cache_key; unset, one key per distinct prefix of this deployment.
    prompt_cache_key: str | None = None

    # The offline tutor's pacing, so that its answer visibly streams.
    offline_delay: float = Field(0.02, ge=0)

    # Input limits.
    max_message_chars: int = Field(4000, ge=1)
    max_body_bytes: int = Field(64_000, ge=1024)
    max_messages_per_session: int = Field(400, ge=2)

    # What a dropped client connection does to an answer being written:
    # "finish" keeps writing and stores it (the learner can resume); "cancel" stops upstream at once.
    on_disconnect: Literal["finish", "cancel"] = "finish"
    # On SIGTERM, how long answers in flight may take to finish before they are stopped (seconds).
    shutdown_grace: float = Field(10.0, ge=0)
    # How long a finished answer's events stay in memory for resuming (seconds).
    resume_window: float = Field(300.0, ge=0)
    # How long a turn's claim on its session lasts unless renewed (seconds). The process writing
    # the answer renews it every third of this; after a crash the answer is marked interrupted
    # by any process once the lease has run out.
    turn_lease: float = Field(30.0, ge=1)

    # Several processes or replicas: live state shared through Redis (unset: in this process).
    redis_url: str | None = None
    redis_prefix: str = Field("tutor:", min_length=1, max_length=64)
    workers: int = Field(1, ge=1, le=64)

    # Access.
    api_keys: Annotated[list[SecretStr], NoDecode] = Field(default_factory=list)
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    rate_limit_enabled: bool = True
    sessions_per_minute: int = Field(20, ge=1)
    messages_per_minute: int = Field(20, ge=1)
    retention_days: float = Field(0, ge=0)  # 0 keeps sessions forever
    # Keep each chat completion's conversation as a session (off: nothing of it is stored).
    chat_completions_store: bool = False
    reads_per_minute: int = Field(60, ge=1)
    # A session idle longer than this (seconds) answers 404 like an unknown one; 0: no limit.
    session_ttl: float = Field(7 * 24 * 3600, ge=0)
    # Reverse proxies (addresses or CIDRs) whose X-Forwarded-For names the real client.
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Most clients a rate limiter remembers at once (the oldest windows are forgotten first).
    rate_limit_max_clients: int = Field(50_000, ge=100)

    # Server limits, against clients that hold connections or memory.
    max_connections: int = Field(1000, ge=1)  # beyond it: 503
    max_header_bytes: int = Field(16_384, ge=1024)  # beyond it: 431
    max_headers: int = Field(64, ge=8)  # beyond it: 431
    header_timeout: float = Field(10.0, gt=0)  # to send the request line and headers
    body_timeout: float = Field(10.0, gt=0)  # the longest silence inside a request body: 408
    keepalive_timeout: float = Field(5.0, gt=0)  # an idle connection between requests is closed
    max_answer_chars: int = Field(20_000, ge=256)  # a longer answer is cut and stored as interrupted
    max_followers: int = Field(4, ge=1)  # streams reading one answer at once

    # Costs and budgets (README "Costs and budgets"): 0 means no limit. Tokens are input + output.
    prices: str | None = None  # operator prices: inline JSON or a .json/.toml file path
    session_token_budget: int = Field(0, ge=0)
    session_cost_budget_usd: Decimal = Field(Decimal(0), ge=0)
    daily_token_budget: int = Field(0, ge=0)
    daily_cost_budget_usd: Decimal = Field(Decimal(0), ge=0)

    @field_validator("prices")
    @classmethod
    def _valid_prices(cls, value: str | None) -> str | None:
        from tutor.prices import load_overrides

        load_overrides(value)  # a bad price table stops the service here, saying what to fix
        return value

    @field_validator("model", "openai_base_url", "anthropic_base_url", "prompt_cache_key", "prices", "redis_url",
                     mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # docker compose passes unset variables as empty strings.
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level", "log_format", "upstream_http", mode="before")
    @classmethod
    def _lower_case(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("fallback", "cors_origins", "api_keys", "trusted_proxies", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for entry in value:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"{entry!r} is not an IP address or CIDR (e.g. 10.0.0.1 or 10.0.0.0/8)") from None
        return value

    @field_validator("provider")
    @classmethod
    def _known_provider(cls, value: str) -> str:
        value = value.strip().lower()
        if value != "auto" and value not in KNOWN_PROVIDERS:
            raise ValueError(
                f"unknown provider {value!r}; choose one of auto, {', '.join(KNOWN_PROVIDERS)}"
            )
        return value

    @field_validator("fallback")
    @classmethod
    def _known_fallbacks(cls, value: list[str]) -> list[str]:
        names = [v.lower() for v in value]
        unknown = [n for n in names if n not in KNOWN_PROVIDERS]
        if unknown:
            raise ValueError(
                f"unknown fallback provider(s) {', '.join(unknown)}; choose from {', '.join(KNOWN_PROVIDERS)}"
            )
        return names

    @model_validator(mode="after")
    def _keys_present(self) -> "Settings":
        for name in self.provider_chain:
            if name == "openai" and not self._has(self.openai_api_key):
                raise ValueError("provider 'openai' needs OPENAI_API_KEY (any value for a local server)")
            if name == "anthropic" and not self._has(self.anthropic_api_key):
                raise ValueError("provider 'anthropic' needs ANTHROPIC_API_KEY")
        return self

    @model_validator(mode="after")
    def _workers_share_state(self) -> "Settings":
        if self.workers > 1 and not self.redis_url:
            raise ValueError(
                f"{self.workers} workers need TUTOR_REDIS_URL (e.g. redis://127.0.0.1:6379/0): the answers "
                "being written, stop requests and rate limits must be shared between the processes"
            )
        return self

    @staticmethod
    def _has(secret: SecretStr | None) -> bool:
        return secret is not None and bool(secret.get_secret_value().strip())

    @property
    def primary_provider(self) -> str:
        if self.provider != "auto":
            return self.provider
        if self._has(self.openai_api_key):
            return "openai"
        if self._has(self.anthropic_api_key):
            return "anthropic"
        return "offline"

    @property
    def provider_chain(self) -> list[str]:
        """The primary provider, then the fallbacks, without repeats."""
        chain = [self.primary_provider]
        chain += [name for name in self.fallback if name not in chain]
        return chain

    @property
    def context_tokens_configured(self) -> bool:
        """Whether TUTOR_CONTEXT_TOKENS was set, rather than left at its default."""
        return "context_tokens" in self.model_fields_set

    def model_for(self, provider: str) -> str:
        if provider == self.primary_provider and self.model:
            return self.model
        return DEFAULT_MODELS[provider]

    @property
    def lessons_dir(self) -> Path:
        return self.prompts_dir / "lessons"

    def ignored(self) -> list[str]:
        """Settings that were given but have no effect with this configuration, said plainly."""
        chain = self.provider_chain
        notes = []
        if self.model and self.primary_provider == "offline":
            notes.append(f"TUTOR_MODEL={self.model} is ignored: the offline tutor has no other model "
                         "(choose a provider with TUTOR_PROVIDER and its key to use that model)")
        for provider, variable, value in (("openai", "OPENAI_BASE_URL", self.openai_base_url),
                                          ("anthropic", "ANTHROPIC_BASE_URL", self.anthropic_base_url)):
            if value and provider not in chain:
                notes.append(f"{variable} is ignored: the provider {provider!r} is not used "
                             f"(TUTOR_PROVIDER={self.provider}, TUTOR_FALLBACK={','.join(self.fallback) or 'none'})")
        return notes


# What a number setting counts, for error messages ("a whole number of tokens").
_UNITS = {
    "context_tokens": "tokens", "max_answer_tokens": "tokens", "passages_per_turn": "passages",
    "connect_timeout": "seconds", "first_token_timeout": "seconds", "chunk_timeout": "seconds",
    "turn_timeout": "seconds", "turn_lease": "seconds", "shutdown_grace": "seconds", "resume_window": "seconds",
    "offline_delay": "seconds", "retention_days": "days", "max_retries": "retries",
    "max_message_chars": "characters", "max_body_bytes": "bytes", "max_messages_per_session": "messages",
    "sessions_per_minute": "sessions", "messages_per_minute": "messages",
}


def variable_name(field: str) -> str:
    """The environment variable an operator sets for a ``Settings`` field."""
    info = Settings.model_fields.get(field)
    alias = info.validation_alias if info else None
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"TUTOR_{field.upper()}"


def describe_errors(exc: ValidationError) -> list[str]:
    """One line per wrong setting, naming the variable to fix and the value it got.

    Secrets are never echoed: the SDK key variables only ever get a message.
    """
    lines = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        if not field:  # a check across settings: its message already names the variables
            lines.append(str(error["msg"]).removeprefix("Value error, "))
            continue
        name, unit = variable_name(field), _UNITS.get(field, "")
        got = "" if "key" in field else f", got {error.get('input')!r}"
        context = error.get("ctx") or {}
        kind = error["type"]
        if kind == "int_parsing" or kind == "int_from_float":
            text = f"must be a whole number{' of ' + unit if unit else ''}"
        elif kind == "float_parsing":
            text = f"must be a number{' of ' + unit if unit else ''}"
        elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
            bound = next(iter(context.values()), "?")
            word = {"greater_than_equal": "at least", "greater_than": "more than",
                    "less_than_equal": "at most", "less_than": "less than"}[kind]
            text = f"must be {word} {bound}{' ' + unit if unit else ''}"
        elif kind == "bool_parsing":
            text = "must be true or false"
        elif kind == "literal_error":
            text = f"must be {context.get('expected', 'one of the listed values')}"
        else:
            text = str(error["msg"]).removeprefix("Value error, ")
            got = ""
        lines.append(f"{name} {text}{got}")
    return lines
