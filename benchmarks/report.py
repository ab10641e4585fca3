"""The benchmark's figures as the table `python -m benchmarks` prints (README "Performance")."""

from __future__ import annotations

from typing import Any

from . import reminders

SYNC_ROUTE = "GET /sync (20 changes)"
SCALING_ROUTES = ("GET /goals", "GET /meals?from&to", "GET /summaries/daily", SYNC_ROUTE)


def table(results: dict[str, Any]) -> str:
    lines = [f"Machine: {results['machine']}", ""]
    lines += _cold(results["cold"])
    lines += _lifecycle(results["lifecycle"])
    lines += _warm(results["warm"], compared="compared_with" in results)
    lines += _dynamodb(results["dynamodb"])
    lines += _scaling(results)
    lines += ["", *reminders.table_lines(results["reminders"])]
    return "\n".join(lines)


def _cold(cold: dict[str, Any]) -> list[str]:
    lines = [
        f"Cold init (median of {cold['runs']} fresh processes from the task root: import + "
        "first GET /health)",
        f"  {'':<10}{'wall ms':>9}{'ratio':>7}{'CPU ms':>9}{'ratio':>7}{'page faults':>13}",
        f"  {'floor':<10}{cold['boto3_floor_ms']:>9}{'':>7}{cold['boto3_floor_cpu_ms']:>9}"
        f"{'':>7}{cold.get('boto3_floor_page_faults', ''):>13}",
    ]
    for label in ("app", "before"):
        prefix = "" if label == "app" else f"{label}_"
        if f"{prefix}app_ms" in cold:
            lines.append(
                f"  {label:<10}{cold[f'{prefix}app_ms']:>9}{cold[f'{prefix}ratio']:>7}"
                f"{cold[f'{prefix}app_cpu_ms']:>9}{cold[f'{prefix}cpu_ratio']:>7}"
                f"{cold.get(f'{prefix}app_page_faults', ''):>13}"
            )
    lines.append("  (floor: a process that only imports boto3; wall min-max " + _spread(cold) + ")")
    return [*lines, ""]


def _spread(cold: dict[str, Any]) -> str:
    return ", ".join(f"{label} {low}-{high}" for label, (low, high) in cold["spread"].items())


def _lifecycle(lives: dict[str, dict[str, Any]]) -> list[str]:
    app = lives["app"]
    lines = [
        f"A container's life (median of {app['runs']} fresh processes from the task root: "
        "init, the first request of each feature, then repeats)",
        f"  {'request':<28}{'first ms':>9}{'CPU':>7}{'repeat ms':>10}{'CPU':>7}"
        f"{'peak RSS MiB':>14}",
        f"  {'init':<28}{app['init_ms']:>9}{app['init_cpu_ms']:>7}{'':>17}"
        f"{app['rss_init_mib']:>14}",
    ]
    for row in app["requests"]:
        lines.append(
            f"  {row['request']:<28}{row['first_ms']:>9}{row['first_cpu_ms']:>7}"
            f"{row['repeat_ms']:>10}{row['repeat_cpu_ms']:>7}{row['rss_mib']:>14}"
        )
    for label, life in lives.items():
        clients = ", ".join(f"{service} {n}" for service, n in sorted(life["clients"].items()))
        lines += [
            f"  {label}: first requests in all {life['first_total_ms']} ms "
            f"(CPU {life['first_total_cpu_ms']}); peak RSS {life['rss_after_all_mib']} MiB after "
            f"every feature = {life['rss_ratio']} x after init; botocore clients: {clients}",
        ]
    return [*lines, ""]


def _warm(rows: list[dict[str, Any]], *, compared: bool) -> list[str]:
    calls = rows[0]["calls"]
    header = (
        f"  {'route':<28}{'app p50':>9}{'p95':>7}{'boto3 p50':>11}{'p95':>7}{'ratio':>7}"
        f"{'app CPU':>9}{'boto3 CPU':>11}{'emulator CPU':>14}"
    )
    if compared:
        header += f"{'before p50':>12}{'ratio':>7}"
    lines = [
        f"Warm requests: app vs a plain-boto3 handler making the same DynamoDB calls, each in "
        f"its own process from the task root, {calls} calls each in interleaved rounds "
        "(ms; moto server on loopback)",
        header,
    ]
    for row in rows:
        line = (
            f"  {row['route']:<28}{row['app_p50_ms']:>9}{row['app_p95_ms']:>7}"
            f"{row['boto3_p50_ms']:>11}{row['boto3_p95_ms']:>7}{row['ratio_p50']:>7}"
            f"{row['app_cpu_p50_ms']:>9}{row['boto3_cpu_p50_ms']:>11}"
            f"{row['emulator_cpu_ms'] or '-':>14}"
        )
        if compared:
            line += f"{row['before_app_p50_ms']:>12}{row['before_ratio_p50']:>7}"
        lines.append(line)
    failures = {row["route"]: row["failed_calls"] for row in rows if row.get("failed_calls")}
    if failures:
        lines.append(f"  calls left out (5xx from an overloaded emulator): {failures}")
    return [*lines, ""]


def _dynamodb(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "DynamoDB per call (capacity as AWS would bill it, from item sizes)",
        f"  {'route':<28}{'requests':>9}{'RCU':>7}{'WCU':>7}  operations",
    ]
    for row in rows:
        ops = ", ".join(f"{k} {v}" for k, v in sorted(row["operations"].items()))
        lines.append(
            f"  {row['route']:<28}{row['requests']:>9}{row['read_units']:>7}"
            f"{row['write_units']:>7}  {ops}"
        )
    return [*lines, ""]


def _scaling(results: dict[str, Any]) -> list[str]:
    lines = [
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
    return lines
