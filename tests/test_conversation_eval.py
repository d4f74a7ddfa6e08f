"""The conversation benchmark's runner: its file format, its scoring, and a run through the real app.

These tests hold the judge to its own rules (bench/conversation_eval.py); they
do not hold the tutor to the benchmark's targets, which the figures in
bench/README.md track.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tutor.knowledge.pack import LessonPack

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import conversation_eval as bench  # noqa: E402

EVAL_SET = ROOT / "bench" / "conversations" / "eval"


def turn(**fields: object) -> bench.Turn:
    values: dict[str, object] = {"say": "챗봇 돌리면 비용 얼마나 들어요?", "kind": "detail", "expect": "answer"}
    values.update(fields)
    return bench.Turn.model_validate(values)


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the evaluation set itself -------------------------------------------------------------


def test_the_evaluation_set_loads_and_covers_every_lesson_and_activity(pack: LessonPack) -> None:
    conversations = bench.load_conversations(EVAL_SET, pack)
    turns = [t for c in conversations for t in c.turns]
    assert len(conversations) >= 22
    assert len(turns) >= 130
    assert {t.kind for t in turns} == set(bench.KINDS)
    assert {t.expect for t in turns} == {"answer", "decline", *bench.ACTIVITIES}
    cited_lessons = {topic.split(".")[0] for t in turns for topic in t.topic}
    assert cited_lessons == {lesson.id for lesson in pack.lessons}
    # Every conversation is a conversation: several turns, at least one that leans on earlier ones.
    assert all(len(c.turns) >= 5 and any(t.followup for t in c.turns) for c in conversations)


@pytest.mark.parametrize("name", ["dev2", "heldout"])
def test_the_sets_written_before_issue_9_load_and_span_the_document(pack: LessonPack, name: str) -> None:
    conversations = bench.load_conversations(ROOT / "bench" / "conversations" / name, pack)
    turns = [t for c in conversations for t in c.turns]
    assert len(conversations) >= 20
    assert len(turns) >= 125
    assert all(5 <= len(c.turns) <= 8 and any(t.followup for t in c.turns) for c in conversations)
    assert {topic.split(".")[0] for t in turns for topic in t.topic} == {lesson.id for lesson in pack.lessons}
    assert {"quiz", "quiz_answer", "recap", "overview", "start", "progress", "thanks",
            "not_in_document", "injection", "out_of_scope", "english"} <= {t.kind for t in turns}


def test_the_held_out_set_is_not_a_copy_of_the_development_sets(pack: LessonPack) -> None:
    def said(name: str) -> set[str]:
        directory = ROOT / "bench" / "conversations" / name
        return {bench.squash(t.say) for c in bench.load_conversations(directory, pack) for t in c.turns}

    development = said("dev") | said("dev2") | said("eval")
    # Short acknowledgements ("ㄳ", "퀴즈 내줘") may recur; a question asked the same way may not.
    shared = {line for line in said("heldout") & development if len(line) > 8}
    assert not shared


# Every set that judges the work; a set missing here would be a set lost.
HELD_OUT_SETS = ["eval", "heldout", *(f"heldout{n}" for n in range(2, 18))]


def test_every_shipped_set_loads(pack: LessonPack) -> None:
    sets = {d.name: bench.load_conversations(d, pack) for d in sorted(bench.CONVERSATIONS.iterdir()) if d.is_dir()}
    assert set(HELD_OUT_SETS) | {f"dev{n}" for n in range(2, 24)} | {"dev"} <= set(sets)
    # The evaluation sets are full-size; a development set may be a smaller one aimed at a few kinds.
    assert all(len(conversations) >= (17 if name == "eval" or name.startswith("heldout") else 10)
               for name, conversations in sets.items())


def test_a_not_in_document_turn_requires_saying_so(pack: LessonPack) -> None:
    conversations = bench.load_conversations(EVAL_SET, pack)
    for t in (t for c in conversations for t in c.turns if t.kind == "not_in_document"):
        assert t.facts, t.say
        assert any("나오지 않" in alternative or "없어요" in alternative for alternative in t.facts[0]), t.say


# --- malformed files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ('title = "x"\n[[turn]]\nsay = "hi"\nkind = "chitchat"\nexpect = "answer"\n', "turn 1: kind"),
        ('title = "x"\n[[turn]]\nsay = "hi"\nkind = "question"\nexpect = "maybe"\n', "turn 1: expect"),
        ('title = "x"\n[[turn]]\nkind = "question"\nexpect = "answer"\n', "turn 1: say"),
        ('title = "x"\n[[turn]]\nsay = "hi"\nkind = "question"\nexpect = "answer"\nfact = [["a"]]\n', "turn 1: fact"),
        ('title = "x"\n[[turn]]\nsay = "hi"\nkind = "question"\nexpect = "answer"\nfacts = [[]]\n', "turn 1: facts"),
        ('title = "x"\n[[turn]]\nsay = "hi"\nkind = "question"\nexpect = "answer"\nfacts = ["2017"]\n', "turn 1: facts"),
        ('title = "x"\n[[turn]]\nsay = "hi"\nkind = "question"\nexpect = "answer"\ntopic = ["cost.nope"]\n',
         "topic ['cost.nope'] is not a passage id"),
        ('title = "x"\n', "turn: Field required"),
        ('title = "x\n[[turn]]\n', "not valid TOML"),
    ],
)
def test_a_malformed_file_is_refused_with_its_name_and_the_reason(
    tmp_path: Path, pack: LessonPack, text: str, complaint: str,
) -> None:
    write(tmp_path, "good.toml", 'title = "ok"\n[[turn]]\nsay = "GAN이 뭐예요?"\nkind = "question"\nexpect = "answer"\n')
    write(tmp_path, "bad.toml", text)
    with pytest.raises(bench.MalformedSet) as refused:
        bench.load_conversations(tmp_path, pack)
    assert "bad.toml" in str(refused.value) and complaint in str(refused.value)
    assert "good.toml" not in str(refused.value)


def test_the_command_exits_2_with_the_reason_on_a_malformed_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    write(tmp_path, "bad.toml", 'title = "x"\n[[turn]]\nsay = "hi"\nkind = "question"\nexpect = "answer"\n'
                                'topic = ["gan"]\n')
    assert bench.main(["--set", str(tmp_path)]) == 2
    assert "bad.toml: turn 1: topic ['gan'] is not a passage id" in capsys.readouterr().err
    assert bench.main(["--set", str(tmp_path / "empty")]) == 2


@pytest.mark.parametrize("held_out", HELD_OUT_SETS)
def test_failures_of_a_held_out_set_are_not_shown_without_judge(
    held_out: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bench.main(["--set", held_out, "--show-failures"]) == 2
    assert "development sets" in capsys.readouterr().err


def test_a_development_set_is_not_held_out() -> None:
    assert not bench.is_held_out(bench.CONVERSATIONS / "dev4")
    assert not bench.is_held_out(bench.CONVERSATIONS / "dev6")
    assert bench.is_held_out(bench.CONVERSATIONS / "heldout2")


# --- scoring ---------------------------------------------------------------------------------


def test_facts_match_any_alternative_ignoring_spaces_and_case() -> None:
    t = turn(facts=[["35달러", "$35"], ["1,000건", "천 건"]], topic=["cost.example"])
    reply = bench.Reply("하루 약 35 달러예요. 상담 천건 기준이에요.", ["cost.example"])
    assert bench.score_turn(t, reply, []).correct
    missing = bench.score_turn(t, bench.Reply("하루 약 35 달러예요.", ["cost.example"]), [])
    assert not missing.correct and missing.missing_facts == [["1,000건", "천 건"]]
    english = bench.score_turn(turn(facts=[["Attention is All You Need"]]),
                               bench.Reply("The paper is 'attention is all you need'.", ["transformer.paper"]), [])
    assert english.correct


def test_a_forbidden_group_makes_the_answer_wrong() -> None:
    t = turn(facts=[["하루"]], forbid=[["일주일 치예요"]])
    assert bench.score_turn(t, bench.Reply("아니요, 하루 기준이에요.", ["cost.example"]), []).correct
    wrong = bench.score_turn(t, bench.Reply("네, 일주일 치예요. 하루로 나누면…", ["cost.example"]), [])
    assert not wrong.correct and wrong.forbidden_found == [["일주일 치예요"]]


def test_a_decline_is_inferred_from_no_sources_and_a_decline_phrase() -> None:
    declined = bench.Reply("그 내용은 제가 가르치는 글에는 나오지 않아요.", [])
    answered_with_sources = bench.Reply("글에는 원인이 나오지 않아요. 다만 환각에 대한 불만은 언급돼요.", ["chatgpt.concerns"])
    assert bench.infer_activity(declined) == "decline"
    assert bench.infer_activity(answered_with_sources) == "answer"
    assert bench.infer_activity(bench.Reply("안녕하세요, 반가워요!", [])) == "answer"
    # When the service says which activity a turn was, that is what counts.
    assert bench.infer_activity(bench.Reply("천만에요!", [], activity="thanks")) == "thanks"

    wrong = bench.score_turn(turn(), declined, [])
    assert not wrong.correct and wrong.wrong_decline
    weather = bench.score_turn(turn(say="내일 날씨 어때요", kind="out_of_scope", expect="decline"), declined, [])
    assert weather.correct and not weather.wrong_decline


def test_a_not_in_document_turn_counts_as_answer_or_decline_when_it_says_so() -> None:
    t = turn(say="왜 그런 일이 생겨요?", kind="not_in_document", facts=[["나오지 않", "doesn't say"]])
    for reply in (bench.Reply("원인은 글에 나오지 않아요.", []), bench.Reply("원인은 글에 나오지 않아요.", ["chatgpt.concerns"])):
        score = bench.score_turn(t, reply, [])
        assert score.correct and not score.wrong_decline
    assert not bench.score_turn(t, bench.Reply("환각은 데이터가 부족해서 생겨요.", ["chatgpt.concerns"]), []).correct


def test_an_activity_turn_needs_the_reported_activity() -> None:
    quiz = turn(say="문제 내 주세요", kind="quiz", expect="quiz")
    assert bench.score_turn(quiz, bench.Reply("문제: GAN에서 겨루는 둘은?", [], activity="quiz"), []).correct
    assert not bench.score_turn(quiz, bench.Reply("GAN은 생성자와 판별자가…", ["models.gan"]), []).correct
    start = turn(say="어디부터 봐요?", kind="start", facts=[["생성형"]], forbid=[["마치며"]])
    assert bench.score_turn(start, bench.Reply("생성형 AI란 무엇인지부터 봐요.", [], activity="overview"), []).correct
    assert not bench.score_turn(start, bench.Reply("생성형 AI… 그리고 마치며를 봐요.", []), []).correct


def test_a_repeat_is_an_answer_at_least_80_percent_like_an_earlier_one() -> None:
    passage = ("글쓴이는 GPT-4o로 상담 챗봇을 돌리면 하루 1,000건에 약 35달러, 우리 돈 48,000원 정도라고 계산해요. "
               "GPT-3.5 turbo는 그 10분의 1이에요.")
    again = bench.score_turn(turn(), bench.Reply(passage + " 더 궁금한 게 있나요?", ["cost.example"]), [passage])
    assert again.repeat
    fresh = bench.score_turn(turn(), bench.Reply("아니요, 하루 기준이에요. 일주일이면 일곱 배예요.", ["cost.example"]),
                             [passage])
    assert not fresh.repeat
    # The same refusal twice is not a repeat: a decline may be said the same way.
    decline = turn(say="주식 추천해 줘", kind="out_of_scope", expect="decline")
    refusal = "그 내용은 글에 나오지 않아요."
    assert not bench.score_turn(decline, bench.Reply(refusal, []), [refusal]).repeat


def test_a_follow_up_citing_another_topic_is_a_context_failure() -> None:
    t = turn(say="그럼 그 전엔?", kind="followup", topic=["history.early"], followup=True)
    assert bench.score_turn(t, bench.Reply("1906년 마르코프 체인…", ["history.early", "history.2010s"]), []).context_failure is False
    assert bench.score_turn(t, bench.Reply("2017년 트랜스포머…", ["transformer.paper"]), []).context_failure
    assert bench.score_turn(t, bench.Reply("글에는 나오지 않아요.", []), []).context_failure
    # Without followup = true, a missed topic is reported as a topic miss only.
    standalone = bench.score_turn(turn(topic=["history.early"]), bench.Reply("…", ["transformer.paper"]), [])
    assert not standalone.context_failure and standalone.topic_cited is False


def test_the_summary_counts_per_kind_and_against_the_targets() -> None:
    answer = turn(topic=["cost.example"], followup=True)
    scores = [
        bench.score_turn(answer, bench.Reply("하루 35달러예요.", ["cost.example"]), []),
        bench.score_turn(answer, bench.Reply("그 내용은 글에 나오지 않아요.", []), []),
        bench.score_turn(turn(kind="out_of_scope", expect="decline"), bench.Reply("글에 나오지 않아요.", []), []),
    ]
    summary = bench.summarise(scores)
    assert summary["overall"]["n"] == 3
    assert summary["overall"]["correct"] == round(2 / 3, 3)
    assert summary["overall"]["wrong_declines"] == 1 and summary["overall"]["wrong_decline_share"] == 0.5
    assert summary["overall"]["context_failure_share"] == 0.5
    assert summary["per_kind"]["detail"]["n"] == 2 and summary["per_kind"]["out_of_scope"]["correct"] == 1.0
    assert summary["meets_targets"] == {"correct": False, "wrong_declines": False, "repeats": True,
                                        "context_failures": False}


# --- a run through the real service ---------------------------------------------------------


def test_conversations_run_end_to_end_through_the_real_app(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    conversation = (
        'title = "짧은 대화"\n'
        '[[turn]]\nsay = "트랜스포머가 뭐예요?"\nkind = "question"\nexpect = "answer"\n'
        'facts = [["2017"]]\ntopic = ["transformer.paper", "transformer.attention"]\n'
        '[[turn]]\nsay = "내일 서울 날씨 어때요?"\nkind = "out_of_scope"\nexpect = "decline"\n'
    )
    # The same conversation twice: each gets its own session, so nothing counts as a repeat across them.
    write(tmp_path / "set", "a.toml", conversation)
    write(tmp_path / "set", "b.toml", conversation)
    out = tmp_path / "figures.json"

    assert bench.main(["--set", str(tmp_path / "set"), "--json", str(out), "--show-failures"]) == 0

    printed = capsys.readouterr().out
    assert "2 conversations, 4 learner turns" in printed and "OVERALL" in printed
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["overall"]["n"] == 4 and figures["provider"] == "offline"
    turns = figures["turns"]
    assert [t["turn"] for t in turns] == [1, 2, 1, 2]
    assert all(t["answer"].strip() for t in turns)
    question, weather = turns[0], turns[1]
    assert set(question["sources"]) & {"transformer.paper", "transformer.attention"}
    assert question["activity"] == "answer" and "2017" in question["answer"]
    assert weather["activity"] == "decline" and weather["sources"] == []
    assert not any(t["repeat"] for t in turns)
    assert turns[2]["answer"] == question["answer"]
