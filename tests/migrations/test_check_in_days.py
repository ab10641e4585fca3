"""Migration 0002: goals' check-in days from a string set to the compact day set, and the
app reading both forms while it runs."""

from __future__ import annotations

import importlib
from datetime import UTC, date, datetime, timedelta

from lifestyle_api.dayset import DaySet
from lifestyle_api.db import TableItem
from lifestyle_api.goals.models import GoalItem, Schedule
from lifestyle_api.goals.service import attach_progress
from lifestyle_api.profile.models import ProfileItem
from migrations_scripts.records import APPLIED, MigrationItem
from migrations_scripts.runner import MigrationRunner, discover

convert = importlib.import_module("migrations_scripts.migrations.0002_goal_check_in_days")

CREATED = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
TODAY = date(2026, 11, 26)


def legacy_goal(n: int, days: set[date]) -> GoalItem:
    """A goal as written before the day set: its days as a string set."""
    return GoalItem(
        *GoalItem.key(f"user-{n % 5}", goal_id := f"01J{n:023d}"),
        goal_id=goal_id,
        title=f"Goal {n}",
        category="fitness",
        goal_type="habit",
        schedule=Schedule(frequency="daily"),
        status="active",
        start_date=date(2026, 3, 1),
        legacy_check_in_dates={day.isoformat() for day in days} or None,
        version=3,
        created_at=CREATED,
        updated_at=CREATED,
    )


def history(n: int) -> set[date]:
    """A different run of days for every goal, ending today for the even ones."""
    end = TODAY if n % 2 == 0 else TODAY - timedelta(days=3)
    return {end - timedelta(days=offset) for offset in range(n % 9 + 1)}


def save_all(items) -> None:
    with TableItem.batch_write() as batch:
        for item in items:
            batch.save(item)


def stored(goal: GoalItem) -> GoalItem:
    return GoalItem.get(*GoalItem.key(goal.owner, goal.goal_id))


def test_every_goal_is_converted_through_pages_and_segments(table):
    goals = [legacy_goal(n, history(n)) for n in range(30)]
    no_days = legacy_goal(99, set())
    save_all([*goals, no_days, ProfileItem(*ProfileItem.key("user-0"), user_id="user-0")])
    lines: list[str] = []

    totals = convert.convert_goal_check_in_days(segments=3, page_size=4, report=lines.append)

    assert (totals.matched, totals.changed, totals.scanned) == (30, 30, 32)
    assert any(line.endswith("30 matched, 30 converted") for line in lines)
    for goal in goals:
        after = stored(goal)
        assert after.legacy_check_in_dates is None
        assert set(after.check_in_days) == history(int(goal.goal_id[3:]))
        assert after.version == 3  # nothing a client sees changed
    assert stored(no_days).check_in_days is None

    again = convert.convert_goal_check_in_days(segments=2, report=lambda _line: None)
    assert (again.matched, again.changed) == (0, 0)


def test_progress_is_the_same_before_and_after(table):
    goals = [legacy_goal(n, history(n)) for n in range(12)]
    save_all(goals)
    before = [stored(goal) for goal in goals]
    attach_progress(before, "UTC", now=datetime(2026, 11, 26, 12, tzinfo=UTC))

    convert.convert_goal_check_in_days(segments=2, report=lambda _line: None)

    after = [stored(goal) for goal in goals]
    attach_progress(after, "UTC", now=datetime(2026, 11, 26, 12, tzinfo=UTC))
    assert [goal.progress for goal in after] == [goal.progress for goal in before]
    assert any(goal.progress.streak_current > 1 for goal in after)


def test_a_goal_written_meanwhile_is_left_to_its_writer(table):
    goal = legacy_goal(1, history(1))
    save_all([goal])
    read = stored(goal)
    # A check-in by the app after the page was read: it converts the goal itself.
    changed = stored(goal)
    changed.check_in_days = changed.checked_in.with_day(TODAY)
    changed.legacy_check_in_dates = None
    changed.save()

    assert convert.convert(read) is False
    assert set(stored(goal).check_in_days) == history(1) | {TODAY}


def test_days_in_both_forms_are_merged_on_read_and_written_once(table):
    goal = legacy_goal(2, {TODAY - timedelta(days=5)})
    goal.check_in_days = DaySet.of([TODAY])
    save_all([goal])

    assert set(stored(goal).checked_in) == {TODAY, TODAY - timedelta(days=5)}
    assert convert.convert(stored(goal)) is True
    after = stored(goal)
    assert after.legacy_check_in_dates is None
    assert set(after.check_in_days) == {TODAY, TODAY - timedelta(days=5)}


def test_the_runner_applies_it_after_0001(table):
    save_all([legacy_goal(n, history(n)) for n in range(6)])

    outcomes = MigrationRunner(discover(), report=lambda _line: None).run(segments=2)

    assert [outcome.migration.label for outcome in outcomes] == [
        "0001_backfill_goal_status_index",
        "0002_goal_check_in_days",
    ]
    assert outcomes[1].summary.startswith("6 goals given compact check-in days")
    assert MigrationItem.all_records()["0002"].state == APPLIED
