"""A learner's vague follow-ups and long preambles reach what they ask about.

"반대로 비판은 없어요?" turns to the other side of what was just taught; a
question after two or three clauses about the learner's day is answered by
its own words; thanks said with a word about oneself is still thanks.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening


def sources(answer: dict) -> list[str]:
    return [source["id"] for source in answer["sources"]]


def test_the_other_side_of_what_was_just_taught_is_its_downside(client: TestClient) -> None:
    _, other = conversation(client, "ChatGPT가 세상에 준 영향은 뭐예요?", "반대로 문제점은요?")
    assert other["activity"] == "answer" and sources(other)[0] == "chatgpt.concerns"
    assert "환각" in opening(other) and "성장" not in opening(other)
    _, criticism = conversation(client, "ChatGPT가 세상에 준 영향은 뭐예요?", "반대로 비판은 없어요?")
    assert criticism["activity"] == "answer" and "chatgpt.concerns" in sources(criticism)


def test_the_biggest_impact_is_the_one_the_author_names_first(client: TestClient) -> None:
    answer = conversation(client, "ChatGPT의 가장 큰 임팩트가 뭐예요?")[0]
    assert sources(answer)[0] == "chatgpt.impact" and "연구실" in opening(answer)


def test_readers_are_the_learner_not_a_topic_of_their_own(client: TestClient) -> None:
    _, advice = conversation(client, "글쓴이는 AI의 미래를 어떻게 봐요?", "그럼 독자한테 권하는 건 뭐예요?")
    assert advice["activity"] == "answer" and sources(advice)[0] == "closing.advice"


def test_a_question_after_several_clauses_about_the_learner_is_answered_by_its_own_words(client: TestClient) -> None:
    answer = conversation(
        client, "회사에서 발표를 맡았는데요, 팀장님이 AI 얘기를 넣으라고 하셔서, ChatGPT 덕분에 가치가 커진 산업은 뭐예요?"
    )[0]
    assert answer["activity"] == "answer" and "반도체" in opening(answer)
    casual = conversation(client, "편의점 야간 알바중인데 손님 없어서 ㅋㅋ AGI가 뭐에요?? 요즘 자꾸 들림")[0]
    assert casual["activity"] == "answer" and sources(casual)[0] == "agi.definition"


def test_a_cause_among_the_documents_ideas_stays_part_of_the_question(client: TestClient) -> None:
    answer = conversation(client, "ChatGPT 때문에 산업 쪽으로는 뭐가 생겼대요?")[0]
    assert answer["activity"] == "answer" and {"chatgpt.concerns", "chatgpt.impact"} & set(sources(answer))
    assert "반도체" in answer["content"] or "성장" in answer["content"]


def test_thanks_with_what_the_learner_can_now_do_is_thanks(client: TestClient) -> None:
    answers = conversation(client, "환각이 뭐예요?", "고마워요 이제 발표 잘 할 수 있을 것 같아요",
                           "감사합니다 팀원들한테 잘 설명할 수 있겠어요 ^^")
    assert [a["activity"] for a in answers[1:]] == ["thanks", "thanks"]
    asked = conversation(client, "환각이 뭐예요?", "감사합니다 근데 더 쉽게 설명할 수 있겠어요?")[-1]
    assert asked["activity"] != "thanks"


def test_asking_how_much_one_has_learned_is_progress(client: TestClient) -> None:
    *_, progress = conversation(client, "GAN이 뭐예요?", "저 지금까지 얼마나 배운 거예요?")
    assert progress["activity"] == "progress"


def test_a_version_number_does_not_end_a_sentence(client: TestClient) -> None:
    # "ChatGPT-3.5" is one name: nothing before its dot is set aside as the learner's preamble.
    from tutor.knowledge import intent

    text = "그럼 DALL-E랑 ChatGPT-3.5는 뭐가 달라요?"
    assert intent.without_context_clause(text, keep_ideas=False) == text
    answer = conversation(client, text)[0]
    assert answer["activity"] == "answer" and sources(answer)[0] == "multimodal.definition"


def test_how_a_named_model_works_is_answered_by_that_model_not_a_similar_question_about_another(
    client: TestClient,
) -> None:
    answer = conversation(client, "GAN은 어떻게 그림을 만들어요?")[0]
    assert sources(answer)[0] == "models.gan" and "판별" in opening(answer)


def test_and_x_asks_the_question_before_of_x(client: TestClient) -> None:
    # "분류 쪽은?" after examples of prediction: examples of classification, not more prediction.
    _, classification = conversation(client, "글에 따르면 예측 쪽 예시는 뭐가 있어요?", "분류 쪽은?")
    assert classification["activity"] == "answer" and sources(classification)[0] == "traditional-ai.classification"
    assert "스팸" in opening(classification) and "추천" not in opening(classification)


def test_there_in_a_follow_up_is_the_answer_just_given(client: TestClient) -> None:
    _, names = conversation(client, "LLM은 어떤 일을 잘해요?", "거기 예로 나온 모델 이름들은?")
    assert names["activity"] == "answer" and sources(names)[0] == "llm.abilities"
    assert "Claude" in names["content"]


def test_according_to_the_document_is_no_word_to_search_by() -> None:
    from tutor.knowledge import intent

    assert intent.without_source_framing("문서 기준으로 예측 예시가 뭐가 있어요?").split() == ["예측", "예시가", "뭐가", "있어요?"]
    assert intent.without_source_framing("그 계산 기준이 뭐예요?") == "그 계산 기준이 뭐예요?"


def test_what_the_writer_says_is_asked_by_what_it_is_about(client: TestClient) -> None:
    # "according to the writer", "글쓴이 말로는": where the answer comes from, not a topic;
    # the follow-up still asks about the uses of ChatGPT and is answered, not declined.
    from tutor.knowledge import intent

    assert intent.without_source_framing("글쓴이 말로는 LLM이 왜 주류예요?").split() == ["LLM이", "왜", "주류예요?"]
    assert intent.without_source_framing("ChatGPT 나오고 뭐가 달라졌대요 글에서는").split() == ["ChatGPT", "나오고", "뭐가", "달라졌대요"]
    _, more = conversation(client, "what do people use ChatGPT for?", "what else do ppl use it for according to the writer")
    assert more["activity"] == "answer" and "chatgpt.impact" in sources(more)


def test_more_uses_of_that_model_stay_with_that_model(client: TestClient) -> None:
    # "그 모델은 … 말고 또 …": the model just taught, other uses of it; not another model.
    _, other_uses = conversation(client, "RNN이랑 LSTM은 뭐에 좋아요?", "그 모델은 음악 말고 또 뭐에 써요?")
    assert other_uses["activity"] == "answer" and sources(other_uses)[0] == "models.rnn-lstm"
    assert not intent_subject("GAN 말고 또 다른 모델 있어요?")


def intent_subject(text: str) -> bool:
    from tutor.knowledge import intent

    return intent.subject_points_back(text)


def test_a_pointer_after_the_learners_clauses_stands_for_those_clauses(client: TestClient) -> None:
    # "그렇게 틀리는 거" is the wrong-but-convincing talk just described, not the LLM asked about before.
    _, named = conversation(
        client, "LLM은 뭐의 줄임말이에요?",
        "친구가 AI가 다 맞다고 하던데, 제가 써보니까 가끔 그럴듯하게 틀린 말도 하던데, 그렇게 틀리는 거 뭐라고 불러요?",
    )
    assert named["activity"] == "answer" and sources(named)[0] == "chatgpt.concerns" and "환각" in opening(named)


def test_other_problems_beside_the_one_just_taught_are_the_documents_other_problems(client: TestClient) -> None:
    _, other = conversation(client, "ChatGPT도 틀린 말을 해요?", "그거 말고 다른 문제도 있어요?")
    assert other["activity"] == "answer" and "chatgpt.concerns" in sources(other)
    assert "윤리" in other["content"] and "나오지 않아요" not in opening(other)


def test_a_self_introduction_before_the_question_is_set_aside(client: TestClient) -> None:
    from tutor.knowledge import intent

    text = "조선소 용접하는 사람인데 코딩 1도 몰라요. 이런 사람도 AI로 뭐 할수있음?"
    assert intent.without_context_clause(text, keep_ideas=False).startswith("코딩")
    # "…디코더인데 왜 …?" is part of the question, not the learner's day.
    assert intent.without_context_clause("GPT는 디코더인데 왜 글을 잘 써요?", keep_ideas=False).startswith("GPT")
    answer = conversation(client, "택배 일하는 사람인데 코딩 하나도 몰라요. 이런 사람도 AI로 뭐 할 수 있어요?")[0]
    assert answer["activity"] == "answer" and "transformer.impact" in sources(answer)


def test_a_casual_sentence_about_the_learner_after_the_clause_is_set_aside_too(client: TestClient) -> None:
    # The clause ends at "…인데", the next sentence at the tears, not a full stop:
    # studying on the phone is the learner's night, not the lesson on advice.
    answer = conversation(client, "애기 재우는 중인데 폰으로 공부해요ㅠㅠ 트랜스포머가 머에요?")[0]
    assert answer["activity"] == "answer" and sources(answer)[0].startswith("transformer.")
    answer = conversation(client, "육아휴직중인데 새벽에 공부해요ㅠㅠ LLM이 머에요?")[0]
    assert answer["activity"] == "answer" and sources(answer)[0] == "llm.definition"


def test_how_it_was_before_is_asked_of_what_was_just_taught(client: TestClient) -> None:
    _, before = conversation(client, "코딩 몰라도 AI로 뭐 할 수 있어요?", "예전엔 어땠는데요?")
    assert before["activity"] == "answer" and sources(before)[0] == "transformer.impact"
    assert "개발자" in before["content"] and not opening(before).startswith(("네", "아니요"))


def test_what_a_title_stands_for_is_its_meaning_not_the_paper_again(client: TestClient) -> None:
    *_, meaning = conversation(client, "트랜스포머는 뭐예요?", "그 논문 제목이 뭐였죠?", "제목이 뭘 뜻하는 거예요?")
    assert meaning["activity"] == "answer" and "어텐션만" in opening(meaning)


def test_wa_said_for_why_is_asked_as_why(client: TestClient) -> None:
    # "와 그래요?": 왜 as said aloud and in dialect; the same answer as "왜 그래요?".
    from tutor.knowledge.text import normalise

    _, spoken = conversation(client, "LLM이 왜 주류가 됐어요?", "와 그래요?")
    _, written = conversation(client, "LLM이 왜 주류가 됐어요?", "왜 그래요?")
    assert opening(spoken) == opening(written) and "핵심" in opening(spoken)
    # Wonder ("와 진짜요?", "와, 대박") and "GPT 와 BERT" keep their 와.
    for text in ("와 진짜요?", "와, 그럼 GAN은 뭐예요?", "와 대박 신기하네요", "GPT 와 BERT 차이가 뭐야?"):
        assert "왜" not in normalise(text)


def test_casual_connectives_and_set_aside_phrases_name_no_topic(client: TestClient) -> None:
    # "글고" is 그리고, not 글 (text): the AGI question is answered by what AGI is.
    from tutor.knowledge.text import is_predicate

    agi = conversation(client, "글고 agi는 머임 겜이랑 관련있다던데")[0]
    assert sources(agi)[0] == "agi.definition" and "일반 지능" in opening(agi)
    # "달라졌다는": a past verb quoted asks how, it names no topic; "바다는" is a noun.
    assert is_predicate("달라졌다는") and not is_predicate("바다는")
