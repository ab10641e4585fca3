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

from typing import Unpack

from lifestyle_api.db.keys import status_gsi_pk_for_user, status_gsi_sk
from lifestyle_api.goals.models import GoalItem
from lifestyle_api.timeutil import utc_now
from migrations_scripts.conditional import update_keeping_version
from migrations_scripts.runner import MigrationContext
from migrations_scripts.scan import ScanMigration, ScanOptions, ScanTotals

DEFAULT_STATUS = "active"


def missing_status_keys():
    return GoalItem.gsi1_pk.does_not_exist()


MIGRATION = ScanMigration(
    GoalItem,
    missing_status_keys,
    noun="goals",
    sought="without status index keys",
    found="lack status index keys",
    done="given status index keys",
    skipped="changed meanwhile, left alone",
    verb="updated",
)


def add_status_keys(goal: GoalItem) -> bool:
    """Write the goal's GSI1 keys if it still has none; whether this call wrote them (not
    when it was deleted, or given its keys by a request, since the page was read)."""
    owner = goal.owner
    stamped = goal.updated_at or goal.created_at or utc_now()
    actions = [
        GoalItem.gsi1_pk.set(status_gsi_pk_for_user(goal.status or DEFAULT_STATUS, owner)),
        GoalItem.gsi1_sk.set(status_gsi_sk(owner, stamped)),
    ]
    return update_keeping_version(goal, actions, GoalItem.pk.exists() & missing_status_keys())


def backfill_goal_status_keys(**options: Unpack[ScanOptions]) -> ScanTotals:
    """Give every goal without GSI1 keys its keys (options as `ScanMigration.scan`)."""
    return MIGRATION.scan(add_status_keys, **options)


preview = MIGRATION.preview


def run(context: MigrationContext) -> str:
    return MIGRATION.run(context, add_status_keys)
