"""Building the configured providers, and the chain that falls back between them.

This is the one place that maps a provider name to its class. The chain
tries each provider in turn until one produces its first word; after that it
is committed, and a later failure ends the answer with an error. A stream
that ends without a word is a failure too (``provider_empty``). A prompt the
model found too long (a context-length error, or an empty answer from a
local server, which is how llama.cpp overflows) is retried once, smaller,
before the next provider is tried, and so is a stream that broke off before its first word
(the SDKs retry a request that failed, not an answer cut short). It also enforces the first-token and
between-chunk deadlines for every vendor alike.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import SecretStr

from tutor import metrics
from tutor.config import Settings
from tutor.knowledge.pack import LessonPack
from tutor.silence import Silence

from .base import (
    ChatRequest,
    Provider,
    ProviderContextOverflow,
    ProviderEmpty,
    ProviderError,
    ProviderStreamCut,
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
        "upstream_http": settings.upstream_http,
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

    async def answer(
        self, request: ChatRequest, on_event: Callable[[Served | StreamEvent], None],
        shrink: Callable[[ChatRequest], ChatRequest | None] | None = None,
    ) -> None:
        """Hand ``on_event`` the events of the first provider that gets as far as its first word:
        ``Served`` first, then its stream.

        ``on_event`` is called synchronously, once per event (it may raise to end the answer).
        ``shrink`` makes a smaller request when a model found one too long
        (None when it cannot); each provider is given one such retry, and one more
        try of the same request when its stream broke off before a word.
        Raises the last ProviderError when every provider failed before a word,
        or the committed provider's error when it fails later.
        """
        last_error: ProviderError | None = None
        for index, provider in enumerate(self.providers):
            attempt: ChatRequest | None = dataclasses.replace(request, model=provider.model)
            retried = asked_again = False
            while attempt is not None:
                try:
                    await self._answer_with(provider, attempt, on_event)
                    return
                except _Unheard as unheard:
                    exc = unheard.error
                last_error = exc
                metrics.provider_failed(provider.name, exc.code)
                if not asked_again and isinstance(exc, ProviderStreamCut):
                    asked_again = True
                    log.warning("provider %s: its stream broke off before the first word (%s); asking once more",
                                provider.name, exc)
                    continue
                if not retried and shrink is not None and _overflowed(provider, exc):
                    retried = True
                    smaller = shrink(attempt)
                    attempt = dataclasses.replace(smaller, model=provider.model) if smaller else None
                    log.warning("provider %s: the prompt did not fit (%s); %s", provider.name, exc.code,
                                "retrying once with a smaller prompt" if attempt else "it cannot be made smaller")
                    continue
                following = self.providers[index + 1].name if index + 1 < len(self.providers) else None
                log.warning("provider %s failed before its first word (%s: %s); %s", provider.name, exc.code,
                            exc, f"trying {following}" if following else "no other provider to try")
                if following:
                    metrics.fell_back(provider.name, following)
                break
        assert last_error is not None
        raise last_error

    async def _answer_with(self, provider: Provider, request: ChatRequest,
                           on_event: Callable[[Served | StreamEvent], None]) -> None:
        """One provider's answer, under the first-token and between-chunk deadlines.

        Events are held back until the first delta with a visible character (the
        provider is then committed); a failure before that raises ``_Unheard``, a
        stream that ends before it is ``provider_empty``. After it, a failure is the
        answer's: its ProviderError is raised as it is.
        """
        stream = provider.stream(request)
        lead: list[StreamEvent] | None = []
        silence = Silence(self.first_token_timeout)
        try:
            async with silence:
                async for event in stream:
                    silence.heard()
                    if lead is None:
                        on_event(event)
                        continue
                    lead.append(event)
                    if isinstance(event, TextDelta):
                        silence.expect(self.chunk_timeout)
                        if event.text.strip():
                            log.info("provider %s (%s) is answering", provider.name, provider.model)
                            on_event(Served(provider.name, provider.model))
                            for held in lead:
                                on_event(held)
                            lead = None
            if lead is not None:
                raise ProviderEmpty(f"{provider.name} ended its answer without any text", provider=provider.name)
        except TimeoutError:
            if not silence.expired():
                raise
            error: ProviderError = ProviderUnavailable(
                f"{provider.name} sent nothing for {silence.limit:g} s", provider=provider.name)
            if lead is not None:
                raise _Unheard(error) from None
            metrics.provider_failed(provider.name, error.code)
            raise error from None
        except ProviderError as exc:
            if lead is not None:
                raise _Unheard(exc) from None
            metrics.provider_failed(provider.name, exc.code)
            raise
        finally:
            await stream.aclose()

    async def aclose(self) -> None:
        for provider in self.providers:
            await provider.aclose()


class _Unheard(Exception):
    """A provider failed before its first word: the chain may try it smaller, or the next one."""

    def __init__(self, error: ProviderError):
        super().__init__(error.code)
        self.error = error


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
