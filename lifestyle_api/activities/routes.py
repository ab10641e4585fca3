"""Activity routes: HTTP only; the rules live in `service.py`."""

from __future__ import annotations

from flask.views import MethodView

from ..http.api import Blueprint
from ..http.conditional import CREATED_HEADERS, ETAG_HEADER, if_match_version, resource_headers
from ..http.paging import paged
from ..http.routes import idempotent
from ..identity import current_caller
from . import service
from .schemas import (
    ActivityCreateSchema,
    ActivityListArgs,
    ActivityPageSchema,
    ActivitySchema,
    ActivityUpdateSchema,
)

blp = Blueprint(
    "activities",
    __name__,
    url_prefix="/activities",
    description="Activities: workouts and other sessions.",
)


@blp.route("")
class Activities(MethodView):
    @blp.doc(operationId="listActivities")
    @blp.arguments(ActivityListArgs, location="query", as_kwargs=True)
    @blp.response(200, ActivityPageSchema)
    def get(self, **args):
        """List activities

        The caller's activities, newest `startedAt` first.

        `from` and `to` are inclusive instants with an offset bounding `startedAt`; `type`
        keeps one kind of activity.
        """
        sub = current_caller().sub
        return paged(
            lambda start_key, limit: service.list_activities(
                sub,
                limit=limit,
                start_key=start_key,
                start=args.get("from_"),
                end=args.get("to"),
                activity_type=args.get("activity_type"),
            ),
            caller=sub,
            args=args,
        )

    @idempotent
    @blp.doc(operationId="createActivity")
    @blp.arguments(ActivityCreateSchema)
    @blp.response(201, ActivitySchema, headers=CREATED_HEADERS)
    def post(self, data):
        """Log an activity

        A workout or another session: `type`, `startedAt` (with an offset) and
        `durationMinutes` are required. `goalId`, if given, must be one of the caller's
        goals (else 400).
        """
        activity = service.create_activity(current_caller().sub, data)
        return (
            activity,
            201,
            resource_headers(activity, "activities.Activity", activity_id=activity.activity_id),
        )


@blp.route("/<ulid:activity_id>")
class Activity(MethodView):
    @blp.doc(operationId="getActivity")
    @blp.response(200, ActivitySchema, headers=ETAG_HEADER)
    def get(self, activity_id):
        """Get an activity

        One activity, with its version as `ETag`."""
        activity = service.get_activity(current_caller().sub, activity_id)
        return activity, 200, resource_headers(activity)

    @blp.doc(operationId="updateActivity")
    @blp.arguments(ActivityUpdateSchema)
    @blp.response(200, ActivitySchema, headers=ETAG_HEADER)
    def patch(self, changes, activity_id):
        """Update an activity

        Changes the fields sent and keeps the others; `null` clears an optional one.
        `If-Match: "<version>"` makes the change conditional (412 when it is stale).
        """
        activity = service.update_activity(
            current_caller().sub, activity_id, changes, if_match=if_match_version()
        )
        return activity, 200, resource_headers(activity)

    @blp.doc(operationId="deleteActivity")
    @blp.response(204)
    def delete(self, activity_id):
        """Delete an activity

        Removes the activity from the caller's log and summaries.
        `If-Match: "<version>"` makes the delete conditional (412 when it is stale).
        """
        service.delete_activity(current_caller().sub, activity_id, if_match=if_match_version())
