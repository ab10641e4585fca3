"""Exactly once, against moto in server mode (real HTTP, real threads; the harness handles
one emulator request at a time, as DynamoDB applies each write atomically): passes running
at the same time, a pass retried after a crash between the inbox write and the push, and a
pass run twice for the same instant each leave one notification per goal, kind and local
day, pushed once to each device."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from lifestyle_api import create_app
from lifestyle_api.db.table import create_table
from lifestyle_api.notifications.delivery import PUSH_LEASE
from lifestyle_api.notifications.push import PushGateway
from tests.support.identity import TEST_CLIENT_ID, authorizer_environ
from tests.support.reminders import (
    Passes,
    add_habit,
    check_in,
    create_push_applications,
    ios_token,
    local,
    past_day,
    pushed_messages,
    register_device,
    set_profile,
    stored_notifications,
)

USERS = 6
CONCURRENT_PASSES = 4
TIMEZONE = "Asia/Kathmandu"


@pytest.fixture
def reminders_app(moto_server):
    app = create_app(
        {
            "TABLE_NAME": f"reminders-{uuid.uuid4().hex[:8]}",
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": moto_server,
            "CURSOR_SECRET": "test-cursor-secret",
            "COGNITO_CLIENT_ID": TEST_CLIENT_ID,
            **create_push_applications(moto_server),
        }
    )
    app.config["TESTING"] = True
    create_table(wait=True, point_in_time_recovery=False)
    return app


class Crash(BaseException):
    """The process dies between the inbox write and the push."""


class CrashingGateway(PushGateway):
    def publish(self, endpoint_arn, message):
        raise Crash()


@pytest.fixture
def users(reminders_app):
    """Users with a habit reminded at 08:00 and another on a five-day streak, each with a
    device; `(subs, {sub: token}, the day, passes over their shards)`."""
    day = past_day(2)
    subs = [f"user-{uuid.uuid4().hex[:10]}" for _ in range(USERS)]
    tokens = {}
    for sub in subs:
        client = reminders_app.test_client()
        client.environ_base.update(authorizer_environ(sub))
        set_profile(client, TIMEZONE)
        add_habit(client, title="Stretch", reminder="08:00")
        streak = add_habit(client, title="Walk")
        check_in(client, streak, *(day - timedelta(days=n) for n in range(1, 6)))
        tokens[sub] = register_device(client, ios_token())
    return subs, tokens, day, Passes(reminders_app, subs)


def run_together(work, count: int) -> list:
    """`work()` on `count` threads released at once; their results or exceptions."""
    start = threading.Barrier(count)

    def run(_index: int):
        start.wait(timeout=30)
        try:
            return work()
        except BaseException as exc:  # a crash is one of the outcomes
            return exc

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def assert_exactly_once(subs, tokens, day):
    for sub in subs:
        kinds = Counter((n.notification_kind, n.day) for n in stored_notifications(sub))
        assert kinds == {("reminder", day): 1, ("streak_at_risk", day): 1}, sub
        assert len(pushed_messages()[tokens[sub]]) == 2, sub


def test_passes_running_at_the_same_time_send_everything_once(users):
    subs, tokens, day, passes = users
    results = []
    for at in (local(day, 8, 0, TIMEZONE), local(day, 20, 0, TIMEZONE)):
        results += run_together(lambda at=at: passes.run(at), CONCURRENT_PASSES)

    assert not [r for r in results if isinstance(r, BaseException)]
    sent = Counter()
    for summary in results:
        sent.update({kind: summary.get(kind, 0) for kind in ("reminder", "streak_at_risk")})
    assert sent == {"reminder": USERS, "streak_at_risk": USERS}
    assert sum(r.get("already_sent", 0) for r in results) == 2 * USERS * (CONCURRENT_PASSES - 1)
    assert_exactly_once(subs, tokens, day)


def test_a_pass_retried_after_a_crash_between_the_inbox_and_the_push(users):
    subs, tokens, day, passes = users
    crashing = CrashingGateway(passes.settings)
    morning, evening = local(day, 8, 0, TIMEZONE), local(day, 20, 0, TIMEZONE)

    def pushes() -> dict[str, int]:
        sent = pushed_messages()
        return {sub: len(sent.get(tokens[sub], [])) for sub in subs}

    for at in (morning, evening):
        before = pushes()
        with pytest.raises(Crash):
            passes.run(at, gateway=crashing)
        left = [n for sub in subs for n in stored_notifications(sub) if n.push_state == "pending"]
        assert left, "the crash came after some inbox writes"
        assert pushes() == before
        # The retry, once the crashed pass's lease has run out, meets another pass of the
        # same instant: what the crash left is pushed once, what it never reached is sent.
        after_the_lease = at + PUSH_LEASE + timedelta(seconds=1)

        def retry(at=at, now=after_the_lease):
            return passes.run(at, clock=lambda: now)

        retries = run_together(retry, 2)
        assert not [r for r in retries if isinstance(r, BaseException)]
        assert sum(r.get("retried", 0) for r in retries) == len(left)

    assert_exactly_once(subs, tokens, day)
    assert all(tokens[sub] in pushed_messages() for sub in subs)


def test_a_pass_run_twice_for_the_same_instant_sends_once(users):
    subs, tokens, day, passes = users

    for at in (local(day, 8, 0, TIMEZONE), local(day, 20, 0, TIMEZONE)):
        first = passes.run(at)
        second = passes.run(at)
        assert first.get("already_sent", 0) == 0
        assert second["already_sent"] == USERS
        assert second.get("pushed", 0) == 0

    assert_exactly_once(subs, tokens, day)
