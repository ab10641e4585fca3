"""Device and inbox routes: HTTP only; the rules live in `service.py`."""

from __future__ import annotations

from flask.views import MethodView

from ..fields import ListArgs
from ..http.api import Blueprint
from ..http.conditional import CREATED_HEADERS, ETAG_HEADER, if_match_version, resource_headers
from ..http.hooks import current_settings
from ..http.paging import paged
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
    @devices_blp.doc(operationId="listDevices")
    @devices_blp.arguments(ListArgs, location="query", as_kwargs=True)
    @devices_blp.response(200, DevicePageSchema)
    def get(self, **args):
        """List devices

        The caller's registered devices, newest first; each shows only its token's last
        characters."""
        sub = current_caller().sub
        return paged(
            lambda start_key, limit: service.devices_page(sub, limit=limit, start_key=start_key),
            caller=sub,
            args=args,
        )

    @idempotent
    @devices_blp.doc(operationId="registerDevice")
    @devices_blp.arguments(DeviceCreateSchema)
    @devices_blp.response(201, DeviceSchema, headers=CREATED_HEADERS)
    @devices_blp.alt_response(
        200,
        schema=DeviceSchema,
        description="The token was already registered: the same device.",
        headers=ETAG_HEADER,
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
        device, created = service.register_device(
            current_caller().sub, data["platform"], data["token"]
        )
        if created:
            return (
                device,
                201,
                resource_headers(device, "devices.Device", device_id=device.device_id),
            )
        return device, 200, resource_headers(device)


@devices_blp.route("/<ulid:device_id>")
class Device(MethodView):
    @devices_blp.doc(operationId="getDevice")
    @devices_blp.response(200, DeviceSchema, headers=ETAG_HEADER)
    def get(self, device_id):
        """Get a device

        One registered device, with its version as `ETag`."""
        device = service.read_device(current_caller().sub, device_id)
        return device, 200, resource_headers(device)

    @devices_blp.doc(operationId="deleteDevice")
    @devices_blp.response(204)
    def delete(self, device_id):
        """Unregister a device

        Nothing is pushed to the device any more. `If-Match: "<version>"` makes the delete
        conditional (412 when it is stale)."""
        service.delete_device(
            current_caller().sub, device_id, current_settings(), if_match=if_match_version()
        )


@blp.route("")
class Notifications(MethodView):
    @blp.doc(operationId="listNotifications")
    @blp.arguments(ListArgs, location="query", as_kwargs=True)
    @blp.response(200, NotificationPageSchema)
    def get(self, **args):
        """List notifications

        The caller's inbox, newest first: the reminders and nudges of the last 30 days."""
        sub = current_caller().sub
        return paged(
            lambda start_key, limit: service.list_notifications(
                sub, limit=limit, start_key=start_key
            ),
            caller=sub,
            args=args,
        )


@blp.route("/<ulid:notification_id>")
class Notification(MethodView):
    @blp.doc(operationId="getNotification")
    @blp.response(200, NotificationSchema, headers=ETAG_HEADER)
    def get(self, notification_id):
        """Get a notification

        One notification of the inbox, with its version as `ETag`."""
        notification = service.get_notification(current_caller().sub, notification_id)
        return notification, 200, resource_headers(notification)


@blp.route("/<ulid:notification_id>/read")
class NotificationRead(MethodView):
    @blp.doc(operationId="markNotificationRead")
    @blp.arguments(NotificationReadSchema, required=False)
    @blp.response(200, NotificationSchema, headers=ETAG_HEADER)
    def post(self, _body, notification_id):
        """Mark a notification read

        Sets `readAt`; marking it again changes nothing. The body is optional and has no
        fields."""
        notification = service.mark_read(current_caller().sub, notification_id)
        return notification, 200, resource_headers(notification)
