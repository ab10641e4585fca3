"""`python -m benchmarks [--quick] [--out FILE]`: run every benchmark, print a table, write JSON.

- cold init: fresh processes importing `wsgi` and answering `GET /health`, against the
  boto3-only floor;
- warm requests: p50/p95 through `wsgi.handler` against moto's server mode on loopback,
  against a plain-boto3 handler making the same DynamoDB calls;
- DynamoDB requests per route and the capacity units they would consume on AWS;
- scaling: the same routes for users with 10, 1,000 and 10,000 items: our code alone
  (DynamoDB's answers replayed), end to end on moto, and end to end on dynalite, which reads
  key ranges as DynamoDB does (when Node.js is there to run it);
- reminders: one pass over 1,000 and 10,000 active users, per user (`reminders.py`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from . import cold, dynalite, reminders
from .emulator import MotoServer

TABLE = "lifestyle-bench"
WARM_USER = "bench-warm"
WRITER_USER = "bench-writer"
DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "latest.json"


class Context:
    function_name = "lifestyle-api"
    function_version = "$LATEST"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:lifestyle-api"
    aws_request_id = "bench"
    log_group_name = "/aws/lambda/lifestyle-api"
    log_stream_name = "bench"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def v2_event(method: str, path: str, sub: str, body: Any = None, query: str = "") -> dict:
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": {"host": "api.example.com", "content-type": "application/json"},
        "requestContext": {
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": "bench",
            },
            "requestId": "bench",
            "stage": "$default",
            "authorizer": {"jwt": {"claims": {"sub": sub, "token_use": "access"}}},
        },
        "body": json.dumps(body) if body is not None else None,
        "isBase64Encoded": False,
    }


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def use_emulator(url: str) -> None:
    os.environ.update(
        AWS_ENDPOINT_URL=url,
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_REGION="us-east-1",
        AWS_DEFAULT_REGION="us-east-1",
        TABLE_NAME=TABLE,
        CURSOR_SECRET="bench",
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


def warm_routes(goal_ids: dict[str, str], today: date):
    """(name, app event builder, baseline event builder); builders take the iteration."""
    app_goal, plain_goal = goal_ids["app"], goal_ids["plain"]

    def check_in(goal_id: str):
        return lambda i: v2_event(
            "POST",
            f"/goals/{goal_id}/check-ins",
            WARM_USER,
            {"date": (today - timedelta(days=i)).isoformat()},
        )

    def same(method: str, path: str, body: Any = None, sub: str = WARM_USER):
        return lambda _i: v2_event(method, path, sub, body)

    new_goal = {"title": "Stretch", "category": "fitness"}
    return [
        ("GET /goals/{id}", same("GET", f"/goals/{app_goal}"), same("GET", f"/goals/{app_goal}")),
        ("GET /goals", same("GET", "/goals"), same("GET", "/goals")),
        # Goals are created for another user, so the reads above and below keep their size.
        (
            "POST /goals",
            same("POST", "/goals", new_goal, WRITER_USER),
            same("POST", "/goals", new_goal, WRITER_USER),
        ),
        ("POST /goals/{id}/check-ins", check_in(app_goal), check_in(plain_goal)),
        ("GET /summaries/daily", same("GET", "/summaries/daily"), same("GET", "/summaries/daily")),
    ]


def run_timed(handler, make_event, days: range, context) -> list[float]:
    return [timed(handler, make_event(day), context) for day in days]


def measure_warm(handler, plain, goal_ids, today, iterations: int) -> list[dict]:
    results = []
    context = Context()
    # Check-ins go on days the seeded history left free, a new day on every call.
    measured_days = range(300, 300 + iterations)
    for name, app_event, plain_event in warm_routes(goal_ids, today):
        run_timed(handler, app_event, range(600, 603), context)  # warm-up: connections
        run_timed(plain, plain_event, range(600, 603), context)
        app_ms, plain_ms = [], []
        for day in measured_days:  # interleaved, so drift hits both alike
            app_ms += run_timed(handler, app_event, range(day, day + 1), context)
            plain_ms += run_timed(plain, plain_event, range(day, day + 1), context)
        app_p50, plain_p50 = statistics.median(app_ms), statistics.median(plain_ms)
        results.append(
            {
                "route": name,
                "app_p50_ms": round(app_p50, 2),
                "app_p95_ms": round(percentile(app_ms, 0.95), 2),
                "boto3_p50_ms": round(plain_p50, 2),
                "boto3_p95_ms": round(percentile(plain_ms, 0.95), 2),
                "ratio_p50": round(app_p50 / plain_p50, 2),
            }
        )
    return results


def measure_capacity(handler, goal_ids, today) -> list[dict]:
    from .capacity import metering

    results = []
    context = Context()
    with metering() as meter:
        for name, app_event, _plain in warm_routes(goal_ids, today):
            meter.reset()
            handler(app_event(700), context)  # a free day for the check-in
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


SCALING_ROUTES = ("GET /goals", "GET /meals?from&to", "GET /summaries/daily")


def scaling_events(sub: str, today: date) -> list[tuple[str, dict]]:
    # Today's meals: the same page for every user, whatever the length of their history.
    meals_query = f"from={today.isoformat()}T00:00:00Z&to={today.isoformat()}T23:59:59Z"
    return [
        ("GET /goals", v2_event("GET", "/goals", sub)),
        ("GET /meals?from&to", v2_event("GET", "/meals", sub, query=meals_query)),
        ("GET /summaries/daily", v2_event("GET", "/summaries/daily", sub)),
    ]


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
        for name, event in scaling_events(sub, today):
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
                for name, event in scaling_events(sub, today):
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


def run(quick: bool) -> dict[str, Any]:
    results: dict[str, Any] = {"quick": quick, "python": sys.version.split()[0]}
    results["cold"] = cold.measure(runs=3 if quick else 15)
    with MotoServer() as server:
        use_emulator(server.url)
        import wsgi
        from lifestyle_api.config import Settings
        from lifestyle_api.db.table import create_table

        from .baseline import PlainHandler
        from .workload import seed_user

        create_table(wait=True)
        today = datetime.now(UTC).date()
        # Two goals of one user: the app checks in on one, the plain handler on the other.
        app_goal, plain_goal = seed_user(WARM_USER, 200, today)["goal_ids"][:2]
        seed_user(WRITER_USER, 10, today)
        goal_ids = {"app": app_goal, "plain": plain_goal}
        plain = PlainHandler(server.url, TABLE)
        results["warm"] = measure_warm(
            wsgi.handler, plain, goal_ids, today, iterations=20 if quick else 200
        )
        results["dynamodb"] = measure_capacity(wsgi.handler, goal_ids, today)
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
        users = [50, 200] if quick else [1000, 10000]
        results["reminders"] = reminders.measure(users, fresh_table, settings)
    return results


def table(results: dict[str, Any]) -> str:
    lines = []
    c = results["cold"]
    lines += [
        f"Cold init (median of {c['runs']} fresh processes, import + first GET /health)",
        f"  app {c['app_ms']} ms | boto3-only floor {c['boto3_floor_ms']} ms | ratio {c['ratio']}",
        "",
        "Warm requests through wsgi.handler vs plain boto3 (moto server on loopback)",
        f"  {'route':<28}{'app p50':>9}{'app p95':>9}{'boto3 p50':>11}{'boto3 p95':>11}"
        f"{'ratio':>7}",
    ]
    for row in results["warm"]:
        lines.append(
            f"  {row['route']:<28}{row['app_p50_ms']:>9}{row['app_p95_ms']:>9}"
            f"{row['boto3_p50_ms']:>11}{row['boto3_p95_ms']:>11}{row['ratio_p50']:>7}"
        )
    lines += [
        "",
        "DynamoDB per call (capacity as AWS would bill it, from item sizes)",
        f"  {'route':<28}{'requests':>9}{'RCU':>7}{'WCU':>7}  operations",
    ]
    for row in results["dynamodb"]:
        ops = ", ".join(f"{k} {v}" for k, v in sorted(row["operations"].items()))
        lines.append(
            f"  {row['route']:<28}{row['requests']:>9}{row['read_units']:>7}"
            f"{row['write_units']:>7}  {ops}"
        )
    lines += [
        "",
        "Scaling with history: p50 ms (ratio to the 10-item user)",
        "  app = the handler with DynamoDB's recorded answers replayed (our code alone);",
        "  dynalite = end to end on an emulator that reads key ranges, as DynamoDB does;",
        "  moto = end to end on moto, whose Query walks every item of the partition.",
        f"  {'items':>6}  {'route':<22}{'app':>14}{'dynalite':>16}{'moto':>17}"
        f"{'requests':>10}{'RCU':>6}",
    ]
    for row in results["scaling"]:
        for name in SCALING_ROUTES:
            cell = row[name]
            on_dynalite = (
                f"{cell['dynalite_p50_ms']:>8} (x{cell['ratio_dynalite']:<4})"
                if "dynalite_p50_ms" in cell
                else f"{'-':>16}"
            )
            lines.append(
                f"  {row['items']:>6}  {name:<22}"
                f"{cell['app_only_p50_ms']:>7} (x{cell['ratio_app_only']:<4})"
                f"{on_dynalite}"
                f"{cell['p50_ms']:>8} (x{cell['ratio_p50']:<5})"
                f"{cell['requests']:>10}{cell['read_units']:>6}"
            )
    if results["dynalite"] != "used":
        lines.append(f"  dynalite: not run ({results['dynalite']})")
    lines += ["", *reminders.table_lines(results["reminders"])]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="few runs, small users (CI)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write JSON")
    args = parser.parse_args(argv)
    results = run(args.quick)
    print(table(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
