"""The answer opens with what was asked: the measure asked for, a yes or a
no the document supports, or a plain "the document doesn't say".

Played through the real service (offline tutor), as a learner would see it.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening
from tutor.knowledge import answering, selecting


def test_the_count_asked_for_opens_the_answer_not_an_amount_of_money(client: TestClient) -> None:
    # Typed without spaces and with casual endings; the fact is "토큰 1,000개와 2,000개".
    _, tokens = conversation(client, "챗봇 상담 돌리면 비용 얼마 나와요?", "상담 한건에 토큰 몇개 쓰는걸로 계산한거에요?")
    first = opening(tokens)
    assert "2,000" in first and "토큰" in first
    assert "48원" not in first


def test_a_count_of_tokens_is_not_answered_by_an_amount() -> None:
    question = "상담 한 건에 토큰 몇 개 써요?"
    assert selecting.unit_fit(question, "how_many", "입력 토큰 1,000개, 출력 토큰 2,000개예요.") == 1
    assert selecting.unit_fit(question, "how_many", "약 48원이에요.") == -1
    assert selecting.unit_fit("하루에 얼마예요?", "how_much", "하루 약 35달러예요.") == 1
    assert selecting.unit_fit("하루에 얼마예요?", "how_much", "하루 1,000건이에요.") == -1


def test_a_comparison_said_the_other_way_round_is_not_the_same_question() -> None:
    assert selecting.reversed_comparison("GAN이 확산 모델보다 나아요?", "확산 모델이 GAN보다 나아요?")
    assert not selecting.reversed_comparison("확산 모델이 GAN보다 좋아요?", "확산 모델이 GAN보다 나아요?")


def test_negation_is_read_on_the_predicate_not_on_a_modifier() -> None:
    assert selecting.negated("상담원 안 뽑아도 되는 거죠?")
    assert selecting.negated("상담원을 따로 두지 않아도 돼요.")
    assert not selecting.negated("밤낮없이 24시간 상담해요.")
    assert not selecting.negated("트랜스포머 아닌 방식도 있어요?")


def test_a_yes_no_question_about_something_the_document_never_mentions_says_so(client: TestClient) -> None:
    _, brain = conversation(client, "AGI가 뭐예요?", "AGI는 사람 뇌랑 비슷한거에요?")
    first = opening(brain)
    assert "나오지" in first
    assert brain["sources"], "the nearest passage is still cited"
    assert "네," not in first and "아니요" not in first


def test_a_fact_about_another_named_thing_does_not_answer(client: TestClient) -> None:
    # The pack's fact says attention does not see word order; RNN is another matter.
    _, rnn = conversation(client, "위치 인코딩이 뭐예요?", "RNN은 순서대로 읽는거죠?")
    assert not opening(rnn).startswith("아니요")
    assert selecting.about_something_else("RNN은 순서대로 읽는거죠?", "멀티헤드 어텐션은 단어 순서를 알아요?")
    assert not selecting.about_something_else("트랜스포머는 언제 나왔어요?", "트랜스포머 논문은 언제 나왔어요?")


def test_a_casual_what_is_a_question_for_a_name_not_a_yes_or_no(client: TestClient) -> None:
    _, name = conversation(client, "트랜스포머가 뭐예요?", "트랜스포머 논문 이름이 머였지")
    assert "Attention is All You Need" in name["content"]
    assert "나오지 않" not in opening(name)


def test_a_context_clause_does_not_make_the_question_about_the_learner() -> None:
    from pathlib import Path

    from tutor.knowledge.pack import load_pack

    pack = load_pack(Path(__file__).resolve().parent.parent / "prompts" / "lessons")
    assert selecting.names_unmentioned("이거 쓰면 저작권 문제는 없어요?", pack) == ["저작권"]
    assert selecting.names_unmentioned("카페 하는데요 챗봇으로 상담 받으면 비용 들어요?", pack) == []


def test_a_closing_tag_asks_for_agreement_and_negates_nothing() -> None:
    assert not selecting.negated("그냥 지나가는 트렌드 아니에요?")
    assert selecting.negated("이걸로 알바 안 써도 되는거에요?")


def test_what_a_claim_means_is_answered_by_the_sentences_that_unpack_it(client: TestClient) -> None:
    from tutor.knowledge.answering import question_kind

    assert question_kind("데이터가 많다는 건 무슨 뜻이에요?") == "meaning"
    assert question_kind("생성형 AI라는 게 뭐예요?") == "what"
    _, meaning = conversation(client, "LLM이 왜 대세예요?", "데이터가 많다는 건 무슨 뜻이에요?")
    assert "텍스트" in meaning["content"] or "글(텍스트)" in meaning["content"]
    assert any(word in meaning["content"] for word in ("싸", "저렴", "널려", "쉬워"))


def test_who_made_something_typed_casually_is_said_not_to_be_given(client: TestClient) -> None:
    # "누군가요" is "who is it": the document names ELIZA and its year, never its maker.
    _, maker = conversation(client, "생성형 AI는 언제부터 있었어요?", "ELIZA 만든 사람이 누군가요")
    assert "나오지 않" in maker["content"]


def test_something_never_mentioned_is_said_so_even_after_the_passage_was_all_said(client: TestClient) -> None:
    *_, rights = conversation(
        client, "확산 모델이 뭐예요?", "어떻게 그림을 만들어요?", "어디에 써요?", "이거 쓰면 저작권 문제는 없어요?"
    )
    assert "나오지 않" in opening(rights)
    assert rights["sources"]


def test_a_detail_the_document_does_not_give_cites_the_passage_its_nearest_fact_comes_from(client: TestClient) -> None:
    _, maker = conversation(client, "생성형 AI는 언제부터 있었어요?", "ELIZA 만든 사람이 누군가요")
    assert "나오지 않" in maker["content"]
    assert [source["id"] for source in maker["sources"]] == ["history.early"]
    assert maker["activity"] == "decline"


def test_asking_what_it_costs_is_not_asking_for_the_cheaper_model(client: TestClient) -> None:
    # "비용" names the cost itself; "더 싼 모델" asks for a cheaper one.
    cost = conversation(client, "LLM 쓰면 비용 얼마 나와요?")[-1]
    first = opening(cost)
    assert "35달러" in first or "48,000원" in first
    assert "10분의 1" not in first
    cheaper = conversation(client, "더 싼 모델 쓰면 얼마예요?")[-1]
    assert "10분의 1" in opening(cheaper)


def test_what_a_named_but_unexplained_part_does_is_said_not_to_be_given(client: TestClient) -> None:
    # The document names the encoder (GPT drops it) but never says what it does.
    _, encoder = conversation(client, "GPT는 트랜스포머랑 구조가 같아요?", "그럼 인코더는 무슨 일을 해요?")
    assert "나오지 않" in opening(encoder)
    assert [source["id"] for source in encoder["sources"]] == ["chatgpt.decoder-only"]
    assert encoder["activity"] == "decline"


def test_how_a_word_every_lesson_uses_does_something_is_still_taught(client: TestClient) -> None:
    # "AI" names no one thing: the question is how attention finds what matters.
    attention = conversation(client, "AI는 긴 말에서 어디가 중요한지 어떻게 알아요?")[-1]
    assert "나오지 않" not in opening(attention)
    assert "transformer.attention" in [source["id"] for source in attention["sources"]]
    assert attention["activity"] != "decline"


def test_a_thing_the_passages_make_the_subject_of_a_sentence_is_explained() -> None:
    said = ["트랜스포머는 원래 인코더와 디코더라는 두 부분으로 되어 있었어요."]
    assert selecting.unexplained_subject("인코더는 무슨 일을 해요?", "what", said) == "인코더"
    assert selecting.unexplained_subject("트랜스포머는 어떻게 작동해요?", "how", said) == ""
    assert selecting.unexplained_subject("디퓨전은 어떻게 그림을 만들어요?", "how",
                                         ["확산 모델(diffusion model)은 잡음을 걷어 내요."]) == ""
    assert selecting.unexplained_subject("인코더는 뭐예요?", "what", said) == ""  # what it is, not what it does


def test_asking_what_a_phrase_of_the_lesson_means_opens_with_the_answer_that_says_it(client: TestClient) -> None:
    # The learner quotes a claim in their own words; the fact saying it explains it.
    easier = conversation(client, "트랜스포머가 일을 쉽게 만들어 줬다는 게 무슨 뜻이에요?")[-1]
    assert "빠르고 효율적" in opening(easier)
    bridge = conversation(client, "멀티모달에서 글이 왜 중요해요?", "글이 다리 역할을 한다는 게 무슨 말이에요?")[-1]
    assert "연결" in opening(bridge)


def test_a_quoted_phrase_is_a_question_of_meaning_but_a_name_is_a_question_of_what() -> None:
    assert answering.question_kind("다리 역할이라는 게 뭔 말이에요") == "meaning"
    assert answering.question_kind("GPT라는 건 뭐예요?") == "what"


def test_why_a_thing_is_so_called_opens_with_the_reason_the_passage_gives_just_before(client: TestClient) -> None:
    # The passage ends "…'창세기적 사건'이라고 부르는 것도 이 때문이에요": its reason is the sentence before.
    _, why = conversation(client, "트랜스포머가 나오고 뭐가 바뀌었어요?", "창세기적 사건이라고 부르는 건 왜요?")
    first = opening(why)
    assert "프로그래밍을 모르는 사람" in first and "이 때문" in first


def test_a_word_the_document_only_lists_is_said_not_to_be_explained(client: TestClient) -> None:
    seasonality = conversation(client, "시즈널리티는 무슨 뜻이에요?")[-1]
    said = opening(seasonality)
    assert ("설명하지 않" in said or "나오지 않" in said) and "계절" in said


def test_which_company_made_something_is_not_answered_by_people_who_use_it(client: TestClient) -> None:
    # The document names Claude 3.5 Sonnet but never its maker; programmers in another passage are no answer.
    maker = conversation(client, "Claude 3.5 Sonnet은 어느 회사꺼에요?")[-1]
    assert "나오지 않" in opening(maker)
    assert answering.question_kind("이 글 쓴 사람 이름이 뭐예요?") == "who"
    assert not answering.holds_answer_shape("who", "개발자들이 주로 컴퓨터를 다뤘어요.", "어느 회사가 만들었어요?")
    assert answering.holds_answer_shape("who", "개발자들이 주로 컴퓨터를 다뤘어요.", "전에는 누가 했어요?")


def test_a_fact_naming_one_thing_does_not_answer_a_question_asking_more_of_it(client: TestClient) -> None:
    # "LLM은 뭐예요?" holds the one word LLM; the question asks which ones to try.
    which = conversation(client, "LLM 써 볼 만한 거 뭐 있어요?")[-1]
    assert "GPT-4o" in opening(which) and "Llama" in opening(which)


def test_what_the_document_only_names_is_said_not_to_be_explained(client: TestClient) -> None:
    token = conversation(client, "챗봇 비용이 얼마예요?", "토큰이 정확히 뭐예요?")[-1]
    assert "설명하지 않" in opening(token) and "단위" in opening(token)


def test_a_yes_no_comparison_said_the_other_way_round_is_answered_no(client: TestClient) -> None:
    # The pack's fact says diffusion models tend to beat GANs, and that generative AI is the bigger idea.
    gan = conversation(client, "GAN이 디퓨전보다 성능 더 좋죠?")[-1]
    assert opening(gan).startswith("아니요") and "확산 모델이 GAN보다" in opening(gan)
    llm = conversation(client, "LLM이 생성형 AI보다 더 넓은 개념이죠?")[-1]
    assert opening(llm).startswith("아니요") and "한 종류" in opening(llm)
    smaller = conversation(client, "LLM이 생성형 AI보다 작은 개념이에요?")[-1]
    assert opening(smaller).startswith("네")
    english = conversation(client, "Is a GAN better than a diffusion model?")[-1]
    assert opening(english).startswith("No") and "diffusion models tend to do better" in opening(english)


def test_a_comparison_contradicts_another_by_its_sides_or_its_predicate_but_not_both() -> None:
    fact = "확산 모델이 GAN보다 나아요?"
    assert selecting.contradicts("GAN이 확산 모델보다 나아요?", fact)
    assert selecting.contradicts("확산 모델이 GAN보다 못해요?", fact)
    assert not selecting.contradicts("GAN이 확산 모델보다 못하죠?", fact)
    assert not selecting.contradicts("확산 모델이 GAN보다 좋아요?", fact)
    assert selecting.comparative_direction("Is a GAN better than a diffusion model?") == 1


def test_a_yes_no_check_of_something_already_said_points_back_to_the_sentence_that_says_it(client: TestClient) -> None:
    # Every sentence of the passage was said; the one about round-the-clock support answers the check.
    *_, check = conversation(client, "LLM이 사람 대신 할 수 있는 일이 뭐예요?", "더 자세히 알려 주세요",
                             "밤에도 24시간 된다는 거죠?")
    assert "24시간" in opening(check) and "앞에서 말한 것처럼" in opening(check)


def test_why_multimodality_matters_for_agi_names_the_three_reasons(client: TestClient) -> None:
    why = conversation(client, "AGI 되려면 멀티모달이 왜 필요한 거예요?")[-1]
    first = opening(why)
    assert "종합적인 이해" in first and "상호작용" in first and "학습 능력" in first
    relation = conversation(client, "멀티모달하고 AGI는 어떤 관계예요?")[-1]
    assert "이정표" in opening(relation)


def test_for_example_on_a_topic_names_the_examples_its_passage_gives(client: TestClient) -> None:
    *_, example = conversation(client, "멀티모달이 뭐예요?", "예를 들면요?")
    assert "DALL-E" in opening(example) and "Gemini" in opening(example)


def test_a_numeral_and_its_noun_written_apart_match_them_written_together(client: TestClient) -> None:
    # "한달" (no space) is the fact's "한 달": the answer is no, per day.
    _, month = conversation(client, "챗봇 돌리면 돈 얼마나 들어요?", "그게 한달 기준이에요?")
    assert opening(month).startswith("아니요") and "하루" in opening(month)
    assert any("한달" in readings for readings in answering.readings_of("48,000원은 한 달 비용이에요?"))


def test_asking_what_a_title_is_and_what_it_means_get_different_answers(client: TestClient) -> None:
    _, title, meaning = conversation(client, "트랜스포머가 뭐예요?", "그 논문 제목이 뭐였죠?", "그 제목은 무슨 뜻이에요?")
    assert "나오지 않" not in opening(title)
    assert opening(title).startswith("'Attention is All You Need'")
    assert "핵심" in opening(meaning)
    assert answering.asks_meaning("그 제목은 무슨 뜻이에요?") and not answering.asks_meaning("제목이 뭐였죠?")


def test_a_name_written_in_english_inside_korean_is_the_same_name(client: TestClient) -> None:
    # "large" is the L of LLM: a fact about LLMs is about what the learner named.
    large = conversation(client, "LLM은 왜 large라고 해요?")[-1]
    assert "파라미터" in opening(large) and "데이터" in opening(large)
    assert selecting.names("large가 무슨 뜻이에요?") == selecting.names("LLM이 무슨 뜻이에요?")


def test_facts_answer_in_the_words_the_question_checks(client: TestClient) -> None:
    # A check that names one side of a comparison hears that side in the answer.
    market = conversation(client, "LLM은 왜 수요가 커요?", "프로그래머 시장하고 비교하는 거죠?")[-1]
    assert "프로그래머" in opening(market)


def test_a_verb_saying_even_if_is_not_a_thing_the_document_never_mentions(client: TestClient, pack) -> None:
    # "뽑아도" ends in 도 like "직업도", but it is a verb: the question is about replacing staff.
    assert selecting.names_unmentioned("그럼 상담원 안 뽑아도 되는 거죠?", pack) == []
    _, staff = conversation(client, "LLM이 사람 대신 뭘 해요?", "그럼 상담원은 안 뽑아도 되는 거죠?")
    assert opening(staff).startswith("네") and "대신" in opening(staff)


def test_a_yes_or_no_about_another_thing_does_not_answer_the_question(client: TestClient) -> None:
    # "아무것도 없이 만들어요? 아니요" is about something else: music is what the learner asks about.
    music = conversation(client, "합창단 하는데요, 음악도 AI가 만들 수 있어요?")[-1]
    assert opening(music).startswith("네") and "음악" in opening(music)
    pointing = conversation(client, "GPT가 뭐예요?", "거기서 트랜스포머를 그대로 가져다 쓴 거예요?")[-1]
    assert opening(pointing).startswith("아니요")


def test_a_korean_yes_or_no_agrees_with_the_question_as_asked(client: TestClient) -> None:
    # The fact asks "순서를 알아요?" and answers no; asked "몰라요?", the answer is yes, it doesn't.
    knows = conversation(client, "멀티헤드 어텐션은 순서를 알아요?")[-1]
    assert opening(knows).startswith("아니요")
    not_knows = conversation(client, "멀티헤드 어텐션은 단어 순서를 몰라요?")[-1]
    assert opening(not_knows).startswith("네") and "병렬" in opening(not_knows)
    assert selecting.negated("순서를 몰라요?") and not selecting.negated("프로그래밍을 모르는 사람도 써요")


def test_what_a_claim_means_with_an_example_opens_with_the_meaning(client: TestClient) -> None:
    # "무슨말이에요" written without a space is still the question's frame, not its topic.
    *_, market = conversation(client, "LLM 쓰려는 사람이 왜 많아요?", "시장이 크다는게 무슨말이에요? 예시좀")
    first = opening(market)
    assert "모든 사람" in first and "예를 들어 볼게요" not in first
    assert len(answering.readings_of("시장이 크다는게 무슨말이에요?")) == 2


def test_a_comparison_against_what_the_document_says_of_its_subject_is_answered_no(client: TestClient) -> None:
    # The document: text is the easiest data to collect. "Harder than photos?" is a no.
    harder = conversation(client, "글이 사진보다 모으기 어렵죠?")[0]
    assert opening(harder).startswith("아니요") and "쉬운" in opening(harder)
    easier = conversation(client, "글이 사진보다 모으기 쉽죠?")[0]
    assert opening(easier).startswith("네") and "쉬운" in opening(easier)
    # The same claim read from the side the subject is set against.
    photos = conversation(client, "사진이 글보다 모으기 쉽죠?")[0]
    assert opening(photos).startswith("아니요") and "쉬운" in opening(photos)
    assert selecting.comparative_direction("Is text harder to collect than photos?") == 1


def test_a_comparison_with_its_other_side_unsaid_is_answered_no_when_the_document_says_the_opposite(
    client: TestClient,
) -> None:
    # The document: GPT-3.5 turbo costs a tenth as much.
    _, pricier = conversation(client, "챗봇 비용 예시 조건이 정확히 뭐예요?", "터보 모델이 더 비싼거죠?")
    assert opening(pricier).startswith("아니요") and "10분의 1" in opening(pricier)


def test_an_english_is_it_true_that_question_is_answered_from_the_document(client: TestClient) -> None:
    # "true" in the frame names nothing the document lacks.
    decoder = conversation(client, "Is it true that GPT uses only the decoder?")[0]
    assert opening(decoder).startswith("Yes") and "decoder" in opening(decoder)
    launch = conversation(client, "Is it true that ChatGPT came out in 2022?")[0]
    assert "doesn't say" not in opening(launch) and "2022" in opening(launch)


def test_a_comparison_is_set_against_a_claim_only_on_the_scale_both_speak_of() -> None:
    assert selecting.contradicts("글이 사진보다 모으기 어렵죠?", "텍스트 데이터는 모으기 쉬워요?")
    assert not selecting.contradicts("LLM이 더 쉽죠?", "LLM은 데이터가 많아요?")


def test_laughter_after_a_yes_no_question_leaves_it_a_yes_no_question() -> None:
    assert answering.question_kind("AGI 나오면 소믈리에는 없어지나요 ㅎㅎ") == "yes_no"
    assert answering.question_kind("그것도 생성형 AI 맞죠?ㅋㅋ") == "yes_no"
    assert answering.question_kind("AGI가 머에요 ㅋㅋ") == "what"
    # A request ending in a full stop is not a yes or no.
    assert answering.question_kind("GPT의 약자와 한국어 번역을 정확히 알려주세요.") != "yes_no"


def test_a_short_verb_before_a_casual_noun_meets_its_other_forms() -> None:
    # "더 싼건 없어요?" (싸 + ㄴ + 건) shares its word with "더 싸게 쓸 방법도 있어요?".
    assert answering.similarity("더 싼건 없어요?", "더 싸게 쓸 방법도 있어요?") > 0
