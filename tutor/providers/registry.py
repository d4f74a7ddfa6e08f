"""Building the configured providers, and the chain that falls back between them.

This is the one place that maps a provider name to its class. The chain
tries each provider in turn until one produces its first word; after that it
is committed, and a later failure ends the answer with an error. A stream
that ends without a word is a failure too (``provider_empty``). A prompt the
model found too long (a context-length error, or an empty answer from a
local server, which is how llama.cpp overflows) is retried once, smaller,
before the next provider is tried. It also enforces the first-token and
between-chunk deadlines for every vendor alike.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from pydantic import SecretStr

from tutor import metrics
from tutor.config import Settings
from tutor.knowledge.pack import LessonPack

from .base import (
    ChatRequest,
    Provider,
    ProviderContextOverflow,
    ProviderEmpty,
    ProviderError,
    ProviderUnavailable,
    StreamEvent,
    TextDelta,
)

log = logging.getLogger("tutor.providers")


def _vendor_options(settings: Settings, name: str, key: SecretStr | None, base_url: str | None) -> dict:
    """The keyword arguments every vendor provider takes: its key, model, endpoint and patience."""
    return {
        "api_key": key.get_secret_value() if key else "", "model": settings.model_for(name),
        "base_url": base_url, "max_retries": settings.max_retries,
        "connect_timeout": settings.connect_timeout, "read_timeout": settings.chunk_timeout,
    }


def _openai(settings: Settings, pack: LessonPack, name: str) -> Provider:
    from .openai import OpenAIProvider

    return OpenAIProvider(**_vendor_options(settings, name, settings.openai_api_key, settings.openai_base_url),
                          cache_key=settings.prompt_cache_key)


def _anthropic(settings: Settings, pack: LessonPack, name: str) -> Provider:
    from .anthropic import AnthropicProvider

    return AnthropicProvider(
        **_vendor_options(settings, name, settings.anthropic_api_key, settings.anthropic_base_url))


def _offline(settings: Settings, pack: LessonPack, name: str) -> Provider:
    from .offline import OfflineProvider

    return OfflineProvider(pack, delay=settings.offline_delay)


FACTORIES: dict[str, Callable[[Settings, LessonPack, str], Provider]] = {
    "openai": _openai,
    "anthropic": _anthropic,
    "offline": _offline,
}


@dataclass(frozen=True, slots=True)
class Served:
    """Which provider ended up answering; yielded once, before its first event."""

    provider: str
    model: str


class ProviderChain:
    def __init__(self, providers: list[Provider], *, first_token_timeout: float, chunk_timeout: float):
        if not providers:
            raise ValueError("a provider chain needs at least one provider")
        self.providers = providers
        self.first_token_timeout = first_token_timeout
        self.chunk_timeout = chunk_timeout

    @property
    def primary(self) -> Provider:
        return self.providers[0]

    async def stream(
        self, request: ChatRequest, shrink: Callable[[ChatRequest], ChatRequest | None] | None = None,
    ) -> AsyncIterator[Served | StreamEvent]:
        """Events of the first provider that gets as far as its first word.

        ``shrink`` makes a smaller request when a model found one too long
        (None when it cannot); each provider is given one such retry.
        Raises the last ProviderError when every provider failed before a word,
        or the committed provider's error when it fails later.
        """
        last_error: ProviderError | None = None
        for index, provider in enumerate(self.providers):
            attempt: ChatRequest | None = dataclasses.replace(request, model=provider.model)
            retried = False
            while attempt is not None:
                events = self._guarded(provider, attempt)
                try:
                    lead = await self._until_first_word(provider, events)
                except ProviderError as exc:
                    await events.aclose()
                    last_error = exc
                    metrics.provider_failed(provider.name, exc.code)
                    if not retried and shrink is not None and _overflowed(provider, exc):
                        retried = True
                        smaller = shrink(attempt)
                        attempt = dataclasses.replace(smaller, model=provider.model) if smaller else None
                        log.warning("provider %s: the prompt did not fit (%s); %s", provider.name, exc.code,
                                    "retrying once with a smaller prompt" if attempt else "it cannot be made smaller")
                        continue
                    following = self.providers[index + 1].name if index + 1 < len(self.providers) else None
                    log.warning("provider %s failed before its first word (%s); %s", provider.name, exc.code,
                                f"trying {following}" if following else "no other provider to try")
                    if following:
                        metrics.fell_back(provider.name, following)
                    break
                log.info("provider %s (%s) is answering", provider.name, provider.model)
                yield Served(provider.name, provider.model)
                for event in lead:
                    yield event
                try:
                    async for event in events:
                        yield event
                except ProviderError as exc:
                    metrics.provider_failed(provider.name, exc.code)
                    raise
                return
        assert last_error is not None
        raise last_error

    @staticmethod
    async def _until_first_word(provider: Provider, events: AsyncIterator[StreamEvent]) -> list[StreamEvent]:
        """The events up to the first delta with a visible character; a stream
        that ends before one is ``provider_empty``."""
        lead: list[StreamEvent] = []
        while True:
            try:
                event = await anext(events)
            except StopAsyncIteration:
                raise ProviderEmpty(f"{provider.name} ended its answer without any text",
                                    provider=provider.name) from None
            lead.append(event)
            if isinstance(event, TextDelta) and event.text.strip():
                return lead

    async def _guarded(self, provider: Provider, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        """The provider's stream with deadlines: no token in time is a failure like any other."""
        stream = provider.stream(request)
        deadline = self.first_token_timeout
        try:
            while True:
                try:
                    async with asyncio.timeout(deadline):
                        event = await anext(stream)
                except StopAsyncIteration:
                    return
                except TimeoutError:
                    raise ProviderUnavailable(
                        f"{provider.name} sent nothing for {deadline:g} s", provider=provider.name
                    ) from None
                if isinstance(event, TextDelta):
                    deadline = self.chunk_timeout
                yield event
        finally:
            await stream.aclose()

    async def aclose(self) -> None:
        for provider in self.providers:
            await provider.aclose()


def _overflowed(provider: Provider, exc: ProviderError) -> bool:
    """Whether a failure says the prompt was too long: a context-length error,
    or an empty answer from a server of our own (llama.cpp answers an
    overflowing prompt with nothing)."""
    if isinstance(exc, ProviderContextOverflow):
        return True
    return isinstance(exc, ProviderEmpty) and bool(getattr(provider, "local", False))


def build_chain(settings: Settings, pack: LessonPack) -> ProviderChain:
    providers = [FACTORIES[name](settings, pack, name) for name in settings.provider_chain]
    return ProviderChain(
        providers, first_token_timeout=settings.first_token_timeout, chunk_timeout=settings.chunk_timeout
    )
