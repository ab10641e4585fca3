"""Migration 0001: the status index backfill, through pages, segments and interruptions."""

from __future__ import annotations

import importlib
from datetime import UTC, date, datetime, timedelta

import pytest

from lifestyle_api.db import TableItem
from lifestyle_api.db.keys import status_gsi_pk_for_user, status_gsi_sk
from lifestyle_api.goals.models import GoalItem
from lifestyle_api.profile.models import ProfileItem
from migrations_scripts import reports
from migrations_scripts.records import APPLIED, MigrationItem
from migrations_scripts.runner import MigrationError, MigrationRunner, discover

backfill = importlib.import_module("migrations_scripts.migrations.0001_backfill_goal_status_index")

CREATED = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
CATEGORIES = ("fitness", "sleep", "nutrition", "hydration")
STATUSES = ("active", "active", "paused")


def legacy_goals(count: int, *, users: int = 7) -> list[GoalItem]:
    """Goals as they were written before the status index: no GSI1 keys."""
    goals = []
    with TableItem.batch_write() as batch:
        for n in range(count):
            sub = f"user-{n % users}"
            goal = GoalItem(
                *GoalItem.key(sub, f"01J{n:023d}"),
                goal_id=f"01J{n:023d}",
                title=f"Goal {n}",
                category=CATEGORIES[n % len(CATEGORIES)],
                goal_type="habit",
                status=STATUSES[n % len(STATUSES)],
                start_date=date(2026, 3, 1),
                version=1,
                created_at=CREATED,
                updated_at=CREATED + timedelta(minutes=n),
            )
            batch.save(goal)
            goals.append(goal)
    return goals


def indexed_goal(sub: str, goal_id: str) -> GoalItem:
    goal = GoalItem(
        *GoalItem.key(sub, goal_id),
        goal_id=goal_id,
        title="Already indexed",
        category="mindfulness",
        goal_type="habit",
        status="active",
        start_date=date(2026, 3, 1),
        created_at=CREATED,
    )
    goal.touch(CREATED)
    goal.save()
    return goal


def stored_goals() -> dict[str, GoalItem]:
    return {goal.goal_id: goal for goal in GoalItem.scan()}


def test_backfill_pages_through_the_table_in_parallel_segments(table):
    goals = legacy_goals(45)
    kept = indexed_goal("user-0", "01KZZZZZZZZZZZZZZZZZZZZZZZ")
    for n in range(12):
        ProfileItem(*ProfileItem.key(f"user-{n}"), user_id=f"user-{n}").save()
    lines: list[str] = []

    totals = backfill.backfill_goal_status_keys(segments=3, page_size=5, report=lines.append)

    assert totals.changed == 45
    assert totals.scanned == 45 + 1 + 12
    # Far more pages than segments: every segment paged through several pages of five.
    assert totals.pages >= 58 // 5
    progress = [line for line in lines if line.startswith("  segment ")]
    assert len(progress) == totals.pages
    assert {line.split(" page")[0].strip() for line in progress} == {
        "segment 1/3",
        "segment 2/3",
        "segment 3/3",
    }
    assert any(line.endswith("total: 58 scanned, 45 matched, 45 updated") for line in progress)
    stored = stored_goals()
    for goal in goals:
        after = stored[goal.goal_id]
        assert after.gsi1_pk == status_gsi_pk_for_user(goal.status, goal.owner)
        assert after.gsi1_sk == status_gsi_sk(goal.owner, goal.updated_at)
        assert after.version == 1  # nothing a client sees changed
    assert stored[kept.goal_id].gsi1_sk == kept.gsi1_sk

    again = backfill.backfill_goal_status_keys(segments=2, page_size=5, report=lambda _l: None)
    assert (again.matched, again.changed) == (0, 0)


def test_backfilled_goals_are_counted_by_the_status_index_report(table):
    legacy_goals(24)
    assert reports.goals_by_category("active") == {}

    backfill.backfill_goal_status_keys(segments=2, report=lambda _line: None)

    # Two of every three goals are active; categories cycle through four.
    expected: dict[str, int] = {}
    for n in range(24):
        if STATUSES[n % 3] == "active":
            expected[CATEGORIES[n % 4]] = expected.get(CATEGORIES[n % 4], 0) + 1
    assert reports.goals_by_category("active") == expected
    assert sum(reports.goals_by_category("paused").values()) == 8


class Interrupted(Exception):
    pass


def test_an_interrupted_backfill_records_nothing_and_resumes_where_it_stopped(table, monkeypatch):
    legacy_goals(40)
    written = 0
    real_write = backfill.add_status_keys

    def crash_after_fifteen(goal: GoalItem) -> bool:
        nonlocal written
        if written == 15:
            raise Interrupted("connection lost")
        written += 1
        return real_write(goal)

    monkeypatch.setattr(backfill, "add_status_keys", crash_after_fifteen)
    migrations = discover()
    with pytest.raises(
        MigrationError, match=r"0001_backfill_goal_status_index failed: Interrupted"
    ):
        MigrationRunner(migrations, report=lambda _line: None).run(segments=2, page_size=4)

    assert MigrationItem.all_records() == {}
    done = [g for g in stored_goals().values() if g.gsi1_pk]
    assert len(done) == 15

    monkeypatch.setattr(backfill, "add_status_keys", real_write)
    outcomes = MigrationRunner(migrations, report=lambda _line: None).run(segments=2, page_size=4)

    assert outcomes[0].summary.startswith("25 goals given status index keys")
    assert all(goal.gsi1_pk for goal in stored_goals().values())
    assert MigrationItem.all_records()["0001"].state == APPLIED


def test_a_goal_given_its_keys_meanwhile_is_left_alone(table):
    [goal] = legacy_goals(1)
    indexed = GoalItem.get(*GoalItem.key(goal.owner, goal.goal_id))
    indexed.touch(CREATED + timedelta(days=3))
    indexed.save()

    assert backfill.add_status_keys(goal) is False
    after = GoalItem.get(*GoalItem.key(goal.owner, goal.goal_id))
    assert after.gsi1_sk == status_gsi_sk(goal.owner, CREATED + timedelta(days=3))
