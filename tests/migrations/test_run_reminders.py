"""`python -m migrations_scripts run-reminders [--at]`: one pass, as the schedule runs it,
over the demo user (who has reminders on two habits)."""

from __future__ import annotations

from datetime import time

import pytest

from lifestyle_api.db.keys import user_pk
from lifestyle_api.goals.models import GoalItem
from lifestyle_api.reminders.timing import instant_of
from lifestyle_api.timeutil import today_in
from migrations_scripts import seed
from migrations_scripts.cli import main
from tests.support.aws import TEST_REGION
from tests.support.reminders import stored_notifications

TARGET = ["--table", "lifestyle-ops", "--region", TEST_REGION]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def demo(table):
    seed.seed_demo(seed.DEMO_SUB, email=seed.DEMO_EMAIL, report=lambda _line: None)
    return seed.DEMO_SUB


def test_the_demo_user_has_reminders_on_two_habits(demo):
    goals = GoalItem.query(user_pk(demo), GoalItem.list_range())
    reminded = {goal.title: goal.reminder.time for goal in goals if goal.reminder}

    assert reminded == {
        "Meditate for 10 minutes": "08:00",
        "No screens after 22:00 on work nights": "21:30",
    }


def test_a_pass_at_an_instant_sends_what_fell_due_once(demo, capsys):
    today = today_in(seed.DEMO_TIMEZONE)
    at = instant_of(today, time(8, 0), seed.DEMO_TIMEZONE)

    code, out, err = run(capsys, "run-reminders", *TARGET, "--at", at.isoformat())
    again = run(capsys, "run-reminders", *TARGET, "--at", at.isoformat())

    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == (
        f"run-reminders: for {at:%Y-%m-%dT%H:%M:%SZ}, 16 shards; "
        f"table 'lifestyle-ops' in {TEST_REGION} at AWS"
    )
    assert "reminder 1" in lines[1]
    assert "already_sent 1" in again[1].splitlines()[1]
    (notification,) = stored_notifications(demo)
    assert (notification.title, notification.day) == ("Meditate for 10 minutes", today)


def test_one_shard_can_be_run_alone(demo, capsys):
    code, out, _err = run(capsys, "run-reminders", *TARGET, "--shard", "3", "--shard", "3")

    assert code == 0
    assert ", 1 shards;" in out.splitlines()[0]


@pytest.mark.parametrize(
    "argv",
    [["--at", "2026-11-26T08:00:00"], ["--at", "tomorrow"], ["--shard", "16"]],
)
def test_bad_arguments_are_refused_before_anything_runs(table, capsys, argv):
    with pytest.raises(SystemExit) as exit_:
        main(["run-reminders", *TARGET, *argv])

    assert exit_.value.code == 2
    assert capsys.readouterr().err
