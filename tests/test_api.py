"""The HTTP contract, in-process: sessions, the streamed turn, JSON turns, errors."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient

from tests.conftest import new_session
from tests.sse import answer_text, parse_sse


def ask(client: TestClient, session_id: str, headers: dict[str, str], content: str):
    response = client.post(f"/v1/sessions/{session_id}/messages", json={"content": content}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    return parse_sse(response.text)


def test_health_names_the_provider_and_model(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["provider"] == "offline" and body["model"]


def test_lessons_come_in_teaching_order_with_both_languages(client: TestClient) -> None:
    lessons = client.get("/v1/lessons").json()["lessons"]
    assert [lesson["order"] for lesson in lessons] == sorted(lesson["order"] for lesson in lessons)
    assert lessons[0]["title"]["ko"] and lessons[0]["title"]["en"]
    ids = [p["id"] for lesson in lessons for p in lesson["passages"]]
    assert "transformer.attention" in ids and "models.gan" in ids


def test_a_streamed_turn_sends_sources_deltas_then_done(client: TestClient) -> None:
    session_id, headers = new_session(client)
    events = ask(client, session_id, headers, "GAN이 뭐예요?")
    names = [e.name for e in events]
    assert names[0] == "sources" and names[-1] == "done"
    assert set(names[1:-1]) == {"delta"}
    assert any(s["id"] == "models.gan" for s in events[0].data["sources"])
    done = events[-1].data
    assert done["message_id"] == events[0].data["message_id"]
    assert done["provider"] == "offline" and done["suggestions"]
    assert done["usage"]["output_tokens"] > 0
    # Every event carries a resumable id: <message id>:<sequence>.
    assert [e.id for e in events] == [f"{done['message_id']}:{n}" for n in range(len(events))]
    assert "생성자" in answer_text(events) or "판별자" in answer_text(events)


def test_the_conversation_is_stored_and_read_back(client: TestClient) -> None:
    session_id, headers = new_session(client)
    events = ask(client, session_id, headers, "트랜스포머가 뭐예요?")
    session = client.get(f"/v1/sessions/{session_id}", headers=headers).json()
    user, assistant = session["messages"]
    assert (user["role"], user["content"]) == ("user", "트랜스포머가 뭐예요?")
    assert assistant["role"] == "assistant" and assistant["status"] == "complete"
    assert assistant["content"] == answer_text(events)
    assert assistant["sources"] == events[0].data["sources"]
    assert set(session["covered"]) == {s["id"] for s in assistant["sources"]}


def test_a_follow_up_is_answered_in_context(client: TestClient) -> None:
    session_id, headers = new_session(client)
    ask(client, session_id, headers, "트랜스포머가 뭐예요?")
    events = ask(client, session_id, headers, "그럼 그 전에는 뭘 썼어요?")
    ids = [s["id"] for s in events[0].data["sources"]]
    assert "transformer.vs-rnn" in ids or "models.rnn-lstm" in ids
    assert "RNN" in answer_text(events)


def test_json_answers_for_clients_that_ask_for_json(client: TestClient) -> None:
    session_id, headers = new_session(client)
    response = client.post(f"/v1/sessions/{session_id}/messages", json={"content": "What is a GAN?"},
                           headers={**headers, "Accept": "application/json"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "complete" and body["content"]
    assert body["sources"][0]["id"].startswith("models.")
    assert body["usage"]["output_tokens"] > 0


def test_out_of_scope_questions_get_no_sources_and_an_honest_answer(client: TestClient) -> None:
    session_id, headers = new_session(client)
    events = ask(client, session_id, headers, "오늘 서울 날씨 어때요?")
    assert events[0].data["sources"] == []
    assert events[-1].name == "done"
    assert answer_text(events)


def test_delete_removes_the_session_for_good(client: TestClient) -> None:
    session_id, headers = new_session(client)
    ask(client, session_id, headers, "LLM이 뭐예요?")
    assert client.delete(f"/v1/sessions/{session_id}", headers=headers).status_code == 204
    assert client.get(f"/v1/sessions/{session_id}", headers=headers).status_code == 404
    assert client.delete(f"/v1/sessions/{session_id}", headers=headers).status_code == 404


def test_missing_or_wrong_tokens_reveal_nothing(client: TestClient) -> None:
    session_id, headers = new_session(client)
    assert client.get(f"/v1/sessions/{session_id}").status_code == 401
    assert client.get(f"/v1/sessions/{session_id}", headers={"Authorization": "Basic abc"}).status_code == 401
    wrong = client.get(f"/v1/sessions/{session_id}", headers={"Authorization": "Bearer nope"})
    unknown = client.get("/v1/sessions/00000000-0000-0000-0000-000000000000", headers=headers)
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()
    other_id, other_headers = new_session(client)
    assert client.get(f"/v1/sessions/{other_id}", headers=headers).status_code == 404


def test_bad_input_is_a_clear_4xx_and_stores_nothing(client: TestClient) -> None:
    session_id, headers = new_session(client)
    url = f"/v1/sessions/{session_id}/messages"
    cases = [
        (client.post(url, json={"content": "   \n\t "}, headers=headers), 422),
        (client.post(url, json={}, headers=headers), 422),
        (client.post(url, content=b"{not json", headers={**headers, "Content-Type": "application/json"}), 400),
        (client.post(url, json={"content": "가" * 5000}, headers=headers), 422),
        (client.post(url, json={"content": 5}, headers=headers), 422),
    ]
    for response, status in cases:
        assert response.status_code == status, response.text
        error = response.json()["error"]
        assert error["code"] and error["message"]
    assert cases[3][0].json()["error"]["code"] == "message_too_long"
    assert client.get(f"/v1/sessions/{session_id}", headers=headers).json()["messages"] == []


def test_control_characters_are_dropped_and_mixed_scripts_kept(client: TestClient) -> None:
    session_id, headers = new_session(client)
    ask(client, session_id, headers, "GAN\x00이\x07 뭐예요? 🤖🎨 ok")
    stored = client.get(f"/v1/sessions/{session_id}", headers=headers).json()["messages"][0]["content"]
    assert stored == "GAN이 뭐예요? 🤖🎨 ok"


def test_a_second_message_while_answering_gets_409(make_settings) -> None:
    from tutor.api.app import create_app

    with TestClient(create_app(make_settings(offline_delay=0.05))) as slow:
        session_id, headers = new_session(slow)
        url = f"/v1/sessions/{session_id}/messages"
        first_started = threading.Event()
        results: list[int] = []

        def first() -> None:
            with slow.stream("POST", url, json={"content": "트랜스포머 설명해 줘"}, headers=headers) as response:
                first_started.set()
                results.append(response.status_code)
                response.read()

        thread = threading.Thread(target=first)
        thread.start()
        assert first_started.wait(10)
        second = slow.post(url, json={"content": "GAN은요?"}, headers=headers)
        thread.join(30)
        assert results == [200]
        assert second.status_code == 409
        assert second.json()["error"]["code"] == "turn_in_progress"
        messages = slow.get(f"/v1/sessions/{session_id}", headers=headers).json()["messages"]
        assert [m["role"] for m in messages] == ["user", "assistant"]


def test_stop_keeps_the_partial_answer_as_interrupted(make_settings) -> None:
    from tutor.api.app import create_app

    with TestClient(create_app(make_settings(offline_delay=0.05))) as slow:
        session_id, headers = new_session(slow)
        url = f"/v1/sessions/{session_id}/messages"
        with slow.stream("POST", url, json={"content": "트랜스포머 설명해 줘"}, headers=headers) as response:
            lines = response.iter_lines()
            message_id = None
            deltas = 0
            for line in lines:
                if line.startswith("id: ") and message_id is None:
                    message_id = line[4:].split(":")[0]
                if line.startswith("event: delta"):
                    deltas += 1
                if deltas == 3:
                    break
            stop = slow.post(f"{url}/{message_id}/stop", headers=headers)
            assert stop.status_code == 200 and stop.json()["status"] == "interrupted"
            rest = "\n".join(lines)
        assert "event: error" in rest and '"code": "stopped"' in rest
        answer = slow.get(f"/v1/sessions/{session_id}", headers=headers).json()["messages"][1]
        assert answer["status"] == "interrupted" and answer["content"]


def test_openapi_docs_are_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert "/v1/sessions/{session_id}/messages" in paths


def test_a_message_whose_body_arrives_in_pieces_is_answered_and_a_broken_one_refused(client: TestClient) -> None:
    """A body that arrives in several pieces (a slow connection) is read whole; a message the route
    refuses gets the route's own refusal, with its body intact, and nothing is stored."""
    session_id, headers = new_session(client)
    url = f"/v1/sessions/{session_id}/messages"
    sent = {**headers, "Content-Type": "application/json"}

    def pieces(*parts: str):
        return iter([part.encode() for part in parts])

    response = client.post(url, content=pieces('{"cont', 'ent": "GAN이 ', '뭐예요?"}'), headers=sent)
    assert response.status_code == 200, response.text
    assert parse_sse(response.text)[-1].name == "done"
    assert client.post(url, content=pieces('{"content": ', '"GAN"'), headers=sent).json()["error"]["code"] == \
        "invalid_json"
    refused = client.post(url, content=pieces('{"content": "GAN", ', '"extra": 1}'), headers=sent)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid_input"
    wrong = {**sent, "Authorization": "Bearer not-the-token"}
    assert client.post(url, content=pieces('{"content": "GAN"}'), headers=wrong).status_code == 404
    messages = client.get(f"/v1/sessions/{session_id}", headers=headers).json()["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant"]
