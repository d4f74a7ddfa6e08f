"""Elliptical follow-ups resolve against the right earlier topic.

"그럼 그 전에는 뭘 썼어요?" after "gpt가머에요" asks about the time before the
thing the topic is built on (the Transformer): the RNN. "왜요?", "예를 들면?",
"더 쉽게요" then go on with that topic.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation


def sources(answer: dict) -> list[str]:
    return [source["id"] for source in answer["sources"]]


def test_before_the_topic_is_before_the_thing_it_is_built_on(client: TestClient) -> None:
    answers = conversation(client, "gpt가머에요", "그럼 그 전에는 뭘 썼어요?", "왜요?", "예를 들면?", "더 쉽게요")
    assert sources(answers[0])[0] == "chatgpt.gpt-name"
    before, why, example, simpler = answers[1:]
    assert sources(before)[0] == "transformer.vs-rnn" and "RNN" in before["content"]
    assert sources(why)[0] == "transformer.vs-rnn"
    assert sources(example)[0] == "transformer.vs-rnn"
    assert sources(simpler)[0] == "transformer.vs-rnn"


def test_before_a_part_of_the_transformer_is_before_the_transformer(client: TestClient) -> None:
    answers = conversation(client, "어텐션이 머임", "그전엔 머썼는데")
    assert sources(answers[-1])[0] == "transformer.vs-rnn" and "RNN" in answers[-1]["content"]


def test_a_topic_that_tells_its_own_before_keeps_it(client: TestClient) -> None:
    answers = conversation(client, "ChatGPT는 언제 나왔어요?", "그 전에는요?")
    assert sources(answers[-1])[0] == "chatgpt.launch"


def test_an_ordinal_counts_in_the_list_the_conversation_is_on(client: TestClient) -> None:
    # agi.why-multimodal lists three reasons itself; "두 번째 이유는 …" opens a passage of another lesson.
    answers = conversation(client, "멀티모달이 agi랑 왜 연결돼요", "두번째 이유 예시로 설명해줘요", "세번째는요?")
    assert sources(answers[1])[0] == "agi.why-multimodal" and "상호작용" in answers[1]["content"]
    assert sources(answers[2])[0] == "agi.why-multimodal" and "학습" in answers[2]["content"]


def test_an_ordinal_of_a_list_told_one_passage_a_reason_finds_that_passage(client: TestClient) -> None:
    answers = conversation(client, "LLM이 주류인 첫 번째 이유는 뭐예요?", "두 번째 이유는요?")
    assert sources(answers[-1])[0] == "llm-leads.transformer"


def test_when_again_after_the_years_were_said_asks_for_the_next_time(client: TestClient) -> None:
    answers = conversation(client, "1906년에 뭐 나왔다던데", "그땐 왜 제대로 안됐음", "언제부터 된거")
    assert sources(answers[-1])[0] == "history.2010s" and "2010" in answers[-1]["content"]


def test_a_year_asked_by_name_is_answered_even_if_said_before(client: TestClient) -> None:
    answers = conversation(client, "생성형 AI는 언제부터 있었어요?", "ELIZA는 몇 년도요?")
    assert sources(answers[-1])[0] == "history.early" and "1964" in answers[-1]["content"]


def test_what_was_asked_first_is_the_first_topic(client: TestClient) -> None:
    answers = conversation(client, "gpt가머에요", "그럼 그 전에는 뭘 썼어요?", "처음에 물어본 거요, 다시 쉽게 설명해 주세요")
    assert sources(answers[-1])[0] == "chatgpt.gpt-name" and "GPT" in answers[-1]["content"]


def test_a_new_name_asked_beside_the_topic_finds_the_passage_about_both(client: TestClient) -> None:
    answers = conversation(client, "RNN이 뭐예요?", "시퀀스 데이터는 또 뭐예요?", "근데 왜 요즘은 다 트랜스포머 써요?")
    assert sources(answers[-1])[0] == "transformer.vs-rnn"


def test_an_unknown_word_beside_known_ones_does_not_hide_the_lesson_under_way(client: TestClient) -> None:
    answers = conversation(client, "so whats an llm in plain words?", "theres a friend comparison somewhere?")
    assert answers[-1]["activity"] != "decline" and sources(answers[-1])[0] == "llm.friend-analogy"


def test_mostly_foreign_words_after_a_topic_are_still_declined(client: TestClient) -> None:
    answers = conversation(client, "VAE는 어디에 써요?", "아 그리고 신생아 황달 수치 몇 넘으면 병원 가야 돼요?")
    assert answers[-1]["activity"] == "decline"
    answers = conversation(client, "LLM이 사람을 대신한다는 건 어떤 일이에요?", "요즘 영한 번역 단가 장당 얼마 받아야 적당해요?")
    assert answers[-1]["activity"] == "decline"


def test_how_much_is_that_asks_the_figure_of_the_turn_before(client: TestClient) -> None:
    answers = conversation(client, "챗봇 돌리면 비용 얼마나 들어요?", "더 싼 모델은요?", "그건 얼마예요?")
    assert "3.5" in answers[1]["content"]
    assert sources(answers[-1])[0] == "cost.example"
    opening = answers[-1]["content"].split("\n\n")[0]
    assert "10분의 1" in opening and "35달러" not in opening


def test_asking_for_an_analogy_tells_the_topic_under_way_through_its_analogy(client: TestClient) -> None:
    answers = conversation(client, "LLM이 주류인 세 번째 이유는 뭐예요?", "비유로 설명좀")
    assert sources(answers[0])[0] == "llm-leads.demand"
    assert sources(answers[-1])[0] == "llm-leads.demand" and "프로그래머" in answers[-1]["content"]
    # An analogy the document tells, asked by its own name, is a question of its own.
    named = conversation(client, "LLM이 주류인 세 번째 이유는 뭐예요?", "친구 비유는 무슨 뜻이에요?")[-1]
    assert sources(named)[0] == "llm.friend-analogy"


def test_a_question_about_the_course_itself_is_its_activity(client: TestClient) -> None:
    intro = conversation(client, "Hi! I'm from the Philippines, living in Gimhae with my husband. "
                                 "My Korean reading is slow. What is this lesson about?")[0]
    assert intro["activity"] == "overview"
    assert conversation(client, "처음 이에요 뭐 부터 해요?")[0]["activity"] == "overview"
    far = conversation(client, "GAN이 뭐예요?", "지금 어디까지 온 거예요?")[-1]
    assert far["activity"] == "progress"
    # Naming an idea of the document, or a word order the document teaches, is a question.
    assert conversation(client, "LLM은 어디까지 할 수 있어요?")[0]["activity"] == "answer"
    assert conversation(client, "트랜스포머가 뭐예요?", "순서가 왜 중요해요?")[-1]["activity"] == "answer"


def test_what_changed_after_it_is_what_the_thing_under_way_changed(client: TestClient) -> None:
    # The mirror of "before": "그게 나오고" stands for the thing just taught.
    answers = conversation(client, "GPT가 뭔 뜻이에요", "그게 나오고 뭐가 달라졌어요?")
    assert sources(answers[-1])[0] == "chatgpt.impact"
    answers = conversation(client, "트랜스포머가 뭐예요", "그게 나오고 뭐가 달라졌어요?")
    assert sources(answers[-1])[0] == "transformer.impact"


def test_after_an_older_model_comes_what_replaced_it(client: TestClient) -> None:
    answers = conversation(client, "RNN이 뭐예요", "그게 나온 뒤에는 뭘 썼어요?")
    assert sources(answers[-1])[0] == "transformer.vs-rnn" and "트랜스포머" in answers[-1]["content"]


def test_after_the_early_years_comes_the_next_time(client: TestClient) -> None:
    answers = conversation(client, "생성형 AI는 언제부터 있었어요?", "그 뒤로는요?")
    assert sources(answers[-1])[0] == "history.2010s" and "2010" in answers[-1]["content"]


def test_a_topic_that_tells_what_it_changed_keeps_it(client: TestClient) -> None:
    answers = conversation(client, "ChatGPT가 가져온 변화는 뭐예요?", "그게 나오고 뭐가 달라졌어요?")
    assert sources(answers[-1])[0] == "chatgpt.impact"


def test_a_follow_up_leaving_its_subject_unsaid_is_about_the_topic(client: TestClient) -> None:
    # Korean drops the subject: "요즘은 잘 안써요?" asks it of VAE, not of nothing.
    answers = conversation(client, "VAE가 뭐예요?", "요즘은 잘 안써요?")
    assert answers[-1]["activity"] != "decline" and sources(answers[-1])[0] == "models.vae"
    answers = conversation(client, "GPT는 트랜스포머랑 뭐가 달라요?", "빼도 괜찮아요? 왜요?")
    assert answers[-1]["activity"] != "decline" and sources(answers[-1])[0] == "chatgpt.decoder-only"


def test_a_short_follow_up_with_a_subject_of_its_own_is_still_declined(client: TestClient) -> None:
    answers = conversation(client, "VAE가 뭐예요?", "김치찌개로는요?")
    assert answers[-1]["activity"] == "decline"
    answers = conversation(client, "VAE가 뭐예요?", "엔비디아 지금 사도됨?")
    assert answers[-1]["activity"] == "decline"


def test_simpler_is_about_the_last_answer_not_what_earlier_turns_reach(client: TestClient) -> None:
    answers = conversation(client, "AGI는 무슨 뜻이에요?", "좀 더 쉽게 설명해 주세요")
    assert sources(answers[0])[0] == "agi.definition"
    assert sources(answers[1])[0] == "agi.definition"


def test_simpler_again_takes_the_analogy_its_lesson_builds_on(client: TestClient) -> None:
    # The simple version of "what LLM stands for" was given; asked again, the
    # lesson's analogy (a conversation with a friend) is a new way in, not the same words.
    answers = conversation(client, "LLM 뜻을 쉽게 알려 주세요", "그래도 어려워요 더 쉽게요")
    assert sources(answers[0])[0] == "llm.definition"
    assert sources(answers[1])[0] == "llm.friend-analogy" and "친구" in answers[1]["content"]


def test_simpler_with_words_about_the_learner_is_not_declined(client: TestClient) -> None:
    # What the learner says of themselves (a night shift, a career in paperwork)
    # names nothing a passage answers; the request is still "say that more simply".
    answers = conversation(client, "AGI는 무슨 뜻이에요?", "야간 근무 끝나고 멍해서요 더 쉽게 말해 주세요")
    assert answers[1]["activity"] == "answer" and sources(answers[1])[0] == "agi.definition"


def test_a_bare_analogy_request_takes_the_lessons_analogy(client: TestClient) -> None:
    answers = conversation(client, "LLM 뜻을 쉽게 알려 주세요", "비유 같은 거 있어요?")
    assert sources(answers[1])[0] == "llm.friend-analogy"


def test_next_after_a_dated_item_is_the_next_date_of_that_timeline(client: TestClient) -> None:
    # Asked about 1906, "and then?" is the next date the passage gives (ELIZA,
    # 1964), not the next passage of the course.
    answers = conversation(client, "생성형 AI는 언제부터 있었어요?", "1906년엔 무슨 일이 있었어요?", "그 다음은요?")
    assert sources(answers[2])[0] == "history.early" and "1964" in answers[2]["content"]


def test_next_without_a_date_in_focus_moves_on_through_the_course(client: TestClient) -> None:
    answers = conversation(client, "생성형 AI는 언제부터 있었어요?", "다음요")
    assert sources(answers[1])[0] != "history.early"


def test_the_two_are_the_pair_the_learner_just_named(client: TestClient) -> None:
    # "둘" stands for generative AI and the LLM: the answer is how they relate, not why to tell them apart again.
    answers = conversation(client, "생성형 AI랑 LLM을 왜 먼저 구분하라는 거예요?", "그럼 둘이 무슨 관계예요?")
    assert "한 종류" in answers[-1]["content"].split("\n\n")[0]


def test_back_then_asks_about_the_time_of_the_dated_topic(client: TestClient) -> None:
    # "연구" does not lead to the passage about research today: "그땐" is the time of 1906 and 1964.
    answers = conversation(client, "1964년에도 생성형 AI 비슷한 게 있었어요?", "그땐 왜 제대로 연구가 안됐어요?")
    assert sources(answers[-1])[0] == "history.early" and "데이터" in answers[-1]["content"].split("\n\n")[0]


def test_since_when_after_the_early_years_is_the_next_time(client: TestClient) -> None:
    answers = conversation(client, "1964년에도 생성형 AI 비슷한 게 있었어요?", "그럼 언제부터 본격적으로 터졌어요?")
    assert sources(answers[-1])[0] == "history.2010s" and "2010" in answers[-1]["content"]


def test_why_a_model_gave_way_is_told_by_what_came_after_it(client: TestClient) -> None:
    answers = conversation(client, "RNN은 어디에 써요?", "근데 왜 밀려났어요?")
    assert sources(answers[-1])[0] == "transformer.vs-rnn" and "멀리" in answers[-1]["content"].split("\n\n")[0]


def test_another_reason_after_one_reason_of_a_list_is_the_next_reason(client: TestClient) -> None:
    answers = conversation(client, "LLM이 주류인 첫 번째 이유는 뭐예요?", "그거 말고 다른 이유도 있어요?")
    assert sources(answers[-1])[0] == "llm-leads.transformer" and "트랜스포머" in answers[-1]["content"]


def test_setting_one_item_aside_asks_for_the_other_item_of_its_list(client: TestClient) -> None:
    answers = conversation(client, "생성형 AI가 뭐예요?", "예측 말고 또 어떤 거 있어요?")
    assert sources(answers[-1])[0] == "traditional-ai.classification" and "분류" in answers[-1]["content"]


def test_the_most_important_of_the_reasons_just_listed(client: TestClient) -> None:
    # "그중에" picks from the reasons just given: the fact naming the key ones, not their count again.
    answers = conversation(client, "LLM이 왜 주류예요?", "그중에 젤 중요한건요")
    assert "수요" in answers[-1]["content"].split("\n\n")[0] and "네 가지예요" not in answers[-1]["content"]
