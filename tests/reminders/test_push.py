"""Push through SNS mobile push (moto): every notification reaches each registered device
once; a token the push service rejects removes the device; other failures are retried by
later passes without a second inbox entry or a second push to a device already reached."""

from __future__ import annotations

import json
from datetime import timedelta

import boto3
import pytest

from lifestyle_api.db.keys import (
    DEVICE_PREFIX,
    NOTIFICATION_PREFIX,
    device_sk,
    pending_push_gsi_pk,
    status_gsi_sk,
    status_shard,
    user_pk,
)
from lifestyle_api.notifications.delivery import (
    MAX_PUSH_ATTEMPTS,
    PUSH_LEASE,
    notification_key,
    record_once,
)
from lifestyle_api.notifications.models import PUSH_DONE, PUSH_GAVE_UP, PUSH_PENDING, DeviceItem
from lifestyle_api.notifications.push import PushFailed, PushGateway
from tests.support.aws import TEST_REGION, counting_aws_calls
from tests.support.reminders import (
    add_habit,
    disable_endpoint_of,
    ios_token,
    pushed_messages,
    register_device,
    set_profile,
    stored_notifications,
    utc,
)

ALICE = "alice-sub"
EIGHT = utc(2026, 11, 26, 8, 0)
NEXT_DAY = utc(2026, 11, 27, 8, 0)
FCM_TOKEN = "cM9-x_Yq0kE:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx"


@pytest.fixture
def alice_reminded(alice):
    """Alice in UTC with a habit reminded at 08:00; the goal's id."""
    set_profile(alice, "UTC")
    return add_habit(alice, reminder="08:00", title="Meditate")


class FailingPublishes(PushGateway):
    """SNS as the settings name it, except that the first `failures` publishes fail as a
    throttled or unreachable SNS would (`PushFailed`)."""

    def __init__(self, settings, failures: int) -> None:
        super().__init__(settings)
        self.failures = failures

    def publish(self, endpoint_arn, message):
        if self.failures:
            self.failures -= 1
            raise PushFailed("publishing failed: Throttling")
        super().publish(endpoint_arn, message)


def test_each_device_gets_the_notification_once(alice, alice_reminded, passes):
    ios = register_device(alice)
    android = register_device(alice, FCM_TOKEN, platform="android")

    summary = passes(ALICE).run(EIGHT)
    passes(ALICE).run(EIGHT)

    assert summary["pushed"] == 2
    messages = pushed_messages()
    assert {token: len(sent) for token, sent in messages.items()} == {ios: 1, android: 1}
    sent = json.loads(messages[ios][0])
    apns = json.loads(sent["APNS"])
    assert apns["aps"]["alert"] == {"title": "Meditate", "body": sent["default"]}
    assert apns["goalId"] == alice_reminded
    fcm = json.loads(json.loads(messages[android][0])["GCM"])
    assert fcm["notification"]["title"] == "Meditate"
    assert fcm["data"]["kind"] == "reminder"
    (notification,) = stored_notifications(ALICE)
    assert sent["default"] == notification.body
    assert (notification.created_at, notification.updated_at) == (EIGHT, EIGHT)
    assert apns["notificationId"] == notification.notification_id
    devices = {d["deviceId"] for d in alice.get("/me/devices").json["items"]}
    assert notification.pushed_to == devices  # recorded: a retry never pushes to them again
    assert notification.push_state == PUSH_DONE
    assert notification.gsi1_pk is None


def test_the_endpoint_made_on_the_first_push_is_used_again(alice, alice_reminded, passes):
    token = register_device(alice)

    passes(ALICE).run(EIGHT)
    passes(ALICE).run(NEXT_DAY)

    assert len(pushed_messages()[token]) == 2


def test_a_disabled_endpoint_removes_the_device_and_the_inbox_keeps_the_notification(
    alice, alice_reminded, passes
):
    token = register_device(alice)
    kept = register_device(alice)
    passes(ALICE).run(EIGHT)
    disable_endpoint_of(token)

    summary = passes(ALICE).run(NEXT_DAY)

    assert summary["devices_removed"] == 1
    assert [d["tokenSuffix"] for d in alice.get("/me/devices").json["items"]] == [kept[-6:]]
    assert len(stored_notifications(ALICE)) == 2
    assert {n.push_state for n in stored_notifications(ALICE)} == {PUSH_DONE}
    assert len(pushed_messages()[kept]) == 2


def test_a_token_the_push_service_refuses_removes_the_device(app, alice, alice_reminded, passes):
    token = register_device(alice)
    # A disabled endpoint for this token already exists, as for a token APNs has reported
    # invalid: SNS refuses to make the device's endpoint.
    settings = app.extensions["lifestyle_api.settings"]
    boto3.client("sns", region_name=TEST_REGION).create_platform_endpoint(
        PlatformApplicationArn=settings.sns_ios_platform_application_arn,
        Token=token,
        Attributes={"Enabled": "false"},
    )

    summary = passes(ALICE).run(EIGHT)

    assert summary["devices_removed"] == 1
    assert alice.get("/me/devices").json["items"] == []
    assert len(stored_notifications(ALICE)) == 1


def test_a_failed_push_is_retried_by_the_next_pass_without_a_second_notification(
    app, alice, alice_reminded, passes
):
    reached = register_device(alice)
    failing = register_device(alice)
    gateway = FailingPublishes(app.extensions["lifestyle_api.settings"], failures=1)

    first = passes(ALICE).run(EIGHT, gateway=gateway)
    (pending,) = stored_notifications(ALICE)
    later = passes(ALICE).run(EIGHT + timedelta(minutes=15), gateway=gateway)

    assert (first["pushed"], first["push_failed"]) == (1, 1)
    assert pending.push_state == PUSH_PENDING
    assert pending.gsi1_pk is not None
    assert (later["retried"], later["pushed"]) == (1, 1)
    messages = pushed_messages()
    assert {token: len(messages[token]) for token in (reached, failing)} == {
        reached: 1,
        failing: 1,
    }
    (done,) = stored_notifications(ALICE)
    assert done.push_state == PUSH_DONE
    assert done.version == pending.version, "push bookkeeping is not a change a client sees"
    assert len(alice.get("/me/devices").json["items"]) == 2


def test_pushes_that_keep_failing_are_given_up(app, alice, alice_reminded, passes):
    register_device(alice)
    gateway = FailingPublishes(app.extensions["lifestyle_api.settings"], failures=100)

    for attempt in range(MAX_PUSH_ATTEMPTS + 2):
        passes(ALICE).run(EIGHT + timedelta(minutes=15 * attempt), gateway=gateway)

    (notification,) = stored_notifications(ALICE)
    assert notification.push_state == PUSH_GAVE_UP
    assert notification.push_attempts == MAX_PUSH_ATTEMPTS
    assert gateway.failures == 100 - MAX_PUSH_ATTEMPTS
    assert notification.gsi1_pk is None


class Crash(BaseException):
    """The process dies: nothing after this point runs."""


class CrashingGateway(PushGateway):
    def publish(self, endpoint_arn, message):
        raise Crash()


def test_a_pass_retried_after_a_crash_between_the_inbox_and_the_push(
    app, alice, alice_reminded, passes
):
    token = register_device(alice)
    settings = app.extensions["lifestyle_api.settings"]

    with pytest.raises(Crash):
        passes(ALICE).run(EIGHT, gateway=CrashingGateway(settings))
    (left,) = stored_notifications(ALICE)
    assert left.push_state == PUSH_PENDING
    assert pushed_messages()[token] == []

    # Retried at once, its lease still held by the crashed pass: nothing is sent twice...
    soon = passes(ALICE).run(EIGHT, clock=lambda: EIGHT + timedelta(seconds=30))
    # ...and once the lease has run out, the retry pushes it.
    after = passes(ALICE).run(EIGHT, clock=lambda: EIGHT + PUSH_LEASE + timedelta(seconds=1))

    assert (soon["already_sent"], soon.get("pushed", 0)) == (1, 0)
    assert (after["already_sent"], after["retried"], after["pushed"]) == (1, 1, 1)
    assert len(stored_notifications(ALICE)) == 1
    assert len(pushed_messages()[token]) == 1


def test_a_platform_without_an_application_gets_the_inbox_only(app, alice, alice_reminded, passes):
    settings = app.extensions["lifestyle_api.settings"]
    ios_only = PushGateway(settings._replace(sns_android_platform_application_arn=""))
    register_device(alice, FCM_TOKEN, platform="android")
    token = register_device(alice, ios_token())

    passes(ALICE).run(EIGHT, gateway=ios_only)

    assert {t: len(sent) for t, sent in pushed_messages().items()} == {token: 1}
    (notification,) = stored_notifications(ALICE)
    assert notification.push_state == PUSH_DONE


def test_without_devices_the_notification_is_not_left_pending(alice, alice_reminded, passes):
    passes(ALICE).run(EIGHT)

    (notification,) = stored_notifications(ALICE)
    assert notification.push_state == PUSH_DONE
    assert notification.gsi1_pk is None


def endpoints_of(token: str) -> list[str]:
    """The SNS endpoints that exist for a device token."""
    sns = boto3.client("sns", region_name=TEST_REGION)
    return [
        endpoint["EndpointArn"]
        for application in sns.list_platform_applications()["PlatformApplications"]
        for endpoint in sns.list_endpoints_by_platform_application(
            PlatformApplicationArn=application["PlatformApplicationArn"]
        )["Endpoints"]
        if endpoint["Attributes"]["Token"] == token
    ]


def stored_device_endpoint(sub: str) -> str | None:
    (device,) = DeviceItem.query(user_pk(sub), DeviceItem.list_range(), consistent_read=True)
    return device.endpoint_arn


def test_a_removed_device_takes_its_endpoint_with_it_and_is_logged(
    alice, alice_reminded, passes, log_output
):
    token = register_device(alice)
    passes(ALICE).run(EIGHT)
    assert len(endpoints_of(token)) == 1
    disable_endpoint_of(token)

    summary = passes(ALICE).run(NEXT_DAY)

    assert summary["devices_removed"] == 1
    assert endpoints_of(token) == []
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    (removed,) = [line for line in lines if line["message"].startswith("Device removed")]
    assert removed["message"] == "Device removed: its token was rejected"
    assert removed["platform"] == "ios"


def test_an_endpoint_deleted_outside_the_app_is_made_again_by_the_retry(
    alice, alice_reminded, passes
):
    token = register_device(alice)
    passes(ALICE).run(EIGHT)
    (first_endpoint,) = endpoints_of(token)
    assert stored_device_endpoint(ALICE) == first_endpoint
    boto3.client("sns", region_name=TEST_REGION).delete_endpoint(EndpointArn=first_endpoint)

    failed = passes(ALICE).run(NEXT_DAY)

    assert (failed.get("pushed", 0), failed["push_failed"]) == (0, 1)
    assert stored_device_endpoint(ALICE) is None
    retried = passes(ALICE).run(NEXT_DAY + timedelta(minutes=15))
    assert (retried["retried"], retried["pushed"]) == (1, 1)
    (second_endpoint,) = endpoints_of(token)
    assert second_endpoint != first_endpoint
    assert stored_device_endpoint(ALICE) == second_endpoint
    assert len(pushed_messages()[token]) == 1
    assert {n.push_state for n in stored_notifications(ALICE)} == {PUSH_DONE}


def test_a_device_gone_from_the_table_while_its_token_is_rejected_is_not_an_error(
    app, alice, alice_reminded, passes
):
    """The account being deleted while the pass pushes: the device item is gone already."""
    token = register_device(alice)
    passes(ALICE).run(EIGHT)
    disable_endpoint_of(token)

    class RemovedDuringThePush(PushGateway):
        def publish(self, endpoint_arn, message):
            for device in DeviceItem.query(user_pk(ALICE), DeviceItem.list_range()):
                DeviceItem._get_connection().delete_item(device.pk, device.sk)
            super().publish(endpoint_arn, message)

    gateway = RemovedDuringThePush(app.extensions["lifestyle_api.settings"])
    summary = passes(ALICE).run(NEXT_DAY, gateway=gateway)

    assert summary["devices_removed"] == 1
    assert endpoints_of(token) == []
    assert alice.get("/me/devices").json["items"] == []


def test_an_endpoint_gone_for_a_device_gone_from_the_table_leaves_nothing_behind(
    app, alice, alice_reminded, passes
):
    token = register_device(alice)
    passes(ALICE).run(EIGHT)
    (endpoint,) = endpoints_of(token)

    class BothGoneDuringThePush(PushGateway):
        def publish(self, endpoint_arn, message):
            for device in DeviceItem.query(user_pk(ALICE), DeviceItem.list_range()):
                DeviceItem._get_connection().delete_item(device.pk, device.sk)
            boto3.client("sns", region_name=TEST_REGION).delete_endpoint(EndpointArn=endpoint)
            super().publish(endpoint_arn, message)

    gateway = BothGoneDuringThePush(app.extensions["lifestyle_api.settings"])
    summary = passes(ALICE).run(NEXT_DAY, gateway=gateway)

    assert summary["push_failed"] == 1
    raw = DeviceItem._get_connection().query(user_pk(ALICE), DeviceItem.list_range())
    assert raw["Items"] == []  # forgetting the endpoint never recreates the device


def test_a_lease_holds_to_its_last_instant(app, alice, alice_reminded, passes):
    token = register_device(alice)
    settings = app.extensions["lifestyle_api.settings"]
    with pytest.raises(Crash):
        passes(ALICE).run(EIGHT, gateway=CrashingGateway(settings))
    lease_end = EIGHT + PUSH_LEASE

    at_the_end = passes(ALICE).run(EIGHT, clock=lambda: lease_end)
    just_after = passes(ALICE).run(EIGHT, clock=lambda: lease_end + timedelta(microseconds=1))

    assert (at_the_end.get("retried", 0), at_the_end.get("pushed", 0)) == (0, 0)
    assert (just_after["retried"], just_after["pushed"]) == (1, 1)
    assert len(pushed_messages()[token]) == 1


def test_a_retry_that_crashes_holds_its_lease_too(app, alice, alice_reminded, passes):
    token = register_device(alice)
    crashing = CrashingGateway(app.extensions["lifestyle_api.settings"])
    with pytest.raises(Crash):
        passes(ALICE).run(EIGHT, gateway=crashing)
    retry_at = EIGHT + PUSH_LEASE + timedelta(seconds=1)
    with pytest.raises(Crash):
        passes(ALICE).run(EIGHT, gateway=crashing, clock=lambda: retry_at)

    soon = passes(ALICE).run(EIGHT, clock=lambda: retry_at + timedelta(seconds=30))
    later = passes(ALICE).run(EIGHT, clock=lambda: retry_at + PUSH_LEASE + timedelta(seconds=1))

    assert (soon.get("retried", 0), soon.get("pushed", 0)) == (0, 0)
    assert (later["retried"], later["pushed"]) == (1, 1)
    assert len(pushed_messages()[token]) == 1


def test_the_key_of_a_days_notification_is_where_the_pass_wrote_it(alice, alice_reminded, passes):
    passes(ALICE).run(EIGHT)
    (written,) = stored_notifications(ALICE)
    key = notification_key(ALICE, alice_reminded, written.notification_kind, written.day)
    assert key == (written.pk, written.sk)


def tokens_in_device_order(*platforms: str) -> list[str]:
    """A token for each platform such that the devices come in this order from the table
    (their sort key is a hash of platform and token)."""
    tokens = [ios_token() for _ in range(40)]
    order = []
    for platform in platforms:
        after = order[-1][0] if order else ""
        key, token = min(
            (device_sk(platform, token), token)
            for token in tokens
            if device_sk(platform, token) > after
        )
        order.append((key, token))
    return [token for _key, token in order]


class FailingFor(PushGateway):
    """SNS as the settings name it, except that every publish to one token fails."""

    def __init__(self, settings, token: str) -> None:
        super().__init__(settings)
        self.token = token

    def publish(self, endpoint_arn, message):
        sns = boto3.client("sns", region_name=TEST_REGION)
        if (
            sns.get_endpoint_attributes(EndpointArn=endpoint_arn)["Attributes"]["Token"]
            == self.token
        ):
            raise PushFailed("publishing failed: Throttling")
        super().publish(endpoint_arn, message)


def test_a_retry_skips_the_devices_reached_and_pushes_to_the_ones_after(
    app, alice, alice_reminded, passes
):
    reached, failing = tokens_in_device_order("ios", "ios")
    for token in (reached, failing):
        register_device(alice, token)
    settings = app.extensions["lifestyle_api.settings"]
    passes(ALICE).run(EIGHT, gateway=FailingFor(settings, failing))

    retried = passes(ALICE).run(EIGHT + timedelta(minutes=15))

    assert (retried["retried"], retried["pushed"]) == (1, 1)
    assert {t: len(pushed_messages()[t]) for t in (reached, failing)} == {reached: 1, failing: 1}


def test_a_retry_skips_a_platform_without_an_application_and_pushes_to_the_next(
    app, alice, alice_reminded, passes
):
    android, ios = tokens_in_device_order("android", "ios")
    register_device(alice, android, platform="android")
    register_device(alice, ios)
    settings = app.extensions["lifestyle_api.settings"]
    ios_only = settings._replace(sns_android_platform_application_arn="")
    passes(ALICE).run(EIGHT, gateway=FailingFor(ios_only, ios))

    retried = passes(ALICE).run(EIGHT + timedelta(minutes=15), gateway=PushGateway(ios_only))

    assert (retried["retried"], retried["pushed"]) == (1, 1)
    assert {t: len(sent) for t, sent in pushed_messages().items()} == {ios: 1}


def test_devices_rejected_once_are_not_tried_again_for_the_next_notification(
    alice, alice_reminded, passes
):
    tokens = [register_device(alice), register_device(alice)]
    add_habit(alice, reminder="08:00", title="Stretch")
    passes(ALICE).run(EIGHT)
    for token in tokens:
        disable_endpoint_of(token)

    summary = passes(ALICE).run(NEXT_DAY)

    assert (summary["reminder"], summary["devices_removed"]) == (2, 2)
    assert "push_failed" not in summary
    assert alice.get("/me/devices").json["items"] == []
    assert {n.push_state for n in stored_notifications(ALICE)} == {PUSH_DONE}


def test_each_failed_push_is_counted_and_logged(app, alice, alice_reminded, passes, log_output):
    register_device(alice)
    register_device(alice)
    gateway = FailingPublishes(app.extensions["lifestyle_api.settings"], failures=2)

    summary = passes(ALICE).run(EIGHT, gateway=gateway)

    assert summary["push_failed"] == 2
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    failures = [line for line in lines if line["level"] == "WARNING"]
    assert [(line["message"], line["reason"]) for line in failures] == [
        ("Push failed; a later pass retries it", "publishing failed: Throttling")
    ] * 2


def raw_items(sub: str, prefix: str) -> list[dict]:
    """The user's items under a sort-key prefix as stored, whatever their attributes."""
    connection = DeviceItem._get_connection()
    return connection.query(user_pk(sub), DeviceItem.sk.startswith(prefix))["Items"]


def test_a_notification_gone_from_the_table_during_its_push_is_not_recreated(
    app, alice, alice_reminded, passes
):
    """The account being deleted while the pass pushes: the notification is gone already."""
    register_device(alice)

    class NotificationGoneDuringThePush(PushGateway):
        def publish(self, endpoint_arn, message):
            for notification in stored_notifications(ALICE):
                DeviceItem._get_connection().delete_item(notification.pk, notification.sk)
            super().publish(endpoint_arn, message)

    gateway = NotificationGoneDuringThePush(app.extensions["lifestyle_api.settings"])
    assert passes(ALICE).run(EIGHT, gateway=gateway)["pushed"] == 1
    assert raw_items(ALICE, NOTIFICATION_PREFIX) == []


def test_a_device_gone_from_the_table_while_its_endpoint_is_made_is_not_recreated(
    app, alice, alice_reminded, passes
):
    register_device(alice)

    class DeviceGoneWhileMakingItsEndpoint(PushGateway):
        def create_endpoint(self, platform, token):
            for device in DeviceItem.query(user_pk(ALICE), DeviceItem.list_range()):
                DeviceItem._get_connection().delete_item(device.pk, device.sk)
            return super().create_endpoint(platform, token)

    gateway = DeviceGoneWhileMakingItsEndpoint(app.extensions["lifestyle_api.settings"])
    assert passes(ALICE).run(EIGHT, gateway=gateway)["pushed"] == 1
    assert raw_items(ALICE, DEVICE_PREFIX) == []


def test_a_users_devices_are_read_with_one_query_of_their_range(alice, alice_reminded, passes):
    register_device(alice)
    with counting_aws_calls() as calls:
        passes(ALICE).run(EIGHT)
    queries = calls.parameters("dynamodb", "Query")
    assert len([query for query in queries if DEVICE_PREFIX in json.dumps(query)]) == 1


def test_a_days_notification_is_written_once_however_often_it_is_recorded(alice, alice_reminded):
    once = {
        "goal_id": alice_reminded,
        "kind": "reminder",
        "day": EIGHT.date(),
        "body": "Time for it",
        "at": EIGHT,
        "push": True,
        "now": EIGHT,
    }
    first = record_once(ALICE, title="First", **once)
    second = record_once(ALICE, title="Second", **once)

    assert first is not None
    assert second is None
    (stored,) = stored_notifications(ALICE)
    assert (stored.title, stored.push_state, stored.push_attempts) == ("First", PUSH_PENDING, 1)
    assert stored.push_lease_until == EIGHT + PUSH_LEASE
    assert stored.gsi1_pk == pending_push_gsi_pk(status_shard(ALICE))
    assert stored.gsi1_sk == status_gsi_sk(ALICE, EIGHT)
