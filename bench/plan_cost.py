"""What planning one turn costs: ``plan_turn`` timed on every learner turn of the dev sets.

Why: the offline planner runs before every model call, so its time is added to
every learner's time to first token (issue 11). The calls are the service's own:
the development conversations are played through the app (as
``bench/conversation_eval.py`` does) and every ``plan_turn`` call is recorded
with its question, earlier messages, covered passages and earlier activities.
Then, in a fresh process, each call is replayed in conversation order on a new
retriever, prepared as the service prepares it at start-up: the first pass is
what the service pays (caches warm only for what earlier turns analysed), later
passes show the fully cached cost. Each call is timed by the clock and by the
CPU time of its thread: on a busy machine the clock also counts the time other
processes held the core, the CPU time does not. The process's peak resident
memory after start-up (pack, retriever and its tables) is reported too.

    .venv/bin/python bench/plan_cost.py [--sets dev,dev2,dev3] [--passes 3] [--baseline REF]
    .venv/bin/python bench/plan_cost.py --sets dev,dev2 --record calls.json
    valgrind --tool=callgrind --instr-atstart=no .venv/bin/python bench/plan_cost.py \
        --replay calls.json --tree TREE --first 300 --passes 1 --callgrind

``--baseline REF`` also times the same calls on the tree at git revision REF
(unpacked into a temporary directory), in its own process, in the same run, and
says on how many calls the two trees' plans differ (a change meant to make
planning cheaper must not change one).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def record(sets: list[str], out: Path) -> int:
    """Play the sets through the app and write every plan_turn call as JSON."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import conversation_eval

    import tutor.turns
    from tutor.config import Settings
    from tutor.knowledge.pack import load_pack

    calls: list[dict[str, Any]] = []
    planner = tutor.turns.plan_turn

    def recording(retriever, question, history=(), covered=(), earlier=None):  # type: ignore[no-untyped-def]
        calls.append({"question": question, "history": [[m.role, m.content] for m in history],
                      "covered": list(covered), "earlier": asdict(earlier) if earlier is not None else None})
        return planner(retriever, question, history, covered, *(() if earlier is None else (earlier,)))

    tutor.turns.plan_turn = recording  # type: ignore[assignment]
    os.environ.setdefault("TUTOR_LOG_LEVEL", "warning")
    pack = load_pack(Settings(_env_file=None).prompts_dir / "lessons")
    for name in sets:
        conversations = conversation_eval.load_conversations(conversation_eval.resolve_set(name), pack)
        with tempfile.TemporaryDirectory(prefix="plan-cost-") as tmp:
            conversation_eval.run_conversations(conversations,
                                                conversation_eval.settings_for("offline", Path(tmp) / "t.db"))
    out.write_text(json.dumps(calls, ensure_ascii=False), encoding="utf-8")
    return len(calls)


def replay(tree: Path, calls_file: Path, passes: int, first: int | None = None,
           callgrind: bool = False) -> dict[str, Any]:
    """Time every recorded call (or the ``first`` ones) on the tutor package found in ``tree``;
    under ``valgrind --tool=callgrind --instr-atstart=no``, ``callgrind`` counts the calls'
    instructions alone (start-up, the pack and the retriever left out): a figure this busy
    machine does not move."""
    sys.path.insert(0, str(tree))
    from tutor.knowledge import planner
    from tutor.knowledge.pack import load_pack
    from tutor.knowledge.planner import Earlier, plan_turn
    from tutor.knowledge.retrieval import Retriever
    from tutor.providers.base import ChatMessage

    retriever = Retriever(load_pack(tree / "prompts" / "lessons"))
    if hasattr(planner, "prepare"):
        planner.prepare(retriever)  # as the service does at start-up
    # Before the recorded calls are read: what start-up alone holds.
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    raw = json.loads(calls_file.read_text(encoding="utf-8"))[:first]
    calls = []
    for call in raw:
        earlier = call["earlier"]
        if earlier is not None:
            earlier = Earlier(**{k: tuple(v) if isinstance(v, list) else v for k, v in earlier.items()})
        history = [ChatMessage(role, content) for role, content in call["history"]]
        calls.append((call["question"], history, call["covered"], earlier))
    rounds: list[list[float]] = []
    cpu_rounds: list[list[float]] = []
    plans: list[str] = []
    if callgrind:
        subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], check=True, capture_output=True)
    for _ in range(passes):
        times, cpu_times = [], []
        for question, history, covered, earlier in calls:
            started, cpu_started = time.perf_counter(), time.thread_time()
            if earlier is None:
                plan = plan_turn(retriever, question, history, covered)
            else:
                plan = plan_turn(retriever, question, history, covered, earlier)
            cpu_times.append((time.thread_time() - cpu_started) * 1000)
            times.append((time.perf_counter() - started) * 1000)
            if len(plans) < len(calls):
                plans.append(hashlib.sha256(repr(plan).encode()).hexdigest()[:16])
        rounds.append(times)
        cpu_rounds.append(cpu_times)
    if callgrind:
        subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], check=True, capture_output=True)
    return {"calls": len(calls), "startup_rss_mb": round(rss_mb, 1), "plans": plans,
            "first": summary(rounds[0]), "first_cpu": summary(cpu_rounds[0]),
            "warm": summary([t for times in rounds[1:] for t in times]) if passes > 1 else None,
            "warm_cpu": summary([t for times in cpu_rounds[1:] for t in times]) if passes > 1 else None}


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {"median_ms": round(statistics.median(ordered), 3),
            "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 3),
            "mean_ms": round(statistics.fmean(ordered), 3)}


def timed_in_child(tree: Path, calls_file: Path, passes: int) -> dict[str, Any]:
    # One hash seed for both trees: a plan's text then reads the same wherever it holds a set.
    result = subprocess.run([sys.executable, __file__, "--replay", str(calls_file), "--tree", str(tree),
                             "--passes", str(passes)], check=True, capture_output=True, text=True,
                            env={**os.environ, "PYTHONHASHSEED": "0"})
    return json.loads(result.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default="dev,dev2,dev3")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--baseline", help="a git revision to time side by side (e.g. main)")
    parser.add_argument("--record", type=Path, metavar="FILE",
                        help="only record the calls into FILE (for --replay FILE, e.g. under callgrind)")
    parser.add_argument("--replay", type=Path, metavar="FILE", help="replay recorded calls and print JSON")
    parser.add_argument("--tree", type=Path, default=ROOT, help="with --replay: the tree to replay on")
    parser.add_argument("--first", type=int, help="with --replay: only the first N calls")
    parser.add_argument("--callgrind", action="store_true",
                        help="with --replay under `valgrind --tool=callgrind --instr-atstart=no`: count the calls only")
    args = parser.parse_args(argv)
    if args.replay:
        print(json.dumps(replay(args.tree, args.replay, args.passes, args.first, args.callgrind)))
        return 0
    if args.record:
        print(record(args.sets.split(","), args.record))
        return 0

    with tempfile.TemporaryDirectory(prefix="plan-cost-") as tmp:
        calls_file = Path(tmp) / "calls.json"
        subprocess.run([sys.executable, "-c", f"import sys; sys.argv=['x']; sys.path.insert(0, {str(ROOT / 'bench')!r});"
                        f"import plan_cost; print(plan_cost.record({args.sets.split(',')!r}, "
                        f"__import__('pathlib').Path({str(calls_file)!r})))"], check=True)
        trees = {"this tree": ROOT}
        if args.baseline:
            base = Path(tmp) / "baseline"
            base.mkdir()
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.baseline], check=True,
                                     capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
            trees = {f"baseline {args.baseline}": base, **trees}
        print(f"plan_turn per call ({args.sets}; first pass = the service's cost, warm = passes 2..{args.passes};"
              f" clock / CPU time of the thread, milliseconds)")
        plans: dict[str, list[str]] = {}
        for label, tree in trees.items():
            result = timed_in_child(tree, calls_file, args.passes)
            plans[label] = result["plans"]
            first, warm = result["first"], result["warm"]
            first_cpu, warm_cpu = result["first_cpu"], result["warm_cpu"]
            line = (f"  {label:>16}: {result['calls']} calls, first median {first['median_ms']} / {first_cpu['median_ms']}"
                    f" p90 {first['p90_ms']} / {first_cpu['p90_ms']}")
            if warm:
                line += f"; warm median {warm['median_ms']} / {warm_cpu['median_ms']} p90 {warm['p90_ms']} / {warm_cpu['p90_ms']}"
            line += f"; start-up RSS {result['startup_rss_mb']} MB"
            print(line, flush=True)
        if len(plans) == 2:
            first, second = plans.values()
            differ = sum(a != b for a, b in zip(first, second))
            print(f"  plans that differ between the two trees: {differ} of {len(first)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
