"""Activity routes: HTTP only; the rules live in `service.py`."""

from __future__ import annotations

from flask.views import MethodView

from ..http.api import Blueprint
from ..http.conditional import created, if_match_version, with_etag
from ..http.paging import paged_list
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
    @blp.lists("listActivities", ActivityListArgs, ActivityPageSchema)
    def get(self, **args):
        """List activities

        The caller's activities, newest `startedAt` first.

        `from` and `to` are inclusive instants with an offset bounding `startedAt`; `type`
        keeps one kind of activity.
        """
        return paged_list(service.list_activities, args)

    @idempotent
    @blp.creates("createActivity", ActivityCreateSchema, ActivitySchema)
    def post(self, data):
        """Log an activity

        A workout or another session: `type`, `startedAt` (with an offset) and
        `durationMinutes` are required. `goalId`, if given, must be one of the caller's
        goals (else 400).
        """
        return created(service.create_activity(current_caller().sub, data), "activities.Activity")


@blp.route("/<ulid:activity_id>")
class Activity(MethodView):
    @blp.reads("getActivity", ActivitySchema)
    def get(self, activity_id):
        """Get an activity

        One activity, with its version as `ETag`."""
        return with_etag(service.get_activity(current_caller().sub, activity_id))

    @blp.updates("updateActivity", ActivityUpdateSchema, ActivitySchema)
    def patch(self, changes, activity_id):
        """Update an activity

        Changes the fields sent and keeps the others; `null` clears an optional one.
        `If-Match: "<version>"` makes the change conditional (412 when it is stale).
        """
        return with_etag(
            service.update_activity(
                current_caller().sub, activity_id, changes, if_match=if_match_version()
            )
        )

    @blp.deletes("deleteActivity")
    def delete(self, activity_id):
        """Delete an activity

        Removes the activity from the caller's log and summaries.
        `If-Match: "<version>"` makes the delete conditional (412 when it is stale).
        """
        service.delete_activity(current_caller().sub, activity_id, if_match=if_match_version())
