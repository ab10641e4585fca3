"""`python -m benchmarks [--quick] [--out FILE]`: run every benchmark, print a table, write JSON.

- cold init: fresh processes importing `wsgi` and answering `GET /health`, against the
  boto3-only floor (`cold.py`);
- a container's life: init, the first request of each feature, repeats, and memory, in
  fresh processes (`lifecycle.py`);
- warm requests: the app and a plain-boto3 handler doing the same DynamoDB calls, each in
  its own process, in interleaved rounds against moto's server mode (`warm.py`);
- DynamoDB requests per route and the capacity units they would consume on AWS;
- scaling: the same routes for users with 10, 1,000 and 10,000 items: our code alone
  (DynamoDB's answers replayed), end to end on moto, and end to end on dynalite, which reads
  key ranges as DynamoDB does (when Node.js is there to run it); among them a sync page, the
  20 changes a device caught up with the whole history pulls next;
- reminders: one pass over 1,000 and 10,000 active users, per user (`reminders.py`), with
  DynamoDB on dynalite (on moto, which walks the whole table for each page of an index
  Query, 1,000 users only).

The cold, container and warm figures run from a task root laid out like the image
(`task_root.py`), so each process imports only what a Lambda container would.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from . import cold, dynalite, lifecycle, reminders, task_root, warm
from .emulator import MotoServer
from .events import BENCH_CLIENT_ID, WARM_USER, WRITER_USER, Context, v2_event, warm_routes
from .report import SCALING_ROUTES, SYNC_ROUTE, table

TABLE = "lifestyle-bench"
DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "latest.json"


def use_emulator(url: str) -> None:
    os.environ.update(
        AWS_ENDPOINT_URL=url,
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_REGION="us-east-1",
        AWS_DEFAULT_REGION="us-east-1",
        TABLE_NAME=TABLE,
        CURSOR_SECRET="bench",
        COGNITO_CLIENT_ID=BENCH_CLIENT_ID,
        POWERTOOLS_METRICS_NAMESPACE="LifestyleBench",
        LOG_LEVEL="WARNING",
    )


def timed(handler, event: dict, context) -> float:
    """Milliseconds for one call; a failed call would make the figure meaningless."""
    started = time.perf_counter()
    response = handler(event, context)
    elapsed = (time.perf_counter() - started) * 1000
    if response["statusCode"] >= 300:
        raise RuntimeError(f"{event['rawPath']} answered {response['statusCode']}")
    return elapsed


def measure_capacity(handler, goal_id: str, today: date) -> list[dict]:
    from .capacity import metering

    results = []
    context = Context()
    with metering() as meter:
        for name, build in warm_routes(goal_id, today).items():
            meter.reset()
            handler(build(warm.MAX_CALLS), context)  # a day no other call checked in on
            results.append(
                {
                    "route": name,
                    "requests": sum(meter.requests.values()),
                    "operations": dict(meter.requests),
                    "read_units": round(meter.read_units, 1),
                    "write_units": round(meter.write_units, 1),
                }
            )
    return results


SYNC_CHANGES = 20
# The sync page's new meals are eaten on a day no other measured route reads.
SYNC_MEALS_DAY = "2000-01-03"


def scaling_events(handler, sub: str, today: date) -> list[tuple[str, dict]]:
    """The routes measured for a user just seeded (the sync page needs a few writes first)."""
    # Today's meals: the same page for every user, whatever the length of their history.
    meals_query = f"from={today.isoformat()}T00:00:00Z&to={today.isoformat()}T23:59:59Z"
    return [
        ("GET /goals", v2_event("GET", "/goals", sub)),
        ("GET /meals?from&to", v2_event("GET", "/meals", sub, query=meals_query)),
        ("GET /summaries/daily", v2_event("GET", "/summaries/daily", sub)),
        (SYNC_ROUTE, sync_delta_event(handler, sub)),
    ]


def sync_delta_event(handler, sub: str) -> dict:
    """`GET /sync` for a device caught up with the user's whole history, after 20 new meals:
    what a synced device pulls, the same page for every length of history. The device's
    token is the one the feed answers at the end of a download (the bound it reached),
    signed as the app signs it."""
    from lifestyle_api.db import changes
    from lifestyle_api.db.keys import change_bound
    from lifestyle_api.http.paging import encode_cursor
    from lifestyle_api.sync.routes import TOKEN_SCOPE
    from lifestyle_api.sync.service import Position

    position = Position(change_bound(changes.now()))
    token = encode_cursor(
        position.payload(), secret=os.environ["CURSOR_SECRET"], caller=sub, query=TOKEN_SCOPE
    )
    context = Context()
    for minute in range(SYNC_CHANGES):
        eaten_at = f"{SYNC_MEALS_DAY}T12:{minute:02d}:00Z"
        meal = {"mealType": "snack", "eatenAt": eaten_at, "name": "Apple", "items": []}
        timed(handler, v2_event("POST", "/meals", sub, meal), context)
    time.sleep(changes.SETTLE_WINDOW.total_seconds() + 0.1)  # until the feed hands them out
    event = v2_event("GET", "/sync", sub, query=urlencode({"since": token, "limit": 100}))
    page = json.loads(handler(event, context)["body"])
    if len(page["changes"]) != SYNC_CHANGES:
        raise RuntimeError(f"the sync page holds {len(page['changes'])} changes, not 20")
    return event


def p50(handler, event: dict, context, iterations: int) -> float:
    for _ in range(10):  # connections, caches, and the emulator's own JIT warmed up
        timed(handler, event, context)
    return statistics.median(timed(handler, event, context) for _ in range(iterations))


def measure_scaling(
    handler, sizes: list[int], today: date, iterations: int, dynalite_url: str | None
) -> list[dict]:
    from .capacity import metering, replaying
    from .workload import seed_user

    context = Context()
    rows = []
    for size in sizes:
        sub = f"bench-scale-{size}"
        fresh_table()  # the emulator's cost grows with the whole table, so one user per table
        seed_user(sub, size, today)
        row: dict[str, Any] = {"items": size}
        for name, event in scaling_events(handler, sub, today):
            moto_ms = p50(handler, event, context, iterations)
            with metering() as meter:
                handler(event, context)
            with replaying(meter.answers):
                app_only_ms = p50(handler, event, context, iterations)
            row[name] = {
                "p50_ms": round(moto_ms, 2),
                "app_only_p50_ms": round(app_only_ms, 2),
                "requests": sum(meter.requests.values()),
                "read_units": round(meter.read_units, 1),
            }
        if dynalite_url is not None:
            with on_endpoint(dynalite_url):
                fresh_table(ttl_supported=False)
                seed_user(sub, size, today)
                for name, event in scaling_events(handler, sub, today):
                    dynalite_ms = p50(handler, event, context, iterations)
                    row[name]["dynalite_p50_ms"] = round(dynalite_ms, 2)
        rows.append(row)
    base = rows[0]
    for row in rows:
        for name in SCALING_ROUTES:
            cell, first = row[name], base[name]
            cell["ratio_p50"] = round(cell["p50_ms"] / first["p50_ms"], 2)
            cell["ratio_app_only"] = round(cell["app_only_p50_ms"] / first["app_only_p50_ms"], 2)
            if "dynalite_p50_ms" in cell:
                cell["ratio_dynalite"] = round(
                    cell["dynalite_p50_ms"] / first["dynalite_p50_ms"], 2
                )
    return rows


@contextlib.contextmanager
def on_endpoint(url: str):
    """Point the item models at another DynamoDB endpoint for a while."""
    from lifestyle_api import db

    previous = os.environ["AWS_ENDPOINT_URL"]
    db.configure(TABLE, os.environ["AWS_REGION"], url)
    try:
        yield
    finally:
        db.configure(TABLE, os.environ["AWS_REGION"], previous)


def fresh_table(*, ttl_supported: bool = True) -> None:
    from pynamodb.constants import PAY_PER_REQUEST_BILLING_MODE

    from lifestyle_api.db import TableItem
    from lifestyle_api.db.table import create_table

    if TableItem.exists():
        TableItem.delete_table(wait=True)
    if ttl_supported:
        create_table(wait=True)
    else:  # dynalite has neither TTL nor point-in-time recovery; reads do not need them
        TableItem.create_table(
            billing_mode=PAY_PER_REQUEST_BILLING_MODE, wait=True, ignore_update_ttl_errors=True
        )


def run(quick: bool, compare_with: Path | None = None) -> dict[str, Any]:
    results: dict[str, Any] = {
        "quick": quick,
        "python": sys.version.split()[0],
        "machine": machine(),
    }
    roots = {"app": task_root.build()}
    if compare_with is not None:
        roots["before"] = task_root.build(compare_with.resolve(), "task-root-compare")
        results["compared_with"] = str(compare_with)
    results["cold"] = cold.measure(runs=3 if quick else 15, roots=roots)
    with MotoServer() as server:
        use_emulator(server.url)
        import wsgi
        from lifestyle_api.config import Settings
        from lifestyle_api.db.table import create_table

        from .workload import seed_user

        create_table(wait=True)
        today = datetime.now(UTC).date()
        results["lifecycle"] = lifecycle.measure(
            roots, server.url, TABLE, runs=1 if quick else 5, repeats=3 if quick else 10
        )
        # One user's goals: each handler checks in on its own.
        goals = seed_user(WARM_USER, 200, today)["goal_ids"]
        seed_user(WRITER_USER, 10, today)
        handlers = {label: ("app", root) for label, root in roots.items()}
        handlers["boto3"] = ("plain", roots["app"])
        rows = warm.measure(
            handlers,
            lifecycle.probe_environment(server.url, TABLE, {"COGNITO_CLIENT_ID": BENCH_CLIENT_ID}),
            dict(zip(handlers, goals, strict=False)),  # three goals, at most three handlers
            rounds=4 if quick else 20,
            calls_per_round=5 if quick else 10,
            emulator_cpu=server.cpu_seconds,
        )
        results["warm"] = [warm_figures(row, list(roots)) for row in rows]
        results["dynamodb"] = measure_capacity(wsgi.handler, goals[0], today)
        sizes = [10, 100, 1000] if quick else [10, 1000, 10000]
        iterations = 5 if quick else 50
        results["dynalite"] = dynalite.available() or "used"
        with contextlib.ExitStack() as stack:
            dynalite_url = None
            if results["dynalite"] == "used":
                try:
                    dynalite_url = stack.enter_context(dynalite.Dynalite()).url
                except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
                    results["dynalite"] = f"npm could not install or start it: {exc}"
            results["scaling"] = measure_scaling(
                wsgi.handler, sizes, today, iterations, dynalite_url
            )
        settings = Settings.from_env(reminders.push_settings(server.url))
        if dynalite_url is not None:
            with dynalite.Dynalite() as dynamodb:
                users = [50, 200] if quick else [1000, 10000]
                results["reminders"] = reminders.measure(users, fresh_table, settings, dynamodb.url)
        else:
            # moto walks the whole table for each page of an index Query: 10,000 users
            # would take hours there (the per-user figures do not depend on the count).
            users = [50, 200] if quick else [1000]
            results["reminders"] = reminders.measure(users, fresh_table, settings)
    return results


def warm_figures(row: dict[str, Any], apps: list[str]) -> dict[str, Any]:
    """One route's figures, flat: each app build's against the plain-boto3 handler's."""
    plain = row["boto3"]
    flat: dict[str, Any] = {"route": row["route"], "operations": row["operations"]}
    for label in apps:
        prefix = "app" if label == "app" else f"{label}_app"
        figures = row[label]
        flat[f"{prefix}_p50_ms"] = figures["p50_ms"]
        flat[f"{prefix}_p95_ms"] = figures["p95_ms"]
        flat[f"{prefix}_cpu_p50_ms"] = figures["cpu_p50_ms"]
        flat[f"{'' if label == 'app' else label + '_'}ratio_p50"] = round(
            figures["p50_ms"] / plain["p50_ms"], 2
        )
    flat["failed_calls"] = sum(row[label]["failed"] for label in [*apps, "boto3"])
    flat.update(
        calls=plain["calls"],
        boto3_p50_ms=plain["p50_ms"],
        boto3_p95_ms=plain["p95_ms"],
        boto3_cpu_p50_ms=plain["cpu_p50_ms"],
        emulator_cpu_ms=plain.get("emulator_cpu_ms"),
    )
    return flat


def machine() -> str:
    """What the figures came from: CPU model, cores, and the load when the run started."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            model = next(
                line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{model}, {os.cpu_count()} cores, load {load:.1f}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="few runs, small users (CI)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write JSON")
    parser.add_argument(
        "--compare-with",
        type=Path,
        metavar="DIR",
        help="also measure the app of another checkout (DIR holds wsgi.py and lifestyle_api/, "
        "e.g. from `git worktree add DIR <commit>`), interleaved with this one",
    )
    args = parser.parse_args(argv)
    results = run(args.quick, args.compare_with)
    print(table(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
