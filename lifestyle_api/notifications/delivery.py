"""Sending a notification: written to the inbox once, then pushed to each of the user's
devices, with the push state kept on the notification so that nothing is sent twice.

- `record_once` writes the notification of a goal, kind and local day with a conditional
  put on its key (derived from those three): however passes overlap, retry or run twice,
  one of them writes it and the others learn it exists. The writer holds the push's lease.
- `push` sends a notification the caller holds the lease of to every device it has not
  reached yet. A device whose token the push service rejects is removed; any other failure
  leaves the notification pending (in GSI1 under `PUSH#PENDING#<shard>`) for a later pass,
  up to `MAX_PUSH_ATTEMPTS` attempts in all. The devices reached are recorded, so a retry
  never pushes to them again.
- `retry_pending` is that later pass: it claims each pending notification of a shard whose
  lease has run out (a conditional update, so two passes never both claim it) and pushes.

A pass that crashes between the inbox write and the push leaves the notification pending
under its lease; the first pass after the lease pushes it. Push bookkeeping changes no
version: the notification a client sees (and its ETag) stays the same.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from pynamodb.constants import ALL_NEW
from pynamodb.exceptions import PutError, UpdateError

from ..config import Settings
from ..db.errors import is_condition_failure
from ..db.keys import (
    once_a_day_notification_id,
    pending_push_gsi_pk,
    status_gsi_sk,
    status_shard,
    sub_of,
    user_pk,
)
from ..db.query import table_connection
from ..observability import logger
from .models import (
    NOTIFICATION_LIFETIME,
    PUSH_DONE,
    PUSH_GAVE_UP,
    PUSH_PENDING,
    DeviceItem,
    NotificationItem,
)
from .push import PushFailed, PushGateway, PushMessage, PushRejected

# How long a pending push stays with the pass that wrote, claimed or last tried it: long
# enough to push what it has just written, and to keep a failed push from being tried again
# in the same pass; short against the 15 minutes between passes, so the next pass retries
# what a failed or crashed one left.
PUSH_LEASE = timedelta(minutes=2)
# The first push and three retries: a reminder an hour late is still worth sending.
MAX_PUSH_ATTEMPTS = 4


def push_gateway(settings: Settings) -> PushGateway:
    """SNS mobile push for the platform applications the settings name."""
    return PushGateway(settings)


def devices_of(sub: str) -> list[DeviceItem]:
    """Every device of the user (one Query; a user has at most a handful)."""
    return list(DeviceItem.query(user_pk(sub), DeviceItem.list_range()))


def notification_key(sub: str, goal_id: str, kind: str, day: date) -> tuple[str, str]:
    """Where the one notification of `kind` for a goal on a local day is (or would be)."""
    return NotificationItem.once_a_day_key(sub, goal_id, kind, day)


def record_once(
    sub: str,
    *,
    goal_id: str,
    kind: str,
    day: date,
    title: str,
    body: str,
    at: datetime,
    push: bool,
    now: datetime,
) -> NotificationItem | None:
    """Write the notification unless it exists: the new item, or `None` if another pass
    wrote it first. With `push`, it is written pending, under this caller's lease."""
    notification_id = once_a_day_notification_id(goal_id, kind, day)
    notification = NotificationItem(
        *NotificationItem.key(sub, notification_id),
        notification_id=notification_id,
        notification_kind=kind,
        title=title,
        body=body,
        goal_id=goal_id,
        day=day,
        created_at=at,
        updated_at=at,
        expires_at=at + NOTIFICATION_LIFETIME,
    )
    notification.index_keys()
    if push:
        notification.push_state = PUSH_PENDING
        notification.push_attempts = 1
        notification.push_lease_until = now + PUSH_LEASE
        notification.gsi1_pk = pending_push_gsi_pk(status_shard(sub))
        notification.gsi1_sk = status_gsi_sk(sub, at)
    try:
        notification.save(condition=NotificationItem.pk.does_not_exist())
    except PutError as exc:
        if is_condition_failure(exc):
            return None
        raise
    return notification


def push(
    notifications: Iterable[NotificationItem],
    devices: list[DeviceItem],
    gateway: PushGateway,
    *,
    now: datetime,
) -> Counter[str]:
    """Push each notification (whose lease the caller holds) to the devices it has not
    reached, then record the outcome on it. Counts `pushed`, `push_failed` and
    `devices_removed`."""
    counts: Counter[str] = Counter()
    removed: set[str] = set()
    for notification in notifications:
        message = PushMessage(
            notification.notification_id,
            notification.notification_kind,
            notification.title,
            notification.body,
            notification.goal_id,
        )
        reached: set[str] = set()
        failed = False
        for device in devices:
            if device.device_id in removed | set(notification.pushed_to or ()):
                continue
            if not gateway.handles(device.platform):
                continue
            try:
                gateway.publish(device.endpoint_arn or _attach_endpoint(device, gateway), message)
            except PushRejected:
                _remove_device(device, gateway)
                removed.add(device.device_id)
                counts["devices_removed"] += 1
            except PushFailed as exc:
                failed = True
                counts["push_failed"] += 1
                logger.warning("Push failed; a later pass retries it", extra={"reason": str(exc)})
                if exc.endpoint_gone:
                    _forget_endpoint(device)
            else:
                reached.add(device.device_id)
                counts["pushed"] += 1
        _settle(notification, reached, failed, now)
    return counts


def retry_pending(shard: int, gateway: PushGateway, *, now: datetime) -> Counter[str]:
    """Claim and push every pending notification of the shard's users whose lease has run
    out (one Query of GSI1, one conditional UpdateItem per notification, one Query of the
    devices per user)."""
    claimed: dict[str, list[NotificationItem]] = defaultdict(list)
    for entry in NotificationItem.by_status.query(pending_push_gsi_pk(shard)):
        notification = _claim(entry.pk, entry.sk, now)
        if notification is not None:
            claimed[sub_of(entry.pk)].append(notification)
    counts: Counter[str] = Counter()
    if claimed:
        counts["retried"] = sum(map(len, claimed.values()))
    for sub, notifications in claimed.items():
        counts += push(notifications, devices_of(sub), gateway, now=now)
    return counts


def _claim(pk: str, sk: str, now: datetime) -> NotificationItem | None:
    """The notification, now under this caller's lease; `None` when it is not pending or
    another pass holds it."""
    lease = NotificationItem.push_lease_until
    condition = (NotificationItem.push_state == PUSH_PENDING) & (
        lease.does_not_exist() | (lease < now)
    )
    attributes = _update(
        (pk, sk),
        [lease.set(now + PUSH_LEASE), NotificationItem.push_attempts.add(1)],
        condition,
    )
    return NotificationItem.from_raw_data(attributes) if attributes is not None else None


def _settle(notification: NotificationItem, reached: set[str], failed: bool, now: datetime) -> None:
    """Record the devices reached; done (out of GSI1) unless some push is to be retried by
    a later pass (the lease keeps this one from retrying it at once)."""
    lease = NotificationItem.push_lease_until
    actions = [NotificationItem.pushed_to.add(reached)] if reached else []
    if failed and notification.push_attempts < MAX_PUSH_ATTEMPTS:
        actions.append(lease.set(now + PUSH_LEASE))
    else:
        actions += [
            NotificationItem.push_state.set(PUSH_GAVE_UP if failed else PUSH_DONE),
            lease.remove(),
            NotificationItem.gsi1_pk.remove(),
            NotificationItem.gsi1_sk.remove(),
        ]
    _update((notification.pk, notification.sk), actions, NotificationItem.pk.exists())


def _attach_endpoint(device: DeviceItem, gateway: PushGateway) -> str:
    """Create the device's platform endpoint on its first push and keep it on the device."""
    device.endpoint_arn = gateway.create_endpoint(device.platform, device.token)
    _update(
        (device.pk, device.sk),
        [DeviceItem.endpoint_arn.set(device.endpoint_arn)],
        DeviceItem.pk.exists(),
    )
    return device.endpoint_arn


def _forget_endpoint(device: DeviceItem) -> None:
    """The endpoint was deleted outside the app: the next push creates a new one."""
    device.endpoint_arn = None
    _update((device.pk, device.sk), [DeviceItem.endpoint_arn.remove()], DeviceItem.pk.exists())


def _remove_device(device: DeviceItem, gateway: PushGateway) -> None:
    device.delete(add_version_condition=False)
    if device.endpoint_arn:
        gateway.delete_endpoint(device.endpoint_arn)
    logger.info("Device removed: its token was rejected", extra={"platform": device.platform})


def _update(key: tuple[str, str], actions: list, condition) -> dict[str, Any] | None:
    """An UpdateItem that leaves the item's version alone; the item as it now is, or `None`
    when the condition failed."""
    try:
        answer = table_connection().update_item(
            key[0], key[1], actions=actions, condition=condition, return_values=ALL_NEW
        )
    except UpdateError as exc:
        if is_condition_failure(exc):
            return None
        raise
    return answer.get("Attributes")
