"""Rewrite each goal's check-in days from a string set into the compact day set.

Goals used to keep their check-in days as a string set (`checkInDates`, one `YYYY-MM-DD` per
day); every read of a goal then parsed every day of its history. They now keep a `DaySet`
(`checkInDays`, `<first day>:<hex>`), read in constant time. This scans the table in
parallel segments for goals that still have `checkInDates` and writes each one's days, the
old and any new ones merged, into `checkInDays`, removing `checkInDates`.

The app reads both while this runs (and merges them), and its next check-in write on a goal
converts it too, so the order of deploy and migration does not matter. Resumable by
construction: it only looks at goals that still have the old set, and each write is
conditional on the version read and the old set still being there, so a goal a request
wrote meanwhile is left for that request (or a rerun) and nothing is lost. It does not bump
the goal's version: nothing a client sees changes.
"""

from __future__ import annotations

from collections.abc import Callable

from pynamodb.exceptions import PynamoDBException

from lifestyle_api.goals.models import GoalItem
from migrations_scripts.runner import CONDITION_FAILED, MigrationContext
from migrations_scripts.scan import ScanTotals, parallel_scan


def has_legacy_days():
    return GoalItem.legacy_check_in_dates.exists()


def convert(goal: GoalItem) -> bool:
    """Store the goal's days as a day set if nothing changed it since it was read."""
    try:
        GoalItem._get_connection().update_item(
            goal.pk,
            goal.sk,
            actions=goal.check_in_days_actions(goal.checked_in),
            condition=has_legacy_days() & (GoalItem.version == goal.version),
        )
    except PynamoDBException as exc:
        if exc.cause_response_code == CONDITION_FAILED:
            return False  # deleted, checked in on or edited since the page was read
        raise
    return True


def convert_goal_check_in_days(
    *,
    segments: int = 4,
    page_size: int | None = None,
    report: Callable[[str], None] = print,
    on_page: Callable[[], None] = lambda: None,
    handle: Callable[[GoalItem], bool] | None = None,
) -> ScanTotals:
    """Convert every goal that still has a string set; `handle` replaces the write (previews)."""
    report(
        f"scanning table {GoalItem.Meta.table_name} for goals with check-in days as a string "
        f"set ({segments} segments, page size {page_size or 'default'})"
    )
    return parallel_scan(
        GoalItem,
        handle or convert,
        segments=segments,
        page_size=page_size,
        filter_condition=has_legacy_days(),
        report=report,
        on_page=on_page,
        verb="converted",
    )


def preview(context: MigrationContext) -> str:
    totals = convert_goal_check_in_days(
        segments=context.segments,
        page_size=context.page_size,
        report=lambda _line: None,
        handle=lambda _goal: False,
    )
    return (
        f"{totals.matched} goals keep check-in days as a string set "
        f"({totals.scanned} items scanned)"
    )


def run(context: MigrationContext) -> str:
    totals = convert_goal_check_in_days(
        segments=context.segments,
        page_size=context.page_size,
        report=context.report,
        on_page=context.heartbeat,
    )
    skipped = totals.matched - totals.changed
    return (
        f"{totals.changed} goals given compact check-in days"
        + (f" ({skipped} changed meanwhile, left for a rerun)" if skipped else "")
        + f"; {totals.scanned} items scanned in {totals.pages} pages"
    )
