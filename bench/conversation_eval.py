"""Conversation benchmark: does the tutor answer what the learner asked, turn after turn?

    python bench/conversation_eval.py [--set eval|dev|DIR] [--json FILE] [--show-failures]
                                      [--provider offline|auto|openai|anthropic]

Every conversation in ``bench/conversations/<set>/*.toml`` is played through the
real service in-process (``create_app`` over its HTTP API, a fresh temporary
SQLite database, no rate limits, no streaming delay), one session per
conversation, each learner turn posted with ``Accept: application/json``.
Each answer is scored against what the turn expects:

- **correct**: expect "answer": not a decline, every ``facts`` group present,
  no ``forbid`` group present; expect "decline": the turn was a decline;
  expect an activity ("quiz", "recap", ...): the answer's ``activity`` matches
  (and the facts, when given). A ``not_in_document`` turn is correct with either
  an answer or a decline, as long as its facts (the "the document does not say"
  phrases) are present; a ``start`` turn that expects an answer also accepts the
  "overview" activity. Facts are matched after removing spaces and case-folding.
- **wrong decline**: the turn expected an answer or an activity and got a decline.
- **repeat**: the answer is >= 80 % similar (difflib ratio) to an earlier answer
  in the same conversation (turns that expect a decline are not counted: a
  refusal may be said the same way twice).
- **context failure**: a ``followup = true`` turn with a ``topic`` whose cited
  sources include none of the topic's passages (a decline cites none).

The answer's ``activity`` comes from the JSON answer when the service reports
it; otherwise it is inferred: no sources and a decline phrase is "decline",
anything else "answer".

``--show-failures`` prints every failing turn with its answer. It is for the
development sets (``--set dev``, ``dev2``, ...): the failures of the evaluation
and held-out sets (``eval``, ``heldout*``) are never read by whoever changes
the tutor, so the script refuses to print them, and ``--json`` leaves their
turns out, unless ``--judge`` is given as well. The exit code is 0 whatever the scores (it is a
benchmark), 2 when a conversation file is malformed.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutor.knowledge.pack import LessonPack, load_pack  # noqa: E402

CONVERSATIONS = ROOT / "bench" / "conversations"
KINDS = (
    "question", "casual", "context_clause", "followup", "yes_no", "detail", "compare", "why",
    "example", "simpler", "misconception", "not_in_document", "english", "out_of_scope",
    "injection", "task", "quiz", "quiz_answer", "recap", "overview", "start", "progress", "thanks",
)
ACTIVITIES = ("quiz", "quiz_result", "recap", "overview", "progress", "thanks", "greeting")
EXPECTS = ("answer", "decline", *ACTIVITIES)
TARGETS = {"correct": 0.90, "wrong_declines": 0.02, "repeats": 0, "context_failures": 0.05}
REPEAT_RATIO = 0.80
# How the tutor says "I won't answer that", in either language, when it cites nothing.
DECLINE_PHRASES = (
    "나오지 않", "다루지 않", "들어드리기 어려", "도와드리기 어려", "답하지는 않", "답해 드릴 수 없",
    "도와드릴 수 없", "드릴 수 없", "isn't covered", "not covered", "can't help", "cannot help",
    "won't make up", "doesn't cover", "does not cover",
)

Group = list[str]


def squash(text: str) -> str:
    """Spaces removed and case folded: how facts are matched against an answer."""
    return "".join(text.split()).casefold()


class Turn(BaseModel):
    """One learner turn and what a correct reply does."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    say: str = Field(min_length=1)
    kind: Literal[KINDS]  # type: ignore[valid-type]
    expect: Literal[EXPECTS]  # type: ignore[valid-type]
    facts: list[Group] = []
    forbid: list[Group] = []
    topic: list[str] = []
    followup: bool = False
    note: str = ""  # optional: why the turn is there, for the person reading the file

    @field_validator("facts", "forbid")
    @classmethod
    def _groups_are_not_empty(cls, groups: list[Group]) -> list[Group]:
        for group in groups:
            if not group or any(not squash(alternative) for alternative in group):
                raise ValueError("every group needs at least one non-blank alternative")
        return groups


class Conversation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    title: str = Field(min_length=1)
    turns: list[Turn] = Field(alias="turn", min_length=1)
    note: str = ""
    path: str = ""


class MalformedSet(Exception):
    """A conversation file that cannot be scored; the message says which and why."""


def load_conversations(directory: Path, pack: LessonPack) -> list[Conversation]:
    """Every ``*.toml`` in ``directory``, validated, topic ids checked against the pack."""
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise MalformedSet(f"no conversation files (*.toml) in {directory}")
    passage_ids = set(pack.passages)
    problems: list[str] = []
    conversations: list[Conversation] = []
    for path in files:
        name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            conversation = Conversation.model_validate({**data, "path": str(name)})
        except tomllib.TOMLDecodeError as exc:
            problems.append(f"{name}: not valid TOML: {exc}")
            continue
        except ValidationError as exc:
            problems += [f"{name}: {where(error['loc'])}: {error['msg']}" for error in exc.errors()]
            continue
        for number, turn in enumerate(conversation.turns, 1):
            unknown = [topic for topic in turn.topic if topic not in passage_ids]
            if unknown:
                problems.append(f"{name}: turn {number}: topic {unknown} is not a passage id of the lesson pack")
        conversations.append(conversation)
    if problems:
        raise MalformedSet("\n".join(problems))
    return conversations


def where(location: tuple[Any, ...]) -> str:
    """A validation error's place as a person counts it: "turn 3: kind", not "turn.2.kind"."""
    parts = list(location)
    if len(parts) >= 2 and parts[0] == "turn" and isinstance(parts[1], int):
        head = f"turn {parts[1] + 1}"
        return f"{head}: {'.'.join(str(p) for p in parts[2:])}" if parts[2:] else head
    return ".".join(str(p) for p in parts)


@dataclass
class Reply:
    """What the service answered to one turn."""

    text: str
    sources: list[str]
    activity: str | None = None  # as reported by the service; None when it does not say
    status: str = "complete"


def infer_activity(reply: Reply) -> str:
    if reply.activity:
        return reply.activity
    if reply.status == "failed":
        return "error"
    lowered = reply.text.casefold()
    if not reply.sources and any(phrase in lowered for phrase in DECLINE_PHRASES):
        return "decline"
    return "answer"


def groups_present(text: str, groups: list[Group]) -> list[bool]:
    squashed = squash(text)
    return [any(squash(alternative) in squashed for alternative in group) for group in groups]


@dataclass
class Score:
    """The verdict on one turn."""

    conversation: str
    number: int
    turn: Turn
    reply: Reply
    activity: str
    correct: bool
    wrong_decline: bool
    repeat: bool
    context_failure: bool
    topic_cited: bool | None
    missing_facts: list[Group] = field(default_factory=list)
    forbidden_found: list[Group] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return not self.correct or self.wrong_decline or self.repeat or self.context_failure


def score_turn(turn: Turn, reply: Reply, earlier: list[str], *, conversation: str = "", number: int = 0) -> Score:
    """Judge one reply; ``earlier`` holds the conversation's earlier answer texts."""
    activity = infer_activity(reply)
    declined = activity == "decline"
    present = groups_present(reply.text, turn.facts)
    missing = [group for group, ok in zip(turn.facts, present) if not ok]
    forbidden = [group for group, hit in zip(turn.forbid, groups_present(reply.text, turn.forbid)) if hit]
    facts_ok = not missing and not forbidden

    if turn.kind == "not_in_document":
        correct = activity in ("answer", "decline") and facts_ok
        wrong_decline = False
    elif turn.kind == "start" and turn.expect == "answer":
        # The contract has no "start" activity: pointing to the first lessons may be either.
        correct = activity in ("answer", "overview") and facts_ok
        wrong_decline = declined
    elif turn.expect == "answer":
        correct = activity == "answer" and facts_ok
        wrong_decline = declined
    elif turn.expect == "decline":
        correct = declined and not forbidden
        wrong_decline = False
    else:
        correct = activity == turn.expect and facts_ok
        wrong_decline = declined

    repeat = turn.expect != "decline" and bool(reply.text.strip()) and any(
        difflib.SequenceMatcher(None, reply.text, before, autojunk=False).ratio() >= REPEAT_RATIO
        for before in earlier if before.strip()
    )
    topic_cited = None if not turn.topic else any(source in turn.topic for source in reply.sources)
    context_failure = turn.followup and topic_cited is False
    return Score(conversation, number, turn, reply, activity, correct, wrong_decline, repeat,
                 context_failure, topic_cited, missing, forbidden)


@dataclass
class Tally:
    n: int = 0
    correct: int = 0
    non_decline: int = 0  # turns where a decline would be wrong
    wrong_declines: int = 0
    repeats: int = 0
    context_turns: int = 0  # follow-ups with a topic
    context_failures: int = 0
    topic_turns: int = 0
    topic_cited: int = 0

    def add(self, score: Score) -> None:
        self.n += 1
        self.correct += score.correct
        if score.turn.expect != "decline" and score.turn.kind != "not_in_document":
            self.non_decline += 1
            self.wrong_declines += score.wrong_decline
        self.repeats += score.repeat
        if score.turn.followup and score.turn.topic:
            self.context_turns += 1
            self.context_failures += score.context_failure
        if score.topic_cited is not None:
            self.topic_turns += 1
            self.topic_cited += score.topic_cited

    def figures(self) -> dict[str, Any]:
        def share(part: int, whole: int) -> float | None:
            return round(part / whole, 3) if whole else None

        return {
            "n": self.n,
            "correct": share(self.correct, self.n),
            "wrong_declines": self.wrong_declines,
            "wrong_decline_share": share(self.wrong_declines, self.non_decline),
            "repeats": self.repeats,
            "context_failures": self.context_failures,
            "context_failure_share": share(self.context_failures, self.context_turns),
            "topic_cited": share(self.topic_cited, self.topic_turns),
        }


def settings_for(provider: str, database: Path) -> Any:
    """The service's settings for one run: a throwaway database, no limits, no pacing."""
    from tutor.config import Settings

    overrides: dict[str, Any] = {
        "database_url": f"sqlite:///{database}", "offline_delay": 0.0, "rate_limit_enabled": False,
    }
    if provider == "offline":
        # The offline tutor needs nothing from the environment or .env.
        return Settings(provider="offline", _env_file=None, **overrides)
    if provider != "auto":
        overrides["provider"] = provider
    return Settings(**overrides)


def run_conversations(conversations: list[Conversation], settings: Any) -> list[Score]:
    """Play every conversation through the real app, one session each."""
    from fastapi.testclient import TestClient

    from tutor.api.app import create_app

    scores: list[Score] = []
    with TestClient(create_app(settings)) as client:
        for conversation in conversations:
            created = client.post("/v1/sessions")
            created.raise_for_status()
            session = created.json()
            headers = {"Authorization": f"Bearer {session['token']}", "Accept": "application/json"}
            earlier: list[str] = []
            for number, turn in enumerate(conversation.turns, 1):
                response = client.post(f"/v1/sessions/{session['id']}/messages",
                                       json={"content": turn.say}, headers=headers)
                reply = reply_from(response)
                scores.append(score_turn(turn, reply, earlier, conversation=conversation.path, number=number))
                earlier.append(reply.text)
    return scores


def reply_from(response: Any) -> Reply:
    if response.status_code != 200:
        return Reply(text=f"HTTP {response.status_code}: {response.text}", sources=[], status="failed")
    body = response.json()
    return Reply(
        text=body.get("content") or "",
        sources=[source["id"] for source in body.get("sources") or []],
        activity=body.get("activity"),
        status=body.get("status") or "complete",
    )


def summarise(scores: list[Score]) -> dict[str, Any]:
    overall = Tally()
    per_kind: dict[str, Tally] = {}
    for score in scores:
        overall.add(score)
        per_kind.setdefault(score.turn.kind, Tally()).add(score)
    totals = overall.figures()
    verdict = {
        "correct": totals["correct"] is not None and totals["correct"] >= TARGETS["correct"],
        "wrong_declines": (totals["wrong_decline_share"] or 0) <= TARGETS["wrong_declines"],
        "repeats": totals["repeats"] <= TARGETS["repeats"],
        "context_failures": (totals["context_failure_share"] or 0) <= TARGETS["context_failures"],
    }
    return {
        "overall": totals,
        "per_kind": {kind: per_kind[kind].figures() for kind in KINDS if kind in per_kind},
        "targets": TARGETS,
        "meets_targets": verdict,
    }


def print_table(summary: dict[str, Any], conversations: int) -> None:
    def cell(value: Any) -> str:
        return "-" if value is None else (f"{value:.3f}" if isinstance(value, float) else str(value))

    header = f"{'kind':<16} {'n':>4} {'correct':>8} {'wrong-dec':>9} {'repeats':>8} {'ctx-fail':>8} {'topic':>6}"
    print(header)
    print("-" * len(header))
    rows = [*summary["per_kind"].items(), ("OVERALL", summary["overall"])]
    for kind, f in rows:
        if kind == "OVERALL":
            print("-" * len(header))
        print(f"{kind:<16} {f['n']:>4} {cell(f['correct']):>8} {f['wrong_declines']:>9} "
              f"{f['repeats']:>8} {f['context_failures']:>8} {cell(f['topic_cited']):>6}")
    o, ok = summary["overall"], summary["meets_targets"]
    mark = {True: "ok", False: "MISS"}
    print(f"\n{conversations} conversations, {o['n']} learner turns")
    print("target                 value    goal")
    print(f"correct share          {cell(o['correct']):>6}  >= {TARGETS['correct']:.2f}  {mark[ok['correct']]}")
    print(f"wrong-decline share    {cell(o['wrong_decline_share']):>6}  <= {TARGETS['wrong_declines']:.2f}  "
          f"{mark[ok['wrong_declines']]}  ({o['wrong_declines']} turns)")
    print(f"repeats                {o['repeats']:>6}  == {TARGETS['repeats']}     {mark[ok['repeats']]}")
    print(f"context-failure share  {cell(o['context_failure_share']):>6}  <= {TARGETS['context_failures']:.2f}  "
          f"{mark[ok['context_failures']]}  ({o['context_failures']} turns)")


def describe_failure(score: Score) -> str:
    turn, reasons = score.turn, []
    if not score.correct:
        reasons.append(f"expected {turn.expect}, got {score.activity}")
    if score.missing_facts:
        reasons.append(f"missing {score.missing_facts}")
    if score.forbidden_found:
        reasons.append(f"forbidden {score.forbidden_found}")
    if score.wrong_decline:
        reasons.append("wrong decline")
    if score.repeat:
        reasons.append("repeat")
    if score.context_failure:
        reasons.append(f"context failure: cited {score.reply.sources}, topic {turn.topic}")
    answer = score.reply.text.strip().replace("\n", "\n    ")
    return (f"{score.conversation} turn {score.number} [{turn.kind}] {turn.say!r}\n"
            f"  {'; '.join(reasons)}\n  sources: {score.reply.sources}\n    {answer}\n")


def resolve_set(name: str) -> Path:
    candidate = CONVERSATIONS / name
    return candidate if candidate.is_dir() else Path(name)


def is_held_out(directory: Path) -> bool:
    """The shipped evaluation and held-out sets (eval, heldout, heldout2, ...): only their figures are read."""
    shipped = directory.resolve().parent == CONVERSATIONS.resolve()
    return shipped and (directory.name == "eval" or directory.name.startswith("heldout"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", default="eval", help="eval, dev, or a directory of conversation files")
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this file")
    parser.add_argument("--show-failures", action="store_true",
                        help="print every failing turn with its answer (development set only)")
    parser.add_argument("--judge", action="store_true",
                        help="allow --show-failures on the evaluation set (for whoever maintains it, "
                             "never for whoever changes the tutor)")
    parser.add_argument("--provider", default="offline",
                        help="offline (default); auto, openai or anthropic read keys and models "
                             "from the environment as the service does")
    args = parser.parse_args(argv)

    directory = resolve_set(args.set)
    is_eval = is_held_out(directory)
    if args.show_failures and is_eval and not args.judge:
        print(f"--show-failures is for the development sets (dev, dev2, ...): the failures of {directory.name} "
              "are not read by whoever changes the tutor. Add --judge if you maintain the set.",
              file=sys.stderr)
        return 2
    try:
        from tutor.config import Settings

        pack = load_pack(Settings(_env_file=None).prompts_dir / "lessons")
        conversations = load_conversations(directory, pack)
    except MalformedSet as exc:
        print(f"malformed conversation set {directory}:\n{exc}", file=sys.stderr)
        return 2

    os.environ.setdefault("TUTOR_LOG_LEVEL", "warning")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="conversation-eval-") as tmp:
        scores = run_conversations(conversations, settings_for(args.provider, Path(tmp) / "tutor.db"))
    seconds = time.perf_counter() - started

    summary = summarise(scores)
    summary.update(set=str(directory), conversations=len(conversations), provider=args.provider,
                   seconds=round(seconds, 1))
    print_table(summary, len(conversations))
    print(f"({seconds:.1f} s, provider {args.provider}, set {directory})")
    if args.show_failures:
        failures = [score for score in scores if score.failed]
        print(f"\n{len(failures)} failing turns:\n")
        for score in failures:
            print(describe_failure(score))
    if args.json:
        if not is_eval or args.judge:
            summary["turns"] = [
                {"conversation": s.conversation, "turn": s.number, "kind": s.turn.kind, "say": s.turn.say,
                 "expect": s.turn.expect, "activity": s.activity, "correct": s.correct,
                 "wrong_decline": s.wrong_decline, "repeat": s.repeat, "context_failure": s.context_failure,
                 "sources": s.reply.sources, "answer": s.reply.text}
                for s in scores
            ]
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
