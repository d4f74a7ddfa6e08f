"""An answer's head and its first event reach the learner in one write (tutor.held_writes):
the real service under uvicorn, in this process, with the connection's writes recorded."""

from __future__ import annotations

import asyncio

import httpx
import uvicorn

from tests.conftest import free_port
from tests.sse import parse_sse
from tutor import connection_limits
from tutor.api.app import create_app
from tutor.held_writes import HeldWrites


class RecordedTransport:
    """The connection's transport, with every write it is handed kept in order."""

    def __init__(self, transport, writes: list[bytes]):
        self._transport, self._writes = transport, writes

    def write(self, data: bytes) -> None:
        self._writes.append(bytes(data))
        self._transport.write(data)

    def __getattr__(self, name: str):
        return getattr(self._transport, name)


async def test_an_answers_head_and_first_event_go_out_in_one_write(make_settings, monkeypatch) -> None:
    writes: list[bytes] = []
    monkeypatch.setattr(connection_limits, "HeldWrites",
                        lambda transport: HeldWrites(RecordedTransport(transport, writes)))
    port = free_port()
    protocol = connection_limits.guarded_protocol(max_header_bytes=16_384, header_timeout=10.0)
    server = uvicorn.Server(uvicorn.Config(create_app(make_settings()), host="127.0.0.1", port=port,
                                           http=protocol, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    try:
        for _ in range(500):
            if server.started:
                break
            await asyncio.sleep(0.02)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            created = (await client.post("/v1/sessions")).json()
            headers = {"Authorization": f"Bearer {created['token']}"}
            for question in ("트랜스포머가 뭐예요?", "그럼 그 전에는 뭘 썼어요?"):
                async with client.stream("POST", f"/v1/sessions/{created['id']}/messages",
                                         json={"content": question}, headers=headers) as response:
                    assert response.status_code == 200
                    events = parse_sse((await response.aread()).decode())
                assert events[0].name == "sources" and events[-1].name == "done"
                assert "".join(e.data["text"] for e in events if e.name == "delta")
    finally:
        server.should_exit = True
        await asyncio.wait_for(serving, 30)
    heads = [w for w in writes if w.startswith(b"HTTP/1.1 200") and b"text/event-stream" in w]
    assert len(heads) == 2
    for head in heads:  # the sources came in the same write as the head, not in one of their own
        assert b"\r\n\r\n" in head and b"event: sources" in head.partition(b"\r\n\r\n")[2]
    # Every other response on the connection is written as before: its head and its body.
    assert any(w.startswith(b"HTTP/1.1 201") for w in writes)
