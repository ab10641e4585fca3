"""The migration runner: order, records, failures, and two operators racing."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from lifestyle_api.timeutil import utc_now
from migrations_scripts.records import APPLIED, APPLYING, MigrationItem
from migrations_scripts.runner import (
    Migration,
    MigrationError,
    MigrationInProgress,
    MigrationRunner,
    discover,
)


def recording(calls: list[str], version: str, *, fails: BaseException | None = None) -> Migration:
    def run(context) -> str:
        calls.append(version)
        if fails is not None:
            raise fails
        return f"ran {version}"

    return Migration(version, f"step_{version}", f"Step {version}.", run)


def quiet_runner(migrations, **options) -> MigrationRunner:
    return MigrationRunner(migrations, report=lambda _line: None, **options)


def records() -> dict[str, MigrationItem]:
    return MigrationItem.all_records()


def test_discover_finds_the_versioned_modules_in_order():
    migrations = discover()
    assert [m.label for m in migrations] == [
        "0001_backfill_goal_status_index",
        "0002_goal_check_in_days",
    ]
    assert migrations[0].description == (
        "Write the status index keys (GSI1) on goals created without them."
    )
    assert migrations[0].preview is not None


def test_applies_pending_migrations_in_version_order_and_records_each(table):
    calls: list[str] = []
    migrations = [recording(calls, v) for v in ("0003", "0001", "0002")]

    outcomes = quiet_runner(migrations).run()

    assert calls == ["0001", "0002", "0003"]
    assert [(o.migration.version, o.result) for o in outcomes] == [
        ("0001", "applied"),
        ("0002", "applied"),
        ("0003", "applied"),
    ]
    stored = records()
    assert sorted(stored) == ["0001", "0002", "0003"]
    assert {r.state for r in stored.values()} == {APPLIED}
    assert stored["0002"].name == "step_0002"
    assert stored["0002"].summary == "ran 0002"
    assert stored["0002"].applied_at is not None


def test_applied_migrations_are_skipped_and_only_new_ones_run(table):
    calls: list[str] = []
    quiet_runner([recording(calls, "0001"), recording(calls, "0002")]).run()
    calls.clear()

    outcomes = quiet_runner(
        [recording(calls, "0001"), recording(calls, "0002"), recording(calls, "0003")]
    ).run()

    assert calls == ["0003"]
    assert [o.result for o in outcomes] == ["already applied", "already applied", "applied"]
    assert sorted(records()) == ["0001", "0002", "0003"]


def test_a_failed_migration_is_reported_records_nothing_and_stops_the_run(table):
    calls: list[str] = []
    migrations = [
        recording(calls, "0001"),
        recording(calls, "0002", fails=ValueError("no such attribute")),
        recording(calls, "0003"),
    ]

    with pytest.raises(MigrationError) as failure:
        quiet_runner(migrations).run()

    assert str(failure.value).startswith(
        "0002_step_0002 failed: ValueError: no such attribute; its claim was removed"
    )
    assert calls == ["0001", "0002"]
    assert sorted(records()) == ["0001"]

    calls.clear()
    quiet_runner([recording(calls, v) for v in ("0001", "0002", "0003")]).run()
    assert calls == ["0002", "0003"]
    assert {v: r.state for v, r in records().items()} == {
        "0001": APPLIED,
        "0002": APPLIED,
        "0003": APPLIED,
    }


def test_an_interrupted_migration_releases_its_claim(table):
    calls: list[str] = []

    with pytest.raises(KeyboardInterrupt):
        quiet_runner([recording(calls, "0001", fails=KeyboardInterrupt())]).run()

    assert records() == {}


def test_dry_run_lists_pending_migrations_and_changes_nothing(table):
    calls: list[str] = []
    quiet_runner([recording(calls, "0001")]).run()
    lines: list[str] = []
    pending = Migration(
        "0002",
        "counted",
        "Counts things.",
        run=lambda context: calls.append("0002"),
        preview=lambda context: "7 things would change",
    )

    outcomes = MigrationRunner([recording(calls, "0001"), pending], report=lines.append).run(
        dry_run=True
    )

    assert [o.result for o in outcomes] == ["already applied", "pending"]
    assert lines == ["would apply 0002_counted: Counts things.", "  7 things would change"]
    assert calls == ["0001"]
    assert sorted(records()) == ["0001"]


def test_a_live_claim_is_refused_and_a_stale_one_is_taken_over(table):
    calls: list[str] = []
    now = utc_now()
    MigrationItem(
        *MigrationItem.key("0001"),
        name="step_0001",
        state=APPLYING,
        owner="ops-laptop:4242:abcd",
        claimed_at=now - timedelta(minutes=1),
        heartbeat_at=now - timedelta(seconds=30),
    ).save()

    with pytest.raises(MigrationInProgress, match=r"being applied by ops-laptop:4242:abcd"):
        quiet_runner([recording(calls, "0001")], lease_seconds=600).run()
    assert calls == []

    def twenty_minutes_later():
        return now + timedelta(minutes=20)

    quiet_runner([recording(calls, "0001")], lease_seconds=600, clock=twenty_minutes_later).run()
    assert calls == ["0001"]
    assert records()["0001"].state == APPLIED


def test_two_runners_racing_apply_each_migration_once(server_table):
    for version in ("0001", "0002", "0003"):
        runs: list[str] = []
        refused = threading.Event()

        def run(context, runs=runs, refused=refused) -> str:
            runs.append(threading.current_thread().name)
            # Hold the claim until the other operator has tried: a true overlap.
            assert refused.wait(timeout=30)
            return "done"

        migration = Migration(version, "race", "Race.", run)
        start = threading.Barrier(2)
        results: dict[str, object] = {}

        def operator(name: str, migration=migration, start=start, results=results, refused=refused):
            runner = quiet_runner([migration], owner=name)
            start.wait()
            try:
                results[name] = [o.result for o in runner.run()]
            except MigrationInProgress as exc:
                results[name] = exc
                refused.set()

        threads = [threading.Thread(target=operator, args=(n,), name=n) for n in ("ana", "ben")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        assert len(runs) == 1
        winner = runs[0]
        loser = "ben" if winner == "ana" else "ana"
        assert results[winner] == ["applied"]
        assert isinstance(results[loser], MigrationInProgress)
        assert f"being applied by {winner}" in str(results[loser])
        record = records()[version]
        assert (record.state, record.owner) == (APPLIED, winner)


def test_the_heartbeat_keeps_the_claim_fresh_and_a_lost_claim_stops_the_migration(table):
    beats: list[str] = []

    def beating(context) -> str:
        context.heartbeat()
        beats.append(records()["0001"].heartbeat_at.isoformat())
        return "done"

    ticks = iter(utc_now() + timedelta(seconds=n) for n in range(100))
    runner = quiet_runner(
        [Migration("0001", "beats", "Beats.", beating)],
        heartbeat_interval=0,
        clock=lambda: next(ticks),
    )
    runner.run()
    assert records()["0001"].claimed_at.isoformat() < beats[0]

    def stolen(context) -> str:
        record = records()["0002"]
        record.owner = "someone-else"
        record.save()
        context.heartbeat()
        return "never"

    with pytest.raises(MigrationError, match=r"this runner lost its claim"):
        quiet_runner([Migration("0002", "stolen", "Stolen.", stolen)], heartbeat_interval=0).run()
    assert records()["0002"].owner == "someone-else"
