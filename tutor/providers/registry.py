"""Building the configured providers, and the chain that falls back between them.

This is the one place that maps a provider name to its class. The chain
tries each provider in turn until one produces its first token; after that it
is committed, and a later failure ends the answer with an error. It also
enforces the first-token and between-chunk deadlines for every vendor alike.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from pydantic import SecretStr

from tutor.config import Settings
from tutor.knowledge.pack import LessonPack

from .base import ChatRequest, Finish, Provider, ProviderError, ProviderUnavailable, StreamEvent, TextDelta

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

    return OpenAIProvider(**_vendor_options(settings, name, settings.openai_api_key, settings.openai_base_url))


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

    async def stream(self, request: ChatRequest) -> AsyncIterator[Served | StreamEvent]:
        """Events of the first provider that gets as far as its first token.

        Raises the last ProviderError when every provider failed before a token,
        or the committed provider's error when it fails later.
        """
        last_error: ProviderError | None = None
        for position, provider in enumerate(self.providers):
            attempt = dataclasses.replace(request, model=provider.model)
            events = self._guarded(provider, attempt)
            try:
                first = await anext(events)
            except StopAsyncIteration:
                first = Finish("stop")
            except ProviderError as exc:
                last_error = exc
                following = self.providers[position + 1].name if position + 1 < len(self.providers) else None
                log.warning("provider %s failed before its first token (%s); %s", provider.name, exc.code,
                            f"trying {following}" if following else "no other provider to try")
                await events.aclose()
                continue
            yield Served(provider.name, provider.model)
            yield first
            async for event in events:
                yield event
            return
        assert last_error is not None
        raise last_error

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


def build_chain(settings: Settings, pack: LessonPack) -> ProviderChain:
    providers = [FACTORIES[name](settings, pack, name) for name in settings.provider_chain]
    return ProviderChain(
        providers, first_token_timeout=settings.first_token_timeout, chunk_timeout=settings.chunk_timeout
    )
