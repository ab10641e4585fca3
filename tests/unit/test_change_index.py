"""The change index (LSI3), written by the base item and the transaction for every item of
the change feed: keys and positions, every way of writing, tombstones, and the move of a
write answered late."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import botocore.client
import pytest
from moto import mock_aws
from pynamodb.constants import ALL_OLD
from pynamodb.exceptions import TransactWriteError

from lifestyle_api import db
from lifestyle_api.db import TableItem, changes, keys, transact_write
from lifestyle_api.db.table import create_table
from lifestyle_api.db.tombstones import TOMBSTONE_RETENTION, TombstoneItem
from lifestyle_api.db.writes import TRANSACTION_DELETES_MAX, delete_with_tombstones
from lifestyle_api.metrics.models import SourceMarkerItem
from tests.support import user_data
from tests.support.aws import TEST_REGION
from tests.support.sync import Clock

AT = datetime(2026, 11, 26, 6, 30, 0, 123000, tzinfo=UTC)
SUB = "alice-sub"


@pytest.fixture
def table():
    with mock_aws():
        db.configure("change-index", TEST_REGION, None)
        create_table(wait=False)
        yield


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(start=AT)
    monkeypatch.setattr(changes, "now", clock)
    return clock


def stored(sk: str) -> dict:
    raw = TableItem._get_connection().get_item(keys.user_pk(SUB), sk, consistent_read=True)
    return raw.get("Item", {})


def test_change_keys_sort_by_time_then_by_item_and_bounds_fall_between():
    key = keys.change_key(AT, "GOAL#01J")
    later = keys.change_key(AT + timedelta(milliseconds=1), "ACTIVITY#01A")

    assert key == "CHANGE#2026-11-26T06:30:00.123Z#GOAL#01J"
    assert keys.FEED_START < key < keys.change_bound(AT + timedelta(milliseconds=1)) < later
    assert keys.change_bound(AT) < key  # a bound is below the changes stamped at its instant
    assert keys.change_position_parts(key) == (AT, "GOAL#01J")
    assert keys.change_position_parts(keys.change_bound(AT)) == (AT, None)
    assert keys.change_position_parts(keys.FEED_START) == (None, None)
    for not_a_position in ("GOAL#01J", "CHANGE#yesterday#GOAL#01J", "CHANGE#2026-11-26"):
        with pytest.raises(ValueError, match="not a change position"):
            keys.change_position_parts(not_a_position)


def test_ids_clients_know_items_by():
    pk = keys.user_pk(SUB)
    assert keys.change_id(pk, keys.PROFILE_SK) == SUB
    assert keys.change_id(pk, keys.checkin_sk("01G", date(2026, 11, 26))) == "01G/2026-11-26"
    assert keys.change_id(pk, keys.entry_sk(keys.MEAL_PREFIX, "01M")) == "01M"
    tombstone = keys.tombstone_sk(keys.entry_sk(keys.MEAL_PREFIX, "01M"))
    assert keys.is_tombstone(tombstone)
    assert keys.deleted_sk(tombstone) == "MEAL#01M"


def test_save_update_and_batch_writes_stamp_items_of_the_feed(table, clock):
    meal, metric = user_data.meal(SUB), user_data.metric(SUB)
    meal.save()
    assert stored(meal.sk)["LSI3SK"]["S"] == keys.change_key(clock(), meal.sk)

    clock.advance(timedelta(seconds=1))
    meal.update(actions=[type(meal).notes.set("later")])
    assert stored(meal.sk)["LSI3SK"]["S"] == keys.change_key(clock(), meal.sk)
    assert meal.lsi3_sk == stored(meal.sk)["LSI3SK"]["S"]

    with TableItem.batch_write() as batch:
        batch.save(metric)
    assert stored(metric.sk)["LSI3SK"]["S"] == keys.change_key(clock(), metric.sk)


def test_internal_records_get_no_change_key(table, clock):
    marker = SourceMarkerItem(*SourceMarkerItem.key(SUB, "garmin", "w-1"), metric_id="01X")
    marker.save()
    assert "LSI3SK" not in stored(marker.sk)


def test_a_transaction_stamps_what_it_writes_and_leaves_tombstones(table, clock):
    goal = user_data.goal(SUB)
    check_in = user_data.check_in(SUB, goal.goal_id, date(2026, 11, 26))
    goal.save()
    check_in.save()
    clock.advance(timedelta(seconds=1))

    with transact_write() as tx:
        tx.delete(check_in)
        tx.update(goal, actions=[type(goal).title.set("Walk more")])

    key = keys.change_key(clock(), "")
    assert stored(check_in.sk) == {}
    tombstone = stored(keys.tombstone_sk(check_in.sk))
    assert tombstone["kind"]["S"] == "tombstone"
    assert tombstone["deletedKind"]["S"] == "checkin"
    assert tombstone["LSI3SK"]["S"] == key + keys.tombstone_sk(check_in.sk)
    assert stored(goal.sk)["LSI3SK"]["S"] == key + goal.sk


@pytest.mark.parametrize("write", ["save", "update"])
def test_a_transaction_applies_each_writes_condition_and_returns_the_item_it_failed_on(
    table, clock, write
):
    meal = user_data.meal(SUB, notes="as stored")
    meal.save()
    model = type(meal)
    unchanged = model.notes == "as read"

    def change_in_a_transaction():
        with transact_write() as tx:
            if write == "save":
                meal.notes = "changed"
                tx.save(meal, condition=unchanged, return_values=ALL_OLD)
            else:
                tx.update(meal, [model.notes.set("changed")], unchanged, ALL_OLD)

    with pytest.raises(TransactWriteError) as cancelled:
        change_in_a_transaction()

    (reason,) = cancelled.value.cancellation_reasons
    assert reason.code == "ConditionalCheckFailed"
    assert reason.raw_item["notes"] == {"S": "as stored"}
    assert stored(meal.sk)["notes"] == {"S": "as stored"}


def test_batch_writes_refuse_to_delete_items_of_the_feed(table):
    with (
        pytest.raises(TypeError, match=r"^delete items of the change feed in a transaction"),
        TableItem.batch_write() as batch,
    ):
        batch.delete(user_data.meal(SUB))


def test_batch_writes_delete_internal_records(table):
    marker = SourceMarkerItem(*SourceMarkerItem.key(SUB, "garmin", "w-1"), metric_id="01X")
    marker.save()
    with TableItem.batch_write() as batch:
        batch.delete(marker)
    assert stored(marker.sk) == {}


def slow_requests(
    clock: Clock, delay: timedelta, operations=frozenset({"PutItem", "TransactWriteItems"})
):
    """Every DynamoDB request of `operations` takes `delay` between its stamp and its answer."""
    original = botocore.client.BaseClient._make_api_call

    def slow(client, operation_name, api_params):
        answer = original(client, operation_name, api_params)
        if operation_name in operations:
            clock.advance(delay)
        return answer

    return slow


def counting_moves(monkeypatch) -> list[str]:
    """The change keys the moves of late writes give, in order."""
    moves: list[str] = []
    original = changes._move

    def move(item, key, at):
        fresh = original(item, key, at)
        moves.append(fresh)
        return fresh

    monkeypatch.setattr(changes, "_move", move)
    return moves


def test_a_write_answered_late_moves_to_a_fresh_change_key(table, clock, monkeypatch):
    meal = user_data.meal(SUB)
    stamped_at = clock()
    monkeypatch.setattr(
        botocore.client.BaseClient, "_make_api_call", slow_requests(clock, timedelta(seconds=9))
    )

    meal.save()

    assert stored(meal.sk)["LSI3SK"]["S"] == keys.change_key(clock(), meal.sk)
    assert meal.lsi3_sk == stored(meal.sk)["LSI3SK"]["S"]  # the item as it is stored
    assert clock() - stamped_at > changes.SETTLE_WINDOW


@pytest.mark.parametrize(
    "delay", [changes.LATE_WRITE - timedelta(milliseconds=10), changes.LATE_WRITE]
)
def test_a_write_answered_in_time_keeps_its_key(table, clock, monkeypatch, delay):
    meal = user_data.meal(SUB)
    stamped_at = clock()
    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", slow_requests(clock, delay))

    meal.save()

    assert stored(meal.sk)["LSI3SK"]["S"] == keys.change_key(stamped_at, meal.sk)


def test_a_move_answered_late_moves_again(table, clock, monkeypatch):
    # The first move's own answer comes late too; the second is in time.
    delays = iter([timedelta(seconds=9), timedelta(seconds=9), timedelta()])
    original = botocore.client.BaseClient._make_api_call

    def slow(client, operation_name, api_params):
        answer = original(client, operation_name, api_params)
        if operation_name in {"PutItem", "UpdateItem"}:
            clock.advance(next(delays))
        return answer

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", slow)
    moves = counting_moves(monkeypatch)
    meal = user_data.meal(SUB)

    meal.save()

    assert len(moves) == 2
    assert stored(meal.sk)["LSI3SK"]["S"] == moves[-1] == meal.lsi3_sk


def test_every_late_item_of_one_write_moves(table, clock, monkeypatch):
    meals = [user_data.meal(SUB), user_data.meal(SUB)]
    monkeypatch.setattr(
        botocore.client.BaseClient, "_make_api_call", slow_requests(clock, timedelta(seconds=9))
    )
    stamped_at = clock()

    with transact_write() as tx:
        for meal in meals:
            tx.save(meal)

    for meal in meals:
        assert stored(meal.sk)["LSI3SK"]["S"] != keys.change_key(stamped_at, meal.sk)
        assert stored(meal.sk)["LSI3SK"]["S"] == keys.change_key(clock(), meal.sk)


def test_a_write_whose_moves_all_come_late_stops_and_is_logged(
    table, clock, monkeypatch, log_output
):
    slow = slow_requests(clock, timedelta(seconds=9), frozenset({"PutItem", "UpdateItem"}))
    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", slow)
    moves = counting_moves(monkeypatch)
    meal = user_data.meal(SUB)

    meal.save()

    assert len(moves) == changes.RESTAMP_ATTEMPTS
    assert stored(meal.sk)["LSI3SK"]["S"] == moves[-1]
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    (late,) = [line for line in lines if line["level"] == "ERROR"]
    assert late["message"] == "A change key could not be written in time"
    assert late["sk"] == meal.sk


def test_a_late_write_never_moves_a_newer_one(table, clock):
    meal = user_data.meal(SUB)
    meal.save()
    first_key = meal.lsi3_sk
    clock.advance(timedelta(seconds=1))
    newer = TableItem.get(meal.pk, meal.sk)
    newer.save()

    # The first write's answer comes late: its move finds a newer key and leaves it.
    changes.restamp_late([meal], clock() - timedelta(seconds=30))

    assert meal.lsi3_sk == first_key
    assert stored(meal.sk)["LSI3SK"]["S"] == newer.lsi3_sk


def test_a_late_write_whose_first_item_was_replaced_still_moves_the_others(table, clock):
    replaced, late = user_data.meal(SUB), user_data.meal(SUB)
    replaced.save()
    late.save()
    late_key = late.lsi3_sk
    clock.advance(timedelta(seconds=1))
    TableItem.get(replaced.pk, replaced.sk).save()

    changes.restamp_late([replaced, late], clock() - timedelta(seconds=30))

    assert late.lsi3_sk != late_key
    assert stored(late.sk)["LSI3SK"]["S"] == late.lsi3_sk == keys.change_key(clock(), late.sk)


def test_tombstones_expire_after_the_retention(table, clock):
    meal = user_data.meal(SUB)
    meal.save()
    with transact_write() as tx:
        tx.delete(meal)
    (tombstone,) = TombstoneItem.query(keys.user_pk(SUB))
    assert tombstone.expires_at == (clock() + TOMBSTONE_RETENTION).replace(microsecond=0)


def test_deleting_more_than_a_transaction_holds_deletes_all_in_transactions_of_50(
    table, clock, aws_calls
):
    goal = user_data.goal(SUB)
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(2 * TRANSACTION_DELETES_MAX + 7)]
    check_ins = [user_data.check_in(SUB, goal.goal_id, day) for day in days]
    with TableItem.batch_write() as batch:
        for check_in in check_ins:
            batch.save(check_in)

    delete_with_tombstones(check_ins)

    assert aws_calls.dynamodb["TransactWriteItems"] == 3
    assert all(stored(check_in.sk) == {} for check_in in check_ins)
    assert all(stored(keys.tombstone_sk(check_in.sk)) for check_in in check_ins)


def test_a_transaction_deletes_only_the_version_it_read_unless_told_otherwise(table, clock):
    meal = user_data.meal(SUB)
    meal.save()
    stale = TableItem.get(meal.pk, meal.sk)
    meal.update(actions=[type(meal).notes.set("changed since")])

    with pytest.raises(TransactWriteError), transact_write() as tx:
        tx.delete(stale)
    assert stored(meal.sk)["notes"] == {"S": "changed since"}
    assert stored(keys.tombstone_sk(meal.sk)) == {}

    with transact_write() as tx:
        tx.delete(stale, add_version_condition=False)
    assert stored(meal.sk) == {}
    assert stored(keys.tombstone_sk(meal.sk))["deletedKind"] == {"S": "meal"}
