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

from typing import Unpack

from lifestyle_api.goals.models import GoalItem
from migrations_scripts.conditional import update_keeping_version
from migrations_scripts.runner import MigrationContext
from migrations_scripts.scan import ScanMigration, ScanOptions, ScanTotals


def has_legacy_days():
    return GoalItem.legacy_check_in_dates.exists()


MIGRATION = ScanMigration(
    GoalItem,
    has_legacy_days,
    noun="goals",
    sought="with check-in days as a string set",
    found="keep check-in days as a string set",
    done="given compact check-in days",
    skipped="changed meanwhile, left for a rerun",
    verb="converted",
)


def convert(goal: GoalItem) -> bool:
    """Store the goal's days as a day set if nothing changed it since it was read (not when
    it was deleted, checked in on or edited since the page was read)."""
    return update_keeping_version(
        goal,
        goal.check_in_days_actions(goal.checked_in),
        has_legacy_days() & (GoalItem.version == goal.version),
    )


def convert_goal_check_in_days(**options: Unpack[ScanOptions]) -> ScanTotals:
    """Convert every goal that still has a string set (options as `ScanMigration.scan`)."""
    return MIGRATION.scan(convert, **options)


preview = MIGRATION.preview


def run(context: MigrationContext) -> str:
    return MIGRATION.run(context, convert)
