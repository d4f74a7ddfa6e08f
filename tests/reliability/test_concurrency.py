"""Many learners at once on SQLite: every answer streamed and stored, no lock errors."""

from __future__ import annotations

import asyncio

import httpx

SESSIONS = 64


async def one_learner(client: httpx.AsyncClient) -> tuple[str, dict[str, str], int]:
    created = (await client.post("/v1/sessions")).json()
    headers = {"Authorization": f"Bearer {created['token']}"}
    turns = 0
    for question in ("어텐션이 뭐예요?", "그럼 그 전에는요?"):
        async with client.stream("POST", f"/v1/sessions/{created['id']}/messages",
                                 json={"content": question}, headers=headers) as response:
            assert response.status_code == 200
            body = (await response.aread()).decode()
            assert "event: done" in body, body[-300:]
            turns += 1
    return created["id"], headers, turns


async def run_learners(url: str) -> list[tuple[str, dict[str, str], int]]:
    limits = httpx.Limits(max_connections=SESSIONS + 8)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        return await asyncio.gather(*(one_learner(client) for _ in range(SESSIONS)))


def test_sixty_four_sessions_streaming_at_once_on_sqlite(upstream_server, fake) -> None:
    fake.control(chunks=20, chunk_delay=0.01)
    server = upstream_server(TUTOR_LOG_LEVEL="warning")
    results = asyncio.run(run_learners(server.url))
    assert sum(turns for _, _, turns in results) == SESSIONS * 2
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for session_id, headers, _ in results:
            messages = client.get(f"/v1/sessions/{session_id}", headers=headers).json()["messages"]
            assert [m["status"] for m in messages] == ["complete"] * 4
    log = server.output()
    assert "database is locked" not in log and "Traceback" not in log
