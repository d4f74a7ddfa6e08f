"""A quiz as a beginner meets it, through the HTTP API: turned down ("퀴즈
말고 그냥 설명해줘"), left unanswered for a question of one's own or an "알겠어요",
answered in part, asked again after "ㅇㅋ"; and the recap, start and thanks
said the way learners type them.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import new_session
from tutor.knowledge import activities
from tutor.knowledge.activity_turns import leaves_quiz_unanswered
from tutor.knowledge.answering import question_kind


def ask(client: TestClient, session_id: str, headers: dict[str, str], content: str) -> dict:
    response = client.post(f"/v1/sessions/{session_id}/messages", json={"content": content},
                           headers={**headers, "Accept": "application/json"})
    assert response.status_code == 200, response.text
    return response.json()


def sources(answer: dict) -> list[str]:
    return [source["id"] for source in answer["sources"]]


def test_a_quiz_turned_down_is_no_quiz_and_the_rest_is_answered(client: TestClient) -> None:
    session_id, headers = new_session(client)
    ask(client, session_id, headers, "트랜스포머가 머에요")
    answer = ask(client, session_id, headers, "퀴즈 말고 그냥 어텐션 설명해줘")
    assert answer["activity"] == "answer" and answer["quiz"] is None
    assert "transformer.attention" in sources(answer)
    english = ask(client, session_id, headers, "no quiz, just explain positional encoding")
    assert english["activity"] == "answer" and "transformer.positional-encoding" in sources(english)


def test_turning_down_a_quiz_already_asked_does_not_answer_it(client: TestClient) -> None:
    session_id, headers = new_session(client)
    ask(client, session_id, headers, "트랜스포머가 머에요")
    assert ask(client, session_id, headers, "퀴즈 내줘")["activity"] == "quiz"
    answer = ask(client, session_id, headers, "퀴즈는 됐고 위치 인코딩은 왜 필요한지 설명해주세요")
    assert answer["activity"] == "answer" and "transformer.positional-encoding" in sources(answer)


def test_a_question_right_after_a_quiz_is_answered_not_judged(client: TestClient) -> None:
    session_id, headers = new_session(client)
    ask(client, session_id, headers, "gpt는 무슨 뜻이에요?")
    assert ask(client, session_id, headers, "퀴즈 하나 내주세요")["activity"] == "quiz"
    answer = ask(client, session_id, headers, "잠깐 근데 트랜스포머가 뭐였죠?")
    assert answer["activity"] == "answer" and "transformer.paper" in sources(answer)
    assert "정답" not in answer["content"]

    session_id, headers = new_session(client)
    ask(client, session_id, headers, "why are llms the main thing now")
    assert ask(client, session_id, headers, "quiz me")["activity"] == "quiz"
    answer = ask(client, session_id, headers, "wait whats a transformer again?")
    assert answer["activity"] == "answer" and "architecture" in answer["content"].lower()


def test_an_acknowledgement_after_a_quiz_is_thanks_not_a_wrong_answer(client: TestClient) -> None:
    session_id, headers = new_session(client)
    ask(client, session_id, headers, "멀티모달이 뭐에요??")
    assert ask(client, session_id, headers, "퀴즈 ㄱㄱ")["activity"] == "quiz"
    reply = ask(client, session_id, headers, "알겠어요")
    assert reply["activity"] == "thanks" and "아쉽" not in reply["content"]


def test_a_true_or_false_quiz_is_still_answered_by_yes_or_no() -> None:
    quiz = {"question": "O/X 문제예요. \"VAE는 이제 안 쓰여요.\" 맞을까요, 틀릴까요?",
            "answer": "아니요, 틀린 말이에요. 여전히 쓰여요.", "kind": "yes_no", "passage": "models.vae"}
    for reply in ("아니요", "네", "no", "yes"):
        assert not leaves_quiz_unanswered(quiz, reply)
    assert activities.judge(quiz, "아니요") and not activities.judge(quiz, "네")


def test_a_partly_right_answer_is_told_so_and_given_the_whole_answer(client: TestClient) -> None:
    session_id, headers = new_session(client)
    ask(client, session_id, headers, "LLM은 뭐가 크다는거에요?")
    assert ask(client, session_id, headers, "문제 내줘")["activity"] == "quiz"
    verdict = ask(client, session_id, headers, "데이터 양이요")
    assert verdict["activity"] == "quiz_result"
    assert verdict["quiz"] == {"correct": False, "partly": True}
    assert "절반은 맞았어요" in verdict["content"] and "파라미터" in verdict["content"]


def test_grading_tells_a_part_of_the_key_from_none_of_it() -> None:
    quiz = {"question": "LLM은 뭐가 거대해요?", "kind": "what", "passage": "llm.scale",
            "answer": "두 가지가 거대해요. 배우는 글 데이터의 양, 그리고 그 데이터에서 패턴을 찾는 파라미터의 개수예요."}
    assert activities.grade(quiz, "데이터 양이요") == activities.PARTLY
    assert activities.grade(quiz, "글 데이터 양이랑 파라미터 개수") == activities.RIGHT
    assert activities.grade(quiz, "사용자 수요") == activities.WRONG
    assert activities.grade(quiz, "몰라요") == activities.WRONG


@pytest.mark.parametrize("more", ["ㅇㅋ 하나 더", "ok another one", "좋아요 하나 더!"])
def test_another_question_asked_after_agreeing(client: TestClient, more: str) -> None:
    session_id, headers = new_session(client)
    ask(client, session_id, headers, "GAN이 뭐예요?")
    first = ask(client, session_id, headers, "퀴즈 내줘요")
    ask(client, session_id, headers, "몰라요")
    again = ask(client, session_id, headers, more)
    assert again["activity"] == "quiz" and again["quiz"]["question"] != first["quiz"]["question"]


@pytest.mark.parametrize("recap", ["지금까지 뭐 했지?", "우리 오늘 뭐 배웠더라", "what did we cover"])
def test_a_recap_asked_as_if_of_oneself_lists_the_topics_in_order(client: TestClient, recap: str) -> None:
    session_id, headers = new_session(client)
    ask(client, session_id, headers, "gan이 뭐예여")
    ask(client, session_id, headers, "확산모델은요?")
    answer = ask(client, session_id, headers, recap)
    assert answer["activity"] == "recap"
    content = answer["content"]
    assert "GAN" in content and content.index("GAN") < content.index("확산" if "확산" in content else "iffusion")


def test_a_beginner_spoken_of_as_a_person_is_sent_to_the_first_lessons(client: TestClient) -> None:
    session_id, headers = new_session(client)
    ask(client, session_id, headers, "gan이 뭐예여")
    answer = ask(client, session_id, headers, "처음 하는 사람은 뭐부터 봐야돼요")
    assert answer["activity"] == "overview" and answer["sources"] == []


def test_thanks_said_twice_is_not_answered_with_the_same_words(client: TestClient) -> None:
    session_id, headers = new_session(client)
    ask(client, session_id, headers, "gan이 뭐예여")
    first = ask(client, session_id, headers, "ㅇㅋ")
    ask(client, session_id, headers, "확산모델은요?")
    second = ask(client, session_id, headers, "오 신기하다")
    assert first["activity"] == second["activity"] == "thanks"
    assert first["content"].split("\n")[0] != second["content"].split("\n")[0]
    # Each still offers a next step.
    assert "- " in first["content"] and "- " in second["content"]


def test_asked_to_be_told_about_a_thing_is_not_a_yes_or_no_question() -> None:
    assert question_kind("생성형 AI 알려주세요") == "what"
    assert question_kind("ㅇㅋ 그럼 생성형ai부터 알려주세요") == "what"
    assert question_kind("GPT가 트랜스포머 쓰는지 알려주세요") == "yes_no"
