"""Goal routes: HTTP only; the rules live in `service.py`."""

from __future__ import annotations

import re
from datetime import date

from flask.views import MethodView

from ..exceptions import InvalidInput
from ..http.api import Blueprint
from ..http.conditional import CREATED_HEADERS, ETAG_HEADER, if_match_version, resource_headers
from ..http.paging import paged
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
    @blp.doc(operationId="listGoals")
    @blp.arguments(GoalListArgs, location="query", as_kwargs=True)
    @blp.response(200, GoalPageSchema)
    def get(self, **args):
        """List goals

        The caller's goals, newest first, optionally only those of one `status` or
        `category`. Each carries its progress as of today in the caller's timezone."""
        sub = current_caller().sub
        return paged(
            lambda start_key, limit: service.list_goals(
                sub,
                limit=limit,
                start_key=start_key,
                status=args.get("status"),
                category=args.get("category"),
            ),
            caller=sub,
            args=args,
        )

    @idempotent
    @blp.doc(operationId="createGoal")
    @blp.arguments(GoalCreateSchema)
    @blp.response(
        201,
        GoalSchema,
        headers=CREATED_HEADERS,
    )
    def post(self, data):
        """Create a goal

        A habit (done by check-ins, on a daily or weekly schedule, optionally with a daily
        `reminder`) or a target (a number to reach from metrics). Only `title` is required;
        the answer is the stored goal, with its `Location` and `ETag`."""
        goal = service.create_goal(current_caller().sub, data)
        return goal, 201, resource_headers(goal, "goals.Goal", goal_id=goal.goal_id)


@blp.route("/<ulid:goal_id>")
class Goal(MethodView):
    @blp.doc(operationId="getGoal")
    @blp.response(200, GoalSchema, headers=ETAG_HEADER)
    def get(self, goal_id):
        """Get a goal

        One goal, with its progress (streaks, check-in count) as of today in the caller's
        timezone, and its version as `ETag`."""
        goal = service.get_goal_with_progress(current_caller().sub, goal_id)
        return goal, 200, resource_headers(goal)

    @blp.doc(operationId="updateGoal")
    @blp.arguments(GoalUpdateSchema)
    @blp.response(200, GoalSchema, headers=ETAG_HEADER)
    def patch(self, changes, goal_id):
        """Update a goal

        Changes the fields sent and keeps the others; `type` cannot change, and `null`
        clears `description`, `endDate` and `reminder`. `If-Match: "<version>"` makes the
        change conditional (412 when it is stale)."""
        goal = service.update_goal(
            current_caller().sub, goal_id, changes, if_match=if_match_version()
        )
        return goal, 200, resource_headers(goal)

    @blp.doc(operationId="deleteGoal")
    @blp.response(204)
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
    @blp.doc(operationId="listCheckIns")
    @blp.arguments(CheckInListArgs, location="query", as_kwargs=True)
    @blp.response(200, CheckInPageSchema)
    def get(self, goal_id, **args):
        """List check-ins

        A habit's check-ins, newest day first, optionally from `from` to `to` (local days,
        inclusive)."""
        sub = current_caller().sub
        return paged(
            lambda start_key, limit: checkins.list_check_ins(
                sub,
                goal_id,
                first=args.get("first"),
                last=args.get("last"),
                limit=limit,
                start_key=start_key,
            ),
            caller=sub,
            args=args,
        )

    @idempotent
    @blp.doc(operationId="createCheckIn")
    @blp.arguments(CheckInCreateSchema)
    @blp.response(
        201,
        CheckInSchema,
        description="Created: the day had no check-in yet.",
        headers=CREATED_HEADERS,
    )
    @blp.alt_response(
        200,
        schema=CheckInSchema,
        description="Updated: the day already had a check-in; it was updated, not duplicated.",
        headers=ETAG_HEADER,
    )
    def post(self, data, goal_id):
        """Check in on a habit

        Records the day's check-in (default: today in the caller's timezone): 201 for a new
        day, 200 when the day already had one, which is updated, not duplicated. Only active
        habit goals take check-ins, on days from `startDate` to `endDate` and not after
        today; anything else is a 400."""
        check_in, created = checkins.create_check_in(current_caller().sub, goal_id, data)
        if created:
            return (
                check_in,
                201,
                resource_headers(
                    check_in,
                    "goals.CheckIn",
                    goal_id=check_in.goal_id,
                    day=check_in.day.isoformat(),
                ),
            )
        return check_in, 200, resource_headers(check_in)


@blp.route("/<ulid:goal_id>/check-ins/<day>", parameters=[DAY_PATH_PARAMETER])
class CheckIn(MethodView):
    @blp.doc(operationId="getCheckIn")
    @blp.response(200, CheckInSchema, headers=ETAG_HEADER)
    @blp.alt_response(400, response="BAD_REQUEST", description=BAD_DAY)
    def get(self, goal_id, day):
        """Get a check-in

        One check-in of a habit, by its local day (`YYYY-MM-DD`)."""
        check_in = checkins.get_check_in(current_caller().sub, goal_id, path_day(day))
        return check_in, 200, resource_headers(check_in)

    @blp.doc(operationId="deleteCheckIn")
    @blp.response(204)
    @blp.alt_response(400, response="BAD_REQUEST", description=BAD_DAY)
    def delete(self, goal_id, day):
        """Delete a check-in

        Removes the day's check-in; the goal's progress follows. `If-Match: "<version>"`
        makes the delete conditional (412 when it is stale)."""
        checkins.delete_check_in(
            current_caller().sub, goal_id, path_day(day), if_match=if_match_version()
        )
