"""Warm requests: the app against a plain-boto3 handler doing the same DynamoDB work, each
in its own process from a task root laid out like the image (`warm_worker.py`), on the
same emulator, in interleaved rounds.

Before timing, each route is traced once in both: a figure only counts if both handlers
made the same DynamoDB calls, in the same order (`warm_worker.signature`: operations,
options, attributes written). Then, round after round, each
handler answers a few calls of each route, the two taking turns to go first, so a change in
the machine's load hits both alike. The figures are medians over every call.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .events import WARM_ROUTES

WORKER = Path(__file__).resolve().parent / "warm_worker.py"
# Calls are numbered across the whole run: a check-in needs a new day for every call, and
# the seeded goals start 730 days back (check-ins go from day 300 on).
MAX_CALLS = 420


class Worker:
    """One handler's process; `trace()` and `time()` send it a command and read the answer."""

    def __init__(self, mode: str, root: Path, env: dict[str, str]) -> None:
        self.mode = mode
        self._errors = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed in close())
        self._process = subprocess.Popen(
            [sys.executable, "-I", "-S", str(WORKER), mode, str(root)],
            cwd=root,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
            text=True,
        )
        self._read()  # ready

    def _read(self) -> dict[str, Any]:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            if line.startswith("ANSWER "):
                return json.loads(line[len("ANSWER ") :])
        self._process.wait(timeout=30)
        self._errors.seek(0)
        raise RuntimeError(f"the {self.mode} worker stopped:\n{self._errors.read()[-3000:]}")

    def _ask(self, command: dict[str, Any]) -> dict[str, Any]:
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps(command) + "\n")
        self._process.stdin.flush()
        return self._read()

    def trace(self, route: str, call: int) -> list:
        return self._ask({"trace": route, "call": call})["calls"]

    def time(self, route: str, calls: list[int]) -> dict[str, list[float]]:
        return self._ask({"time": route, "calls": calls})

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._errors.close()


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(
    handlers: dict[str, tuple[str, Path]],
    env: dict[str, str],
    goal_ids: dict[str, str],
    *,
    rounds: int,
    calls_per_round: int,
    emulator_cpu: Callable[[], float] | None = None,
) -> list[dict[str, Any]]:
    """`handlers` maps a label to a worker mode and task root: `{"app": ("app", root),
    "boto3": ("plain", root)}`, or more apps (other builds) to compare; `goal_ids` maps each
    label to the goal it checks in on; `emulator_cpu()`, when given, reads the emulator's
    CPU seconds, charged to the calls made meanwhile. One row per route: each label's
    figures."""
    if 2 + rounds * calls_per_round > MAX_CALLS:
        raise ValueError(f"at most {MAX_CALLS} calls per route")
    workers = {
        label: Worker(mode, root, {**env, "BENCH_GOAL_ID": goal_ids[label]})
        for label, (mode, root) in handlers.items()
    }
    operations = {}
    try:
        for name in WARM_ROUTES:
            made = {label: worker.trace(name, call=0) for label, worker in workers.items()}
            if len({json.dumps(calls, sort_keys=True) for calls in made.values()}) != 1:
                raise RuntimeError(f"{name}: the handlers made different DynamoDB calls: {made}")
            operations[name] = [call[0] for call in made.popitem()[1]]
            for worker in workers.values():
                worker.time(name, [1])  # the route's own first use, out of the figures
        samples = {name: {label: ([], []) for label in workers} for name in WARM_ROUTES}
        failed = {name: dict.fromkeys(workers, 0) for name in WARM_ROUTES}
        emulator = {name: dict.fromkeys(workers, 0.0) for name in WARM_ROUTES}
        turn = list(workers.items())
        for round_number in range(rounds):
            first = 2 + round_number * calls_per_round
            calls = list(range(first, first + calls_per_round))
            for name in WARM_ROUTES:
                for label, worker in turn:
                    before = emulator_cpu() if emulator_cpu else 0.0
                    answer = worker.time(name, calls)
                    if emulator_cpu:
                        emulator[name][label] += emulator_cpu() - before
                    samples[name][label][0].extend(answer["ms"])
                    samples[name][label][1].extend(answer["cpu_ms"])
                    failed[name][label] += answer["failed"]
            turn = turn[1:] + turn[:1]  # each handler goes first in turn
        rows = []
        for name in WARM_ROUTES:
            row: dict[str, Any] = {"route": name, "operations": operations[name]}
            for label in workers:
                row[label] = _figures(*samples[name][label])
                row[label]["failed"] = failed[name][label]
                if emulator_cpu:
                    calls_made = len(samples[name][label][0])
                    row[label]["emulator_cpu_ms"] = round(
                        emulator[name][label] * 1000 / calls_made, 2
                    )
            rows.append(row)
        return rows
    finally:
        for worker in workers.values():
            worker.close()


def _figures(ms: list[float], cpu_ms: list[float]) -> dict[str, float]:
    return {
        "calls": len(ms),
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(percentile(ms, 0.95), 2),
        "cpu_p50_ms": round(statistics.median(cpu_ms), 2),
    }
