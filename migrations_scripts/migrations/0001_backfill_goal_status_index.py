"""Write the status index keys (GSI1) on goals created without them.

Goals written before the status index existed have no `GSI1PK`/`GSI1SK`, so the cross-user
status readers (`report active-goals`, reminder jobs) cannot see them. This scans the table
in parallel segments for goals without `GSI1PK` and gives each the keys `GoalItem.touch`
writes: `STATUS#<STATUS>#<shard>` and `USER#<sub>#<updatedAt>`.

Resumable by construction: it only ever looks at goals still missing the keys, and each
write is conditional on the key still being missing, so a rerun after an interruption picks
up exactly the goals that remain and never overwrites keys a request wrote meanwhile. It
does not bump the goal's version: nothing a client sees changes.
"""

from __future__ import annotations

from collections.abc import Callable

from pynamodb.exceptions import PynamoDBException

from lifestyle_api.db.keys import status_gsi_pk_for_user, status_gsi_sk
from lifestyle_api.goals.models import GoalItem
from lifestyle_api.timeutil import utc_now
from migrations_scripts.runner import CONDITION_FAILED, MigrationContext
from migrations_scripts.scan import ScanTotals, parallel_scan

DEFAULT_STATUS = "active"


def missing_status_keys():
    return GoalItem.gsi1_pk.does_not_exist()


def add_status_keys(goal: GoalItem) -> bool:
    """Write the goal's GSI1 keys if it still has none; whether this call wrote them."""
    owner = goal.owner
    stamped = goal.updated_at or goal.created_at or utc_now()
    actions = [
        GoalItem.gsi1_pk.set(status_gsi_pk_for_user(goal.status or DEFAULT_STATUS, owner)),
        GoalItem.gsi1_sk.set(status_gsi_sk(owner, stamped)),
    ]
    try:
        GoalItem._get_connection().update_item(
            goal.pk,
            goal.sk,
            actions=actions,
            condition=GoalItem.pk.exists() & missing_status_keys(),
        )
    except PynamoDBException as exc:
        if exc.cause_response_code == CONDITION_FAILED:
            return False  # deleted, or given its keys by a request, since the page was read
        raise
    return True


def backfill_goal_status_keys(
    *,
    segments: int = 4,
    page_size: int | None = None,
    report: Callable[[str], None] = print,
    on_page: Callable[[], None] = lambda: None,
    handle: Callable[[GoalItem], bool] | None = None,
) -> ScanTotals:
    """Give every goal without GSI1 keys its keys; `handle` replaces the write (previews)."""
    report(
        f"scanning table {GoalItem.Meta.table_name} for goals without status index keys "
        f"({segments} segments, page size {page_size or 'default'})"
    )
    return parallel_scan(
        GoalItem,
        handle or add_status_keys,
        segments=segments,
        page_size=page_size,
        filter_condition=missing_status_keys(),
        report=report,
        on_page=on_page,
        verb="updated",
    )


def preview(context: MigrationContext) -> str:
    totals = backfill_goal_status_keys(
        segments=context.segments,
        page_size=context.page_size,
        report=lambda _line: None,
        handle=lambda _goal: False,
    )
    return f"{totals.matched} goals lack status index keys ({totals.scanned} items scanned)"


def run(context: MigrationContext) -> str:
    totals = backfill_goal_status_keys(
        segments=context.segments,
        page_size=context.page_size,
        report=context.report,
        on_page=context.heartbeat,
    )
    skipped = totals.matched - totals.changed
    return (
        f"{totals.changed} goals given status index keys"
        + (f" ({skipped} changed meanwhile, left alone)" if skipped else "")
        + f"; {totals.scanned} items scanned in {totals.pages} pages"
    )
