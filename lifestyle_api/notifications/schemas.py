"""Device and notification shapes.

A device's push token is write-only: answers carry its last six characters only.
"""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from ..base_schemas import OptionalBodySchema, ResponseSchema, StrictSchema, page_schema
from ..fields import Instant, Text
from .models import KINDS, PLATFORMS, TOKEN_SUFFIX_LENGTH

TOKEN_MAX = 4096
# APNs tokens are hex; FCM tokens are URL-safe base64 with `:` and `-` (`Text` matches the
# pattern against the whole value).
TOKEN_CHARACTERS = "[A-Za-z0-9_:.+/=-]"


class DeviceCreateSchema(StrictSchema):
    platform = ma.fields.String(required=True, validate=validate.OneOf(PLATFORMS))
    token = Text(
        required=True,
        load_only=True,
        pattern=f"{TOKEN_CHARACTERS}+",
        error_messages={"no_match": "Not a push token."},
        validate=validate.Length(min=1, max=TOKEN_MAX),
        metadata={
            "description": "The APNs device token (iOS) or FCM registration token (Android). "
            "Never answered whole.",
        },
    )


class NotificationReadSchema(OptionalBodySchema):
    """No fields: the body may be left out, be empty, or be an empty object."""


class DeviceSchema(ResponseSchema):
    device_id = ma.fields.String(data_key="deviceId")
    platform = ma.fields.String(validate=validate.OneOf(PLATFORMS))
    token_suffix = ma.fields.String(
        data_key="tokenSuffix",
        metadata={"description": f"The token's last {TOKEN_SUFFIX_LENGTH} characters."},
    )
    created_at = Instant(data_key="createdAt")


class NotificationSchema(ResponseSchema):
    notification_id = ma.fields.String(data_key="notificationId")
    kind = ma.fields.String(attribute="notification_kind", validate=validate.OneOf(KINDS))
    title = ma.fields.String()
    body = ma.fields.String()
    goal_id = ma.fields.String(
        data_key="goalId",
        allow_none=True,
        metadata={"description": "The goal it is about; null for none."},
    )
    created_at = Instant(data_key="createdAt")
    read_at = Instant(
        data_key="readAt",
        allow_none=True,
        metadata={"description": "When it was first marked read; null until then."},
    )


DevicePageSchema = page_schema(DeviceSchema, "DevicePage")
NotificationPageSchema = page_schema(NotificationSchema, "NotificationPage")
