"""Goal routes: HTTP only; the rules live in `service.py`."""

from __future__ import annotations

import re
from datetime import date

from flask.views import MethodView

from ..exceptions import InvalidInput
from ..http.api import Blueprint
from ..http.conditional import created, created_or_existing, if_match_version, with_etag
from ..http.paging import paged_list
from ..http.routes import idempotent
from ..identity import current_caller
from . import checkins, service
from .schemas import (
    CheckInCreateSchema,
    CheckInListArgs,
    CheckInPageSchema,
    CheckInSchema,
    GoalCreateSchema,
    GoalListArgs,
    GoalPageSchema,
    GoalSchema,
    GoalUpdateSchema,
)

blp = Blueprint("goals", __name__, url_prefix="/goals", description="Goals: habits and targets.")


@blp.route("")
class Goals(MethodView):
    @blp.lists("listGoals", GoalListArgs, GoalPageSchema)
    def get(self, **args):
        """List goals

        The caller's goals, newest first, optionally only those of one `status` or
        `category`. Each carries its progress as of today in the caller's timezone."""
        return paged_list(service.list_goals, args)

    @idempotent
    @blp.creates("createGoal", GoalCreateSchema, GoalSchema)
    def post(self, data):
        """Create a goal

        A habit (done by check-ins, on a daily or weekly schedule, optionally with a daily
        `reminder`) or a target (a number to reach from metrics). Only `title` is required;
        the answer is the stored goal, with its `Location` and `ETag`."""
        return created(service.create_goal(current_caller().sub, data), "goals.Goal")


@blp.route("/<ulid:goal_id>")
class Goal(MethodView):
    @blp.reads("getGoal", GoalSchema)
    def get(self, goal_id):
        """Get a goal

        One goal, with its progress (streaks, check-in count) as of today in the caller's
        timezone, and its version as `ETag`."""
        return with_etag(service.get_goal_with_progress(current_caller().sub, goal_id))

    @blp.updates("updateGoal", GoalUpdateSchema, GoalSchema)
    def patch(self, changes, goal_id):
        """Update a goal

        Changes the fields sent and keeps the others; `type` cannot change, and `null`
        clears `description`, `endDate` and `reminder`. `If-Match: "<version>"` makes the
        change conditional (412 when it is stale)."""
        return with_etag(
            service.update_goal(current_caller().sub, goal_id, changes, if_match=if_match_version())
        )

    @blp.deletes("deleteGoal")
    def delete(self, goal_id):
        """Delete a goal

        The goal disappears at once; its check-ins are deleted with it.
        `If-Match: "<version>"` makes the delete conditional (412 when it is stale)."""
        service.delete_goal(current_caller().sub, goal_id, if_match=if_match_version())


DAY_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def path_day(day: str) -> date:
    """The `{date}` path segment: a calendar day `YYYY-MM-DD`, else a 400."""
    if DAY_PATTERN.fullmatch(day):
        try:
            return date.fromisoformat(day)
        except ValueError:
            pass
    raise InvalidInput(details={"date": ["Not a valid day; use YYYY-MM-DD."]})


BAD_DAY = "The day in the path is not a calendar day `YYYY-MM-DD`."
DAY_PATH_PARAMETER = {
    "in": "path",
    "name": "day",
    "required": True,
    "description": "The check-in's local day, `YYYY-MM-DD`.",
    "schema": {"type": "string", "format": "date"},
}


@blp.route("/<ulid:goal_id>/check-ins")
class CheckIns(MethodView):
    @blp.lists("listCheckIns", CheckInListArgs, CheckInPageSchema)
    def get(self, goal_id, **args):
        """List check-ins

        A habit's check-ins, newest day first, optionally from `from` to `to` (local days,
        inclusive)."""
        return paged_list(checkins.list_check_ins, args, goal_id)

    @idempotent
    @blp.creates(
        "createCheckIn",
        CheckInCreateSchema,
        CheckInSchema,
        description="Created: the day had no check-in yet.",
        existing="Updated: the day already had a check-in; it was updated, not duplicated.",
    )
    def post(self, data, goal_id):
        """Check in on a habit

        Records the day's check-in (default: today in the caller's timezone): 201 for a new
        day, 200 when the day already had one, which is updated, not duplicated. Only active
        habit goals take check-ins, on days from `startDate` to `endDate` and not after
        today; anything else is a 400."""
        check_in, is_new = checkins.create_check_in(current_caller().sub, goal_id, data)
        return created_or_existing(check_in, is_new, "goals.CheckIn", day=check_in.day.isoformat())


@blp.route("/<ulid:goal_id>/check-ins/<day>", parameters=[DAY_PATH_PARAMETER])
class CheckIn(MethodView):
    @blp.reads("getCheckIn", CheckInSchema)
    @blp.alt_response(400, response="BAD_REQUEST", description=BAD_DAY)
    def get(self, goal_id, day):
        """Get a check-in

        One check-in of a habit, by its local day (`YYYY-MM-DD`)."""
        return with_etag(checkins.get_check_in(current_caller().sub, goal_id, path_day(day)))

    @blp.deletes("deleteCheckIn")
    @blp.alt_response(400, response="BAD_REQUEST", description=BAD_DAY)
    def delete(self, goal_id, day):
        """Delete a check-in

        Removes the day's check-in; the goal's progress follows. `If-Match: "<version>"`
        makes the delete conditional (412 when it is stale)."""
        checkins.delete_check_in(
            current_caller().sub, goal_id, path_day(day), if_match=if_match_version()
        )
