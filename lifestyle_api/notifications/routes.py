"""Device and inbox routes: HTTP only; the rules live in `service.py`."""

from __future__ import annotations

from flask.views import MethodView

from ..base_schemas import ListArgs
from ..http.api import Blueprint
from ..http.conditional import ETAG_HEADER, created_or_existing, if_match_version, with_etag
from ..http.hooks import current_settings
from ..http.paging import paged_list
from ..http.routes import idempotent
from ..identity import current_caller
from . import service
from .schemas import (
    DeviceCreateSchema,
    DevicePageSchema,
    DeviceSchema,
    NotificationPageSchema,
    NotificationReadSchema,
    NotificationSchema,
)

devices_blp = Blueprint(
    "devices",
    __name__,
    url_prefix="/me/devices",
    description="The caller's devices: where reminders are pushed.",
)
blp = Blueprint(
    "notifications",
    __name__,
    url_prefix="/notifications",
    description="The inbox: every reminder and nudge sent, for 30 days.",
)


@devices_blp.route("")
class Devices(MethodView):
    @devices_blp.lists("listDevices", ListArgs, DevicePageSchema)
    def get(self, **args):
        """List devices

        The caller's registered devices, newest first; each shows only its token's last
        characters."""
        return paged_list(service.devices_page, args)

    @idempotent
    @devices_blp.creates(
        "registerDevice",
        DeviceCreateSchema,
        DeviceSchema,
        existing="The token was already registered: the same device.",
    )
    @devices_blp.alt_response(
        409,
        response="CONFLICT",
        description=f"The caller already has {service.MAX_DEVICES} devices.",
    )
    def post(self, data):
        """Register a device

        Registers a device's push token: 201 with the new device, 200 with the same device
        when the token is already registered. Reminders are pushed to every registered
        device; a token the push service rejects as invalid is removed by the server."""
        device, is_new = service.register_device(
            current_caller().sub, data["platform"], data["token"]
        )
        return created_or_existing(device, is_new, "devices.Device")


@devices_blp.route("/<ulid:device_id>")
class Device(MethodView):
    @devices_blp.reads("getDevice", DeviceSchema)
    def get(self, device_id):
        """Get a device

        One registered device, with its version as `ETag`."""
        return with_etag(service.read_device(current_caller().sub, device_id))

    @devices_blp.deletes("deleteDevice")
    def delete(self, device_id):
        """Unregister a device

        Nothing is pushed to the device any more. `If-Match: "<version>"` makes the delete
        conditional (412 when it is stale)."""
        service.delete_device(
            current_caller().sub, device_id, current_settings(), if_match=if_match_version()
        )


@blp.route("")
class Notifications(MethodView):
    @blp.lists("listNotifications", ListArgs, NotificationPageSchema)
    def get(self, **args):
        """List notifications

        The caller's inbox, newest first: the reminders and nudges of the last 30 days."""
        return paged_list(service.list_notifications, args)


@blp.route("/<ulid:notification_id>")
class Notification(MethodView):
    @blp.reads("getNotification", NotificationSchema)
    def get(self, notification_id):
        """Get a notification

        One notification of the inbox, with its version as `ETag`."""
        return with_etag(service.get_notification(current_caller().sub, notification_id))


@blp.route("/<ulid:notification_id>/read")
class NotificationRead(MethodView):
    @blp.operation(
        "markNotificationRead",
        200,
        NotificationSchema,
        body=NotificationReadSchema,
        body_required=False,
        headers=ETAG_HEADER,
    )
    def post(self, _body, notification_id):
        """Mark a notification read

        Sets `readAt`; marking it again changes nothing. The body is optional and has no
        fields."""
        return with_etag(service.mark_read(current_caller().sub, notification_id))
