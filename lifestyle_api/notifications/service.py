"""Devices and the inbox (API.md "Reminders and nudges"). No Flask here.

- Registering a token is a GetItem on the token's key (the same token again is the same
  device, 200) and, for a new one, a count of the user's devices (at most
  `MAX_DEVICES`) and a conditional PutItem. A device is found by its id among the user's
  devices: one Query. Deleting one also deletes its SNS endpoint, if it has one.
- The inbox is one Query on LSI1, newest first; expired notifications (30 days) are left
  out before DynamoDB's TTL has removed them. Marking one read sets `readAt` once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.exceptions import PutError, UpdateError
from ulid import ULID

from ..config import Settings
from ..db.errors import is_condition_failure
from ..db.keys import user_pk
from ..db.query import page_by_time
from ..db.reads import get_owned
from ..db.writes import delete_existing
from ..exceptions import Conflict, NotFound
from ..timeutil import utc_now
from .models import DeviceItem, NotificationItem
from .push import PushGateway

# Every notification is pushed to each device: a bound keeps one user's pushes (and the
# pass's time for them) small.
MAX_DEVICES = 10
DEVICE_NOT_FOUND = "No device with this id."
NOTIFICATION_NOT_FOUND = "No notification with this id."


def register_device(
    sub: str, platform: str, token: str, *, now: datetime | None = None
) -> tuple[DeviceItem, bool]:
    """The device for this token, and whether it was created (`False`: it was already
    registered, and is answered as it is)."""
    existing = _device_with_token(sub, platform, token)
    if existing is not None:
        return existing, False
    if DeviceItem.count(user_pk(sub), DeviceItem.list_range()) >= MAX_DEVICES:
        raise Conflict(f"At most {MAX_DEVICES} devices can be registered; delete one first.")
    now = now or utc_now()
    device = DeviceItem(
        *DeviceItem.key(sub, platform, token),
        device_id=str(ULID.from_datetime(now)),
        platform=platform,
        token=token,
        created_at=now,
        updated_at=now,
    )
    device.index_keys()
    try:
        device.save(condition=DeviceItem.pk.does_not_exist())
    except PutError as exc:
        if not is_condition_failure(exc):
            raise
        # The same token registered at the same moment: that registration's device.
        raced = _device_with_token(sub, platform, token)
        if raced is None:
            raise
        return raced, False
    return device, True


def devices_page(
    sub: str, *, limit: int, start_key: dict[str, Any] | None = None
) -> tuple[list[DeviceItem], dict[str, Any] | None]:
    """One page of the user's devices, newest first (one Query on LSI1)."""
    return page_by_time(
        DeviceItem, sub, DeviceItem.by_time_range(), limit=limit, start_key=start_key
    )


def read_device(sub: str, device_id: str) -> DeviceItem:
    """The caller's device; anyone else's is a `NotFound`."""
    for device in DeviceItem.query(
        user_pk(sub), DeviceItem.list_range(), filter_condition=DeviceItem.device_id == device_id
    ):
        return device
    raise NotFound(DEVICE_NOT_FOUND)


def delete_device(
    sub: str, device_id: str, settings: Settings, *, if_match: int | None = None
) -> None:
    """Delete the device (conditional on `If-Match`), then its SNS endpoint."""
    device = read_device(sub, device_id)
    delete_existing(device, if_match=if_match, read=lambda: read_device(sub, device_id))
    if device.endpoint_arn:
        PushGateway(settings).delete_endpoint(device.endpoint_arn)


def list_notifications(
    sub: str,
    *,
    limit: int,
    start_key: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> tuple[list[NotificationItem], dict[str, Any] | None]:
    """One page of the inbox, newest first (one Query on LSI1), without expired ones."""
    return page_by_time(
        NotificationItem,
        sub,
        NotificationItem.inbox_range(),
        limit=limit,
        start_key=start_key,
        filter_condition=NotificationItem.expires_at > (now or utc_now()),
    )


def get_notification(
    sub: str, notification_id: str, *, now: datetime | None = None
) -> NotificationItem:
    """The caller's notification (one GetItem); anyone else's, or an expired one, is a
    `NotFound`."""
    notification = get_owned(
        NotificationItem, NotificationItem.key(sub, notification_id), NOTIFICATION_NOT_FOUND
    )
    if notification.expired(now or utc_now()):
        raise NotFound(NOTIFICATION_NOT_FOUND)
    return notification


def mark_read(sub: str, notification_id: str, *, now: datetime | None = None) -> NotificationItem:
    """Set `readAt` the first time; reading it again changes nothing."""
    now = now or utc_now()
    notification = get_notification(sub, notification_id, now=now)
    if notification.read_at is not None:
        return notification
    try:
        notification.update(
            [NotificationItem.read_at.set(now), NotificationItem.updated_at.set(now)],
            condition=NotificationItem.pk.exists() & NotificationItem.read_at.does_not_exist(),
            add_version_condition=False,
        )
    except UpdateError as exc:
        if not is_condition_failure(exc):
            raise
        # Read at the same moment by another request, or gone since.
        return get_notification(sub, notification_id, now=now)
    return notification


def _device_with_token(sub: str, platform: str, token: str) -> DeviceItem | None:
    try:
        return DeviceItem.get(*DeviceItem.key(sub, platform, token))
    except DeviceItem.DoesNotExist:
        return None
