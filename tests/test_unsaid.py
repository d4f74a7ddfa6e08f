"""A detail the document does not give is said plainly; a claim it makes the other way round is a plain no.

A learner asking who made something, what a term is exactly, or what will
happen, sees first that the document does not give that detail and then the
nearest thing it does say, never a nearby sentence passed off as the answer.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening
from tutor.knowledge import unsaid
from tutor.knowledge.pack import LessonPack


@pytest.mark.parametrize(
    "question",
    ["Claude 3.5 Sonnet 만든 회사가 어디예요?", "이 글 쓴 사람 이름이 뭐예요?"],
)
def test_a_maker_or_author_the_document_never_names_is_said_plainly(client: TestClient, question: str) -> None:
    answer = conversation(client, question)[0]
    assert "나오지 않" in opening(answer)
    assert answer["sources"], "the nearest thing the document says still follows"


def test_which_company_in_english_is_said_plainly_too(client: TestClient) -> None:
    answer = conversation(client, "Which company makes Llama 3?")[0]
    assert opening(answer).startswith(("The document doesn't", "That isn't covered"))


@pytest.mark.parametrize(("question", "term", "nearest"), [("토큰의 정확한 뜻이 뭐예요?", "토큰", "조각"),
                                                          ("What exactly is hallucination?", "hallucination", "untrue")])
def test_an_exact_definition_of_a_term_named_in_passing_is_not_claimed(
    client: TestClient, question: str, term: str, nearest: str
) -> None:
    answer = conversation(client, question)[0]
    first = opening(answer).lower()
    assert term in answer["content"].lower() and any(says in first for says in ("나오지 않", "설명하지 않", "doesn't define", "doesn't explain"))
    # The nearest thing it does say comes with it.
    assert nearest in answer["content"]


def test_an_exact_definition_of_a_topic_the_document_teaches_is_answered(client: TestClient) -> None:
    answer = conversation(client, "LLM이 정확히 뭐예요?")[0]
    assert "나오지 않" not in answer["content"] and "거대언어모델" in opening(answer)


def test_what_will_happen_is_not_answered_by_a_nearby_fact(client: TestClient) -> None:
    _, jobs = conversation(client, "코딩 몰라도 AI로 프로그램 만들 수 있어요?", "그럼 번역가들은 다 일 없어지겠네요")
    assert opening(jobs).startswith("앞으로 어떻게 될지는 이 글에 나오지 않아요")
    assert not jobs["content"].split("\n\n")[1].startswith(("네", "아니요"))


def test_a_yes_no_about_a_thing_the_answer_never_names_says_the_document_does_not_say(client: TestClient) -> None:
    answer = conversation(client, "ChatGPT가 벌써 AGI예요?")[0]
    assert "나오지 않아요" in opening(answer)
    assert "목표" in answer["content"].split("\n\n")[1]  # the nearest thing: AGI is a goal


@pytest.mark.parametrize(
    ("question", "said"),
    [("GAN이 디퓨전 모델보다 그림 더 잘 만들죠?", "확산 모델"), ("Is GAN better than diffusion models?", "Diffusion models")],
)
def test_a_comparison_the_document_makes_the_other_way_round_is_a_plain_no(
    client: TestClient, question: str, said: str
) -> None:
    first = opening(conversation(client, question)[0])
    assert first.startswith(("아니요", "No")) and said.lower() in first.lower() and ("GAN보다" in first or "than GANs" in first)


@pytest.mark.parametrize(
    ("question", "opposite"),
    [("GAN이 확산 모델보다 좋죠?", True), ("확산 모델이 GAN보다 못하죠?", True),
     ("GAN이 확산 모델보다 못하죠?", False), ("확산 모델이 GAN보다 좋죠?", False)],
)
def test_a_sentence_is_the_opposite_claim_only_when_the_comparison_points_the_other_way(
    question: str, opposite: bool
) -> None:
    # Which side comes first and whether the predicate says more or less both count:
    # the other way round with the opposite predicate agrees with the document.
    said = "확산 모델은 대체로 GAN보다 좋은 편이에요."
    assert bool(unsaid.reversed_claim(question, [said])) is opposite


def test_a_comparison_asked_with_the_opposite_predicate_that_agrees_is_a_yes(client: TestClient) -> None:
    assert opening(conversation(client, "GAN이 디퓨전 모델보다 못하죠?")[0]).startswith("네")


def test_an_outcome_the_document_speaks_of_in_other_words_is_not_called_unsaid(pack: LessonPack) -> None:
    # "성능" is a word the document uses: the answer ("글을 만드는 목적에는 충분해요")
    # may say it in other words, so it is not declared missing.
    answer = "GPT는 인코더를 빼고 디코더만 써요. 글을 만들어 내는 목적에는 그것으로 충분하다고 해요."
    assert unsaid.missing_slot("인코더를 빼면 성능이 떨어지나요?", "yes_no", answer, pack) == ""
    assert unsaid.missing_slot("AGI 나오면 배달 일자리 없어짐?", "yes_no", "AGI는 목표예요.", pack) == "consequence"


def test_whether_the_document_mentions_a_thing_it_never_names_is_said_plainly(client: TestClient) -> None:
    answer = conversation(client, "주식 예측하는 AI도 나오나요?")[0]
    assert opening(answer).startswith("그 질문의 답은 글에 나오지 않아요")
    assert "예측" in answer["content"].split("\n\n")[1]  # the nearest thing: prediction, as older AI did it


def test_asking_whether_something_is_possible_or_which_ones_exist_is_not_a_mention_question(pack: LessonPack) -> None:
    assert unsaid.asked_slot("제 그림 학습한 회사 고소할 수 있을까요?", "yes_no") == ""
    assert unsaid.asked_slot("그림 만드는 ai 종류가 여러개라던데 머머 있어요?", "yes_no") == ""
    assert unsaid.missing_slot("오픈소스 모델도 있어요?", "yes_no", "네, 글은 성능 좋은 오픈 소스 모델로 Llama 3를 들어요.", pack) == ""


def test_a_thing_named_with_what_makes_it_new_is_not_answered_by_the_plain_thing(pack: LessonPack) -> None:
    # The answer speaks of jobs replaced, not of jobs newly made.
    replaced = "여러 가지 일에서 사람을 대신할 수 있어요. LLM으로 인건비를 아낄 수 있어요."
    assert unsaid.missing_slot("AI 때문에 새로 생기는 직업도 있나요?", "yes_no", replaced, pack) == "mention"
    # Asking whether the document says a claim it does say is answered by that claim.
    said = "네, 글은 여러 작업에서 사람을 대신할 수 있다고 해요."
    assert unsaid.missing_slot("LLM이 사람을 대체한다는 얘기가 글에 있나요?", "yes_no", said, pack) == ""
    assert unsaid.asked_slot("LLM을 쉽게 설명해줄수있어요?", "yes_no") == ""


def test_who_can_use_it_is_not_a_question_about_a_maker(pack: LessonPack) -> None:
    everyone = "말을 할 줄 아는 사람이라면 누구나 쓸 수 있어요."
    assert unsaid.missing_slot("LLM은 누가 쓸 수 있어요?", "who", everyone, pack) == ""
    assert unsaid.missing_slot("Claude는 누가 만들었어요?", "who", "GPT-4o나 Claude 3.5 Sonnet을 써 보셨다면", pack) == "who"


def test_a_guess_about_the_past_is_not_taken_for_a_question_about_the_future(client: TestClient) -> None:
    # "없었겠네요" guesses at the past (었 + 겠); only "없어지겠네요" asks what will happen.
    _, then = conversation(client, "생성형 AI는 언제부터 있었어요?", "그때는 컴퓨터도 별로 없었겠네요?")
    assert "앞으로 어떻게 될지" not in then["content"]
    # The guess is right, asked in the negative: yes, there were hardly any computers yet.
    assert opening(then).startswith("네") and ("컴퓨터" in opening(then) or "PC" in opening(then))


def test_checking_which_year_a_remembered_detail_belongs_to_gets_that_detail(client: TestClient) -> None:
    # "…얘기지?" names nothing the document lacks, and "개인용 PC" is the document's "개인용 컴퓨터".
    _, check = conversation(client, "생성형 AI는 언제부터 있었어요?",
                            "개인용 PC도 없었을 때라고 했던 거 같은데 그게 1964년 얘기지?")
    assert "나오지 않" not in check["content"]
    assert "개인용 컴퓨터" in check["content"] or "PC" in check["content"]


def test_a_title_asked_exactly_is_given_without_a_claim_that_it_is_undefined(client: TestClient) -> None:
    # A name or a title is answered by the name; only a term's exact definition can be missing.
    answer = conversation(client, "트랜스포머가 처음 알려진 논문 제목이 정확히 뭐였죠?")[0]
    assert "정의" not in answer["content"] and "나오지 않" not in answer["content"]
    assert "Attention is All You Need" in opening(answer)


def test_what_the_author_said_exactly_is_quoted_not_declared_undefined(client: TestClient) -> None:
    # "정확히 뭐라고 했어요?" asks for the author's words, not for a definition.
    answer = conversation(client, "글쓴이가 마지막에 해 봐야 안다는 말 했던데 정확히 뭐라고 했어요?")[0]
    assert "정의" not in answer["content"] and "나오지 않" not in answer["content"]
    assert "느끼" in answer["content"] or "느껴" in answer["content"]


def test_whether_the_document_says_a_question_inside_the_question_is_a_mention_question() -> None:
    # "…어떤 업체에 맡기면 되는지도 나와요?" asks whether the document says it, though it holds "어떤".
    assert unsaid.asked_slot("캠핑장 예약 챗봇 만들려면 어떤 업체에 맡기면 되는지도 나와요?", "what") == "mention"
    assert unsaid.asked_slot("GAN이 뭔지 나와요?", "what") == "mention"
    assert unsaid.asked_slot("다른 모델은 뭐뭐 있어요?", "what") == ""


def test_a_number_opening_an_answer_is_not_taken_for_a_yes() -> None:
    assert unsaid.without_verdict("네 번째 이유는 사람을 대신할 수 있다는 점이에요.").startswith("네 번째")
    assert unsaid.without_verdict("네, 맞아요.") == "맞아요."


@pytest.mark.parametrize("question", ["LLM이 부동산 계약서에서 빠진 조항을 찾아 주나요?"])
def test_a_task_or_advice_about_a_thing_the_document_never_names_is_said_plainly(
        client: TestClient, question: str) -> None:
    answer = conversation(client, question)[0]
    assert "나오지 않" in opening(answer)


def test_a_task_the_document_speaks_of_is_answered(client: TestClient) -> None:
    answer = conversation(client, "LLM이 번역도 해 주나요?")[0]
    assert "나오지 않" not in opening(answer)


@pytest.mark.parametrize("question", ["오늘 환율로 정확히 얼마예요?", "오늘 환율로 원화로 정확히 얼마예요?"])
def test_todays_rate_after_the_cost_gives_the_figure_the_document_gives(client: TestClient, question: str) -> None:
    # Not a bare "that isn't covered": the reason, then the nearest figure it does give.
    _, rate = conversation(client, "LLM 쓰면 비용이 얼마나 들어요?", question)
    assert "나오지 않" in opening(rate)
    assert "35달러" in rate["content"] and "48,000원" in rate["content"]
    assert "cost.example" in [source["id"] for source in rate["sources"]]


def test_an_amount_asked_in_won_in_english_gives_the_dollar_figure(client: TestClient) -> None:
    _, rate = conversation(client, "how much does running a chatbot cost", "what's that exactly in won at today's exchange rate")
    assert opening(rate).startswith("The document doesn't")
    assert "$35" in rate["content"] and "48,000" in rate["content"]


@pytest.mark.parametrize("question", ["우리 가게에 도입하면 얼마 들어요?", "저희 병원에 도입하면 얼마 들어요?"])
def test_the_learners_own_case_is_not_answered_with_the_example_as_if_it_were_theirs(
    client: TestClient, question: str
) -> None:
    _, own = conversation(client, "멀티모달이 뭐예요?", question)
    assert "나오지 않" in opening(own)
    assert "35달러" in own["content"], "the example the document works out is the nearest thing"


def test_a_price_of_the_time_keeps_to_the_period_under_way(client: TestClient) -> None:
    _, price = conversation(client, "생성형 AI는 언제부터 있었어요?", "그때 컴퓨터 한 대 가격은 얼마였어요?")
    assert "나오지 않" in opening(price) and "history.early" in [source["id"] for source in price["sources"]]


def test_in_won_is_not_the_learners_own_case() -> None:
    assert unsaid.asked_slot("우리 돈으로 얼마예요?", "how_much") == ""
    assert unsaid.asked_slot("우리 회사에 도입하면 얼마 들어요?", "how_much") == "own"


@pytest.mark.parametrize(("question", "first", "second"), [
    ("비용은 얼마고 더 싸게 하려면요?", "35달러", "10분의 1"),
    ("멀티모달이 뭐고 예시 하나만 들어줄래요", "여러 종류", "Gemini"),
])
def test_two_questions_in_one_turn_are_both_answered_up_front(client: TestClient, question: str, first: str,
                                                             second: str) -> None:
    answer = conversation(client, question)[0]
    top = "\n\n".join(answer["content"].split("\n\n")[:2])
    assert first in top and second in top


def test_two_things_joined_are_not_two_questions() -> None:
    from tutor.knowledge.answering import first_of_two

    assert first_of_two("비용은 얼마고 더 싸게 하려면요?") == "비용은 얼마예요?"
    assert first_of_two("LLM하고 트랜스포머는 무슨 관계예요?") == ""
    assert first_of_two("LLM이 뭐예요?") == ""


def test_a_date_finer_than_the_year_is_said_plainly_with_the_year(client: TestClient) -> None:
    month = conversation(client, "ChatGPT는 정확히 몇 월에 나왔어요?")[0]
    assert "나오지 않" in opening(month) and "2022" in month["content"]
    year = conversation(client, "ChatGPT는 언제 나왔어요?")[0]
    assert "나오지 않" not in year["content"] and "2022" in opening(year)


@pytest.mark.parametrize("question", [
    "라마3는 어떻게 다운받아요?", "GPT-4o API 키는 어디서 받아요?", "어텐션 계산하는 수식좀", "How do I install Llama 3?",
])
def test_hands_on_steps_an_explainer_never_gives_are_said_plainly(client: TestClient, question: str) -> None:
    answer = conversation(client, question)[0]
    assert opening(answer).startswith(("그 질문의 답은 글에 나오지 않", "The document doesn't")) or "나오지 않" in opening(answer)
    assert answer["sources"], "the nearest thing the document says still follows"


def test_where_a_thing_is_used_is_no_step_to_take(client: TestClient) -> None:
    answer = conversation(client, "VAE는 어디서 사용해요?")[0]
    assert "나오지 않" not in answer["content"] and "의료" in answer["content"]


def test_what_came_of_an_event_the_document_never_names_is_said_plainly(client: TestClient) -> None:
    lawsuit = conversation(client, "저작권 소송 같은 건 어떻게 됐어요?")[0]
    assert "나오지 않" in opening(lawsuit)
    assert any("논란" in source["title"] for source in lawsuit["sources"]), "the nearest thing: the passage on controversies"


@pytest.mark.parametrize(("question", "maker"), [
    ("AGI는 어떤 회사가 제일 먼저 만들까요?", ""), ("GPT-4o는 어떤 회사가 만들었어요?", "OpenAI"),
])
def test_which_company_makes_it_is_a_maker_asked(client: TestClient, question: str, maker: str) -> None:
    answer = conversation(client, question)[0]
    if maker:
        assert maker in opening(answer) and "나오지 않" not in answer["content"]
    else:
        assert "나오지 않" in opening(answer)


def test_how_a_thing_works_inside_is_not_claimed_from_a_mention(client: TestClient) -> None:
    answer = conversation(client, "ㅇㅋ 근데 학습은 내부적으로 어케 돌아가요")[0]
    assert "나와 있지 않" in opening(answer) or "나오지 않" in opening(answer)


@pytest.mark.parametrize(("question", "turned"), [
    ("반대로 GAN이 확산 모델보다 나은 점은 뭐예요?", "반대로"),
    ("What is GAN better at than diffusion models?", "opposite"),
])
def test_an_advantage_asked_the_other_way_round_is_not_passed_off_as_an_answer(
        client: TestClient, question: str, turned: str) -> None:
    first = opening(conversation(client, question)[0])
    assert turned in first and ("GAN보다" in first or "than GAN" in first)


def test_an_advantage_the_document_states_is_answered_without_a_turn(client: TestClient) -> None:
    first = opening(conversation(client, "확산 모델이 GAN보다 나은 점은 뭐예요?")[0])
    assert "반대" not in first and "GAN보다" in first
