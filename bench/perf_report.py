"""The report of the performance bench: tables, the targets with their verdicts, a profile's summary."""

from __future__ import annotations

import asyncio
import os
import platform
import re
import resource
from pathlib import Path
from typing import Any

import psutil

from perf_load import LevelResult, _r


def summarize_profile(path: Path, top: int = 40) -> dict[str, Any]:
    """Top frames of a py-spy collapsed-stack file: inclusive (on the stack) and self (leaf) shares."""
    inclusive: dict[str, int] = {}
    leaf: dict[str, int] = {}
    packages: dict[str, int] = {}
    total = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = [re.sub(r":\d+\)$", ")", frame) for frame in stack.split(";")]
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + count
        leaf[frames[-1]] = leaf.get(frames[-1], 0) + count
        where = re.search(r"\(([^)]*)\)$", frames[-1])
        package = where.group(1).split("/")[0] if where else "?"
        package = package.removesuffix(".py") if "." in package else package
        packages[package] = packages.get(package, 0) + count

    def rows(counts: dict[str, int]) -> list[dict[str, Any]]:
        ranked = sorted(counts.items(), key=lambda item: -item[1])[:top]
        return [{"frame": frame, "share": round(n / total, 4)} for frame, n in ranked]

    by_package = [{"package": name, "share": round(n / total, 4)}
                  for name, n in sorted(packages.items(), key=lambda item: -item[1])] if total else []
    return {"samples": total, "packages": by_package, "inclusive": rows(inclusive), "self": rows(leaf)}


# ---------------------------------------------------------------- report


def machine_facts() -> dict[str, Any]:
    return {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "psutil": psutil.__version__, "load_client": "raw asyncio HTTP/1.1, one keep-alive connection per learner",
            "event_loop": type(asyncio.get_running_loop()).__module__,
            "fd_limit": resource.getrlimit(resource.RLIMIT_NOFILE)[0]}


def _cell(value: Any, width: int = 8) -> str:
    return " " + f"{'-' if value is None else value:>{width - 1}}"


def print_level(count: int, results: dict[str, LevelResult]) -> None:
    print(f"  {count} learner(s):")
    print(f"    {'':16}{'turns':>6}{'fail':>5}{'ttft50':>8}{'ttft90':>8}{'ttft99':>8}{'turn50':>8}{'turn99':>8}"
          f"{'turns/s':>9}{'svcCPU':>8}{'cliCPU':>8}")
    for name, r in results.items():
        print(f"    {name:16}{r.turns:>6}{r.failures:>5}{_cell(r.ttft_ms['p50'])}{_cell(r.ttft_ms['p90'])}"
              f"{_cell(r.ttft_ms['p99'])}{_cell(r.total_ms['p50'])}{_cell(r.total_ms['p99'])}"
              f"{_cell(r.turns_per_s, 9)}{_cell(r.service_cpu_ms_per_turn)}{_cell(r.client_cpu_ms_per_turn)}")
        for error in r.errors[:2]:
            print(f"      error: {error[:160]}")


def targets(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets, checked against this run's figures."""
    rows: list[dict[str, Any]] = []
    levels = report.get("levels", {})

    def level(count: int, target: str) -> dict[str, Any] | None:
        return levels.get(str(count), {}).get(target)

    def add(name: str, measured: float | None, limit: float, higher_is_better: bool = False, unit: str = "") -> None:
        ok = None if measured is None else (measured >= limit if higher_is_better else measured <= limit)
        rows.append({"target": name, "measured": _r(measured), "limit": limit, "unit": unit, "ok": ok})

    one_d, one_k, d64 = level(1, "direct"), level(1, "sdk"), level(64, "direct")
    columns = [name for name in levels.get("1", {}) | levels.get("64", {}) if is_service_column(name)]
    for column in columns:
        one_s, s64 = level(1, column), level(64, column)
        if one_s and one_d:
            add(f"[{column}] added TTFT p50 at 1 learner (service - direct)",
                _sub(one_s["ttft_ms"]["p50"], one_d["ttft_ms"]["p50"]), 5, unit="ms")
        if one_s and one_k and column == "service":
            add(f"[{column}] added TTFT p50 at 1 learner beyond the SDK alone",
                _sub(one_s["ttft_ms"]["p50"], one_k["ttft_ms"]["p50"]), 1, unit="ms")
        if s64 and d64:
            add(f"[{column}] added TTFT p99 at 64 learners (service - direct)",
                _sub(s64["ttft_ms"]["p99"], d64["ttft_ms"]["p99"]), 50, unit="ms")
            add(f"[{column}] turns/s at 64 learners, service / direct",
                (s64["turns_per_s"] / d64["turns_per_s"]) if d64["turns_per_s"] else None, 0.8,
                higher_is_better=True)
            add(f"[{column}] service CPU per 50-chunk turn at 64 learners", s64["service_cpu_ms_per_turn"], 10,
                unit="ms")
    memory = report.get("memory_mb", {})
    if "open_1000" in memory:
        add("RSS with 1,000 open streams", memory["open_1000"], 300, unit="MB")
    retrieval = report.get("in_process", {}).get("retrieval_ms", {})
    if retrieval:
        add("retrieval p99 per query (1x pack)", retrieval.get("p99"), 1, unit="ms")
    cold = report.get("cold_start_s", {})
    if cold:
        add("cold start to first /healthz (max of runs)", cold.get("max"), 2, unit="s")
    return rows


def is_service_column(name: str) -> bool:
    """`service` (1 worker, SQLite) and the deployments' columns (`w2 pg+redis`, ...)."""
    return name == "service" or name.startswith("w")


def _sub(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def print_summary(report: dict[str, Any]) -> None:
    print("\n== summary (ms unless noted)")
    print(f"  machine: {report['machine']['cores']} cores, Python {report['machine']['python']}, "
          f"load client: {report['machine']['load_client']}")
    header = f"  {'learners':>8} {'column':16}{'ttft p50':>9}{'p90':>8}{'p99':>8}{'turn p50':>9}{'p99':>8}{'turns/s':>9}{'svc CPU/turn':>13}"
    print(header)
    for count, columns in report.get("levels", {}).items():
        for name, r in columns.items():
            print(f"  {count:>8} {name:16}{_cell(r['ttft_ms']['p50'], 9)}{_cell(r['ttft_ms']['p90'])}"
                  f"{_cell(r['ttft_ms']['p99'])}{_cell(r['total_ms']['p50'], 9)}{_cell(r['total_ms']['p99'])}"
                  f"{_cell(r['turns_per_s'], 9)}{_cell(r['service_cpu_ms_per_turn'], 13)}")
    memory = report.get("memory_mb", {})
    print(f"  RSS MB: at rest {memory.get('at_rest')}, after load {memory.get('after_load')}, "
          f"64 open {memory.get('open_64')}, 1000 open {memory.get('open_1000')}")
    cold = report.get("cold_start_s", {})
    print(f"  cold start s: new db {cold.get('new_db')}, existing db {cold.get('existing_db')}")
    if "retrieval_ms" in report.get("in_process", {}):
        ip = report["in_process"]
        print(f"  retrieval ms: p50 {ip['retrieval_ms']['p50']} p99 {ip['retrieval_ms']['p99']}; plan_turn p50 "
              f"{ip['plan_turn_ms']['p50']} p99 {ip['plan_turn_ms']['p99']}; build_request p50 "
              f"{ip['build_request_ms']['p50']} p99 {ip['build_request_ms']['p99']}")
    for size, r in report.get("conversation_growth", {}).items():
        print(f"  history {size:>5}: turn p50 {r['total_ms']['p50']}, TTFT p50 {r['ttft_ms']['p50']}, "
              f"svc CPU/turn {r['service_cpu_ms_per_turn']}, upstream {r['upstream_messages']} msgs")
    for label, r in report.get("pack_growth", {}).items():
        ip = r.get("in_process") or {}
        line = (f"  pack {label:>5} ({r['passages']} passages): retrieval p99 {ip.get('retrieval_ms', {}).get('p99')}, "
                f"first plan_turn {ip.get('first_plan_turn_ms')}")
        if "total_ms" in r:
            line += (f"; service: cold start {r['cold_start_s']} s, first turn {r['first_turn_ms']}, turn p50 "
                     f"{r['total_ms']['p50']}, svc CPU/turn {r['service_cpu_ms_per_turn']}, RSS {r['rss_at_rest_mb']} MB")
        print(line)
    print(f"  LiteLLM: {report.get('litellm', 'not run')}")
    print("\n== targets (ok = met, MISS = missed; compare columns of one run)")
    load = report.get("load_average")
    if load:
        cores = report["machine"]["cores"] or 1
        busiest = max(load.get("levels_start", [0])[0], load.get("levels_end", [0])[0])
        print(f"  load average (1, 5, 15 min) at the start of the levels phase {load.get('levels_start')}, at its end "
              f"{load.get('levels_end')}, on {cores} cores" + (
                  f": the machine was busy (load {busiest:g} > {cores} cores), so the service shared its CPU with "
                  f"other work; CPU per turn is the figure least moved by that" if busiest > cores else ""))
    for row in report.get("targets", []):
        mark = {True: "ok  ", False: "MISS", None: "?   "}[row["ok"]]
        print(f"  {mark} {row['target']}: {row['measured']} {row['unit']} (limit {row['limit']} {row['unit']})")
