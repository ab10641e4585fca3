"""The `python -m migrations_scripts` command line (argparse): create-table, migrate, seed,
copy-table, status, report, purge-deleted, run-reminders.

Every command resolves its target from the app's settings (`TABLE_NAME`, `AWS_REGION`,
`AWS_ENDPOINT_URL`, `COGNITO_USER_POOL_ID`) overridden by `--table`, `--region` and
`--endpoint-url`, prints that target before touching it, and turns any failure into one line
on stderr and a non-zero exit status.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta

from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.exceptions import PynamoDBException

from lifestyle_api import db
from lifestyle_api.accounts import deletion
from lifestyle_api.accounts import service as accounts
from lifestyle_api.accounts.deletion import ACCESS_TOKEN_LIFETIME
from lifestyle_api.config import Settings
from lifestyle_api.db import GSI1, LSI1, LSI2, LSI3, TTL_ATTRIBUTE, TableItem
from lifestyle_api.db.keys import STATUS_SHARDS
from lifestyle_api.db.table import create_table
from lifestyle_api.reminders.service import parse_instant, run_reminders
from lifestyle_api.timeutil import format_instant, utc_now

from . import cognito, reports, runner, seed, status
from .copy import copy_table
from .records import MigrationItem

EXIT_FAILURE = 1
EXIT_INTERRUPTED = 130


class CommandError(Exception):
    """A failure the operator can act on; the message is the whole story."""


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.command(args) or 0
    except (CommandError, runner.MigrationError) as exc:
        _fail(str(exc))
    except (PynamoDBException, BotoCoreError, ClientError) as exc:
        _fail(describe_aws_error(exc))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_FAILURE


def build_parser() -> argparse.ArgumentParser:
    target = argparse.ArgumentParser(add_help=False)
    group = target.add_argument_group("target (defaults from the environment)")
    group.add_argument("--table", help="table name (TABLE_NAME)")
    group.add_argument("--endpoint-url", help="DynamoDB/Cognito endpoint (AWS_ENDPOINT_URL)")
    group.add_argument("--region", help="AWS region (AWS_REGION)")

    parser = argparse.ArgumentParser(
        prog="python -m migrations_scripts",
        description="Admin commands for the Lifestyle API's DynamoDB table.",
    )
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    create = commands.add_parser(
        "create-table", parents=[target], help="create the table with its indexes (idempotent)"
    )
    create.set_defaults(command=cmd_create_table)

    migrate = commands.add_parser(
        "migrate", parents=[target], help="apply pending migrations, each once, in order"
    )
    migrate.add_argument(
        "--dry-run", action="store_true", help="say what would run; change nothing"
    )
    migrate.add_argument(
        "--segments", type=_positive, default=4, help="parallel scan segments (threads)"
    )
    migrate.add_argument("--page-size", type=_positive, help="items per scan page")
    migrate.set_defaults(command=cmd_migrate)

    seed_parser = commands.add_parser("seed", parents=[target], help="write demo data (idempotent)")
    seed_parser.add_argument(
        "--demo", action="store_true", required=True, help="the demo user and their data"
    )
    seed_parser.add_argument("--email", default=seed.DEMO_EMAIL, help="the demo user's email")
    seed_parser.add_argument(
        "--password", default=seed.DEMO_PASSWORD, help="the demo user's password (user pool)"
    )
    seed_parser.add_argument(
        "--days",
        type=_positive,
        default=seed.DEMO_DAYS,
        help=f"days of history up to yesterday (default {seed.DEMO_DAYS})",
    )
    seed_parser.add_argument(
        "--user-pool-id",
        help="create or find the demo user in this Cognito user pool (COGNITO_USER_POOL_ID); "
        f"without one the data belongs to the user id '{seed.DEMO_SUB}'",
    )
    seed_parser.set_defaults(command=cmd_seed)

    copy = commands.add_parser(
        "copy-table",
        parents=[target],
        help="copy every item of another table into this one (a new layout)",
    )
    copy.add_argument("--from", dest="source", required=True, help="the table to copy from")
    copy.add_argument("--page-size", type=_positive, help="items per scan page")
    copy.set_defaults(command=cmd_copy_table)

    status = commands.add_parser(
        "status", parents=[target], help="the table, its indexes and the migrations"
    )
    status.set_defaults(command=cmd_status)

    report = commands.add_parser("report", parents=[target], help="cross-user reports")
    report.add_argument("report", choices=["active-goals"], help="active goals by category")
    report.set_defaults(command=cmd_report)

    purge = commands.add_parser(
        "purge-deleted",
        parents=[target],
        help="the second pass of the account deletions that are due",
    )
    purge.add_argument(
        "--grace-minutes",
        type=_not_negative,
        default=int(ACCESS_TOKEN_LIFETIME.total_seconds() // 60),
        help="run the passes of deletions made at least this long ago (default: the "
        "access-token lifetime; 0 runs them all now)",
    )
    purge.add_argument(
        "--user-pool-id",
        help="the Cognito user pool of the deleted accounts (COGNITO_USER_POOL_ID)",
    )
    purge.set_defaults(command=cmd_purge_deleted)
    reminders = commands.add_parser(
        "run-reminders", parents=[target], help="one reminders pass, as the schedule runs it"
    )
    reminders.add_argument(
        "--at",
        type=_instant,
        help="the instant the pass is for (RFC 3339 with an offset; default now): it sends "
        "what fell due in the 15 minutes up to it",
    )
    reminders.add_argument(
        "--shard",
        type=int,
        action="append",
        choices=range(STATUS_SHARDS),
        metavar="N",
        help=f"only this shard of the status index (0-{STATUS_SHARDS - 1}; repeatable)",
    )
    reminders.set_defaults(command=cmd_run_reminders)
    return parser


def configure(args: argparse.Namespace) -> Settings:
    """Point the item models at the target the settings and the flags name."""
    overrides = {
        "TABLE_NAME": args.table,
        "AWS_ENDPOINT_URL": args.endpoint_url,
        "AWS_REGION": args.region,
    }
    settings = Settings.from_env({k: v for k, v in overrides.items() if v})
    db.configure(settings.table_name, settings.aws_region, settings.aws_endpoint_url)
    return settings


def describe_target(settings: Settings) -> str:
    where = settings.aws_endpoint_url or "AWS"
    return f"table '{settings.table_name}' in {settings.aws_region} at {where}"


def require_table(settings: Settings) -> None:
    if not TableItem.exists():
        raise CommandError(
            f"{describe_target(settings)} does not exist; run "
            "`python -m migrations_scripts create-table` first"
        )


def cmd_create_table(args: argparse.Namespace) -> int:
    settings = configure(args)
    print(
        f"create-table: {describe_target(settings)} with indexes {LSI1}, {LSI2}, {LSI3}, {GSI1}, "
        f"TTL on {TTL_ATTRIBUTE}, on-demand billing, point-in-time recovery"
    )
    if create_table():
        print("created")
    else:
        print("already exists; nothing changed")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    settings = configure(args)
    migrations = runner.discover()
    plan = "listing the pending ones (dry run)" if args.dry_run else "applying the pending ones"
    print(f"migrate: {describe_target(settings)}; {len(migrations)} migrations known, {plan}")
    require_table(settings)
    outcomes = runner.MigrationRunner(migrations, report=_progress).run(
        dry_run=args.dry_run, segments=args.segments, page_size=args.page_size
    )
    done = [o.migration.label for o in outcomes if o.result == "already applied"]
    if done:
        print(f"already applied: {', '.join(done)}")
    if args.dry_run:
        pending = [o for o in outcomes if o.result == "pending"]
        print(f"dry run: {len(pending)} pending; nothing was changed")
    else:
        applied = [o for o in outcomes if o.result == "applied"]
        print(f"{len(applied)} applied" if applied else "nothing to apply")
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    settings = configure(args)
    pool_id = args.user_pool_id or settings.cognito_user_pool_id
    owner = f"user pool {pool_id}" if pool_id else f"user id '{seed.DEMO_SUB}' (no user pool)"
    print(f"seed --demo: {args.email} in {owner}, {args.days} days; {describe_target(settings)}")
    require_table(settings)
    if pool_id:
        client = cognito.client(settings.aws_region, settings.aws_endpoint_url)
        sub = cognito.ensure_user(client, pool_id, args.email, args.password, name=seed.DEMO_NAME)
        print(f"  {args.email} is confirmed, with the given password (sub {sub})")
    else:
        sub = seed.DEMO_SUB
    result = seed.seed_demo(sub, email=args.email, days=args.days)
    print(f"  {result.describe()}")
    return 0


def cmd_copy_table(args: argparse.Namespace) -> int:
    settings = configure(args)
    print(f"copy-table: every item of table '{args.source}' into {describe_target(settings)}")
    require_table(settings)
    if args.source == settings.table_name:
        raise CommandError("the source and the target are the same table")
    totals = copy_table(
        args.source, settings.table_name, page_size=args.page_size, report=_progress
    )
    print(
        f"{totals.copied} items copied in {totals.pages} pages; "
        f"{totals.given_change_keys} given a change key"
    )
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    settings = configure(args)
    print(f"status: {describe_target(settings)}")
    require_table(settings)
    for line in status.table_lines():
        print(line)
    for line in status.migration_lines(runner.discover(), MigrationItem.all_records()):
        print(line)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    settings = configure(args)
    print(
        f"report {args.report}: index {GSI1} of {describe_target(settings)}, {STATUS_SHARDS} shards"
    )
    require_table(settings)
    counts = reports.goals_by_category("active")
    for line in reports.format_counts(counts, heading="active goals by category"):
        print(line)
    return 0


def cmd_purge_deleted(args: argparse.Namespace) -> int:
    settings = configure(args)
    if args.user_pool_id:
        settings = settings._replace(cognito_user_pool_id=args.user_pool_id)
    print(
        f"purge-deleted: deletions made at least {args.grace_minutes} minutes ago; "
        f"{describe_target(settings)}"
    )
    require_table(settings)
    passes = deletion.run_due_passes(
        settings,
        lambda username: accounts.delete_user(settings, username),
        grace=timedelta(minutes=args.grace_minutes),
    )
    removed = sum(done.items_removed for done in passes)
    users = sum(done.cognito_user_deleted for done in passes)
    print(f"{len(passes)} due: {removed} items removed, {users} Cognito users deleted")
    return 0


def cmd_run_reminders(args: argparse.Namespace) -> int:
    settings = configure(args)
    at = args.at or utc_now()
    shards = sorted(set(args.shard or range(STATUS_SHARDS)))
    where = describe_target(settings)
    print(f"run-reminders: for {format_instant(at)}, {len(shards)} shards; {where}")
    require_table(settings)
    summary = run_reminders(at, settings, shards=shards)
    print("  " + ", ".join(f"{name} {value}" for name, value in summary.items() if name != "at"))
    if summary.get("users_failed"):
        raise CommandError(
            f"the reminders of {summary['users_failed']} users failed (see the log); run the "
            "same pass again with --at to finish it: nothing is sent twice"
        )
    return 0


def describe_aws_error(exc: BaseException) -> str:
    """One line: what failed and the deepest cause AWS or botocore gave."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        text = str(getattr(current, "msg", None) or current).strip().splitlines()
        if text and text[0] not in parts:
            parts.append(text[0])
        current = getattr(current, "cause", None) or current.__cause__
    return ": ".join(parts) or type(exc).__name__


def _instant(raw: str) -> datetime:
    try:
        return parse_instant(raw)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an instant with an offset: {raw!r}") from exc


def _positive(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _not_negative(raw: str) -> int:
    value = int(raw)
    if value < 0:
        raise argparse.ArgumentTypeError("must be at least 0")
    return value


def _progress(line: str) -> None:
    print(line, flush=True)


def _fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
