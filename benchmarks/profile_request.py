"""`python -m benchmarks.profile_request [ROUTE] [--calls N]`: where one warm request's CPU goes.

Runs the app in this process against moto's server mode, warms the route up, then profiles
N more calls of it (`cProfile`, CPU time) and prints the CPU milliseconds per call by
package (own time: `flask`, `botocore`, our `lifestyle_api`, …) and the functions with the
most own time. ROUTE is one of the warm benchmark's (`events.WARM_ROUTES`), `POST /goals`
by default.

With `--replay`, DynamoDB's answers to one call are recorded and replayed to the profiled
ones (`capacity.replaying`): botocore, the network and the emulator drop out, and what is
left is the app's own work, steady enough to compare two builds. With `--no-profile`, the
calls are only counted; run that under `valgrind --tool=callgrind` with two `--calls`
counts, and the difference in instructions, divided by the difference in calls, is the
route's cost per call in instructions, which does not vary from run to run.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import pstats
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from .emulator import MotoServer
from .events import WARM_ROUTES, WARM_USER, WRITER_USER, Context, warm_routes

WARM_UP_CALLS = 20


def package_of(filename: str) -> str:
    """The top-level package a function's file belongs to (`~` for built-ins)."""
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins"
    parts = Path(filename).parts
    for marker in ("site-packages", "task-root"):
        if marker in parts:
            return parts[parts.index(marker) + 1].removesuffix(".py")
    if "lifestyle_api" in parts:
        return "lifestyle_api"
    if "wsgi.py" in parts:
        return "wsgi"
    return "stdlib"


def profile(
    route: str, calls: int, *, plain: bool = False, replay: bool = False, enabled: bool = True
) -> tuple[pstats.Stats | None, int]:
    from lifestyle_api.db.table import create_table

    from .__main__ import use_emulator
    from .capacity import metering, replaying
    from .workload import seed_user

    with MotoServer() as server:
        use_emulator(server.url)
        import wsgi

        create_table(wait=True)
        today = datetime.now(UTC).date()
        goal_id = seed_user(WARM_USER, 200, today)["goal_ids"][0]
        seed_user(WRITER_USER, 10, today)
        build = warm_routes(goal_id, today)[route]
        context = Context()
        handler = wsgi.handler
        if plain:
            from .baseline import PlainHandler

            handler = PlainHandler(server.url, os.environ["TABLE_NAME"])
        for call in range(WARM_UP_CALLS):
            handler(build(call), context)
        with metering() as meter:
            handler(build(WARM_UP_CALLS), context)
        profiler = cProfile.Profile(time.process_time)
        with replaying(meter.answers) if replay else contextlib.nullcontext():
            for call in range(WARM_UP_CALLS + 1, WARM_UP_CALLS + 1 + calls):
                event = build(call)
                if enabled:
                    profiler.enable()
                response = handler(event, context)
                if enabled:
                    profiler.disable()
                if response["statusCode"] >= 300:
                    raise RuntimeError(f"{route} answered {response}")
        return (pstats.Stats(profiler) if enabled else None), calls


def report(stats: pstats.Stats, calls: int, top: int) -> str:
    """CPU ms per call by package, built-ins counted in the package that called them; and
    the functions with the most own time."""
    by_package: Counter[str] = Counter()
    total = 0.0
    rows = []
    for (filename, line, name), (_cc, ncalls, own, cumulative, callers) in stats.stats.items():
        total += own
        package = package_of(filename)
        rows.append((own, cumulative, ncalls, f"{package}:{Path(filename).name}:{line}({name})"))
        if package != "builtins" or not callers:
            by_package[package] += own
            continue
        from_callers = sum(caller[3] for caller in callers.values()) or 1.0
        for (caller_file, _line, _name), caller in callers.items():
            by_package[package_of(caller_file)] += own * caller[3] / from_callers
    lines = [f"CPU per call {total / calls * 1000:.2f} ms (profiled), by package (own time):"]
    for package, own in by_package.most_common():
        lines.append(f"  {package:<24}{own / calls * 1000:8.3f} ms  {own / total:6.1%}")
    lines.append(f"Top {top} functions by own time (ms per call, cumulative, calls per call):")
    for own, cumulative, ncalls, where in sorted(rows, reverse=True)[:top]:
        lines.append(
            f"  {own / calls * 1000:7.3f} {cumulative / calls * 1000:8.3f} "
            f"{ncalls / calls:7.1f}  {where}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.profile_request", description=__doc__
    )
    parser.add_argument("route", nargs="?", default="POST /goals", choices=WARM_ROUTES)
    parser.add_argument("--calls", type=int, default=200, help="profiled calls (default 200)")
    parser.add_argument("--top", type=int, default=25, help="functions listed (default 25)")
    parser.add_argument(
        "--plain", action="store_true", help="profile the plain-boto3 handler instead"
    )
    parser.add_argument(
        "--replay",
        action="store_true",
        help="answer DynamoDB calls with one call's recorded answers: the app's own work only",
    )
    parser.add_argument(
        "--no-profile",
        action="store_true",
        help="make the calls without profiling them (for an instruction count)",
    )
    args = parser.parse_args(argv)
    stats, calls = profile(
        args.route,
        args.calls,
        plain=args.plain,
        replay=args.replay,
        enabled=not args.no_profile,
    )
    handler = "plain boto3" if args.plain else "app"
    answers = "DynamoDB's answers replayed" if args.replay else "moto server"
    if stats is None:
        print(f"{args.route} ({handler}, {answers}): {calls} warm calls, not profiled")
        return 0
    print(f"{args.route} ({handler}, {answers}): {calls} warm calls, cProfile on CPU time")
    print(report(stats, calls, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
