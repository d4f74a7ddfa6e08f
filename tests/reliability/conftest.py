"""The reliability suite: the real service in front of a fake provider that misbehaves on request."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.conftest import ServerProcess
from tests.fakes import FakeProvider

pytestmark = pytest.mark.slow

ANSWER = "어텐션은 문장 속 모든 단어가 서로를 한꺼번에 살펴보게 하는 방법이에요. 그래서 긴 글도 잘 이해해요."


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    provider = FakeProvider("--chunks", "20", "--first-token-delay", "0", "--chunk-delay", "0.02",
                            "--text", ANSWER)
    yield provider
    provider.stop()


@pytest.fixture
def upstream_server(server_factory, fake: FakeProvider) -> Callable[..., ServerProcess]:
    """`tutor serve` configured against the fake provider as an OpenAI-compatible server."""

    def start(**env: str) -> ServerProcess:
        values = {"TUTOR_PROVIDER": "openai", "OPENAI_API_KEY": "sk-live-secret-4242",
                  "OPENAI_BASE_URL": f"{fake.url}/v1", "TUTOR_MODEL": "fake-model",
                  "TUTOR_FIRST_TOKEN_TIMEOUT": "2", "TUTOR_CHUNK_TIMEOUT": "2", "TUTOR_MAX_RETRIES": "2",
                  "TUTOR_LOG_LEVEL": "info"}
        values.update(env)
        return server_factory(**values)

    return start
