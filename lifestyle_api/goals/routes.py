"""Goal routes: HTTP only; the rules live in `service.py`."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from ..auth import current_caller
from ..web import Blueprint, etag, if_match_version, paged
from . import service
from .schemas import GoalListArgs, GoalPageSchema, GoalPatchSchema, GoalSchema

blp = Blueprint("goals", __name__, url_prefix="/goals", description="Goals: habits and targets.")


def goal_headers(goal, *, created: bool = False) -> dict[str, str]:
    headers = {"ETag": etag(goal.version)}
    if created:
        headers["Location"] = url_for("goals.Goal", goal_id=goal.goal_id)
    return headers


@blp.route("")
class Goals(MethodView):
    @blp.arguments(GoalListArgs, location="query", as_kwargs=True)
    @blp.response(200, GoalPageSchema)
    def get(self, **args):
        """List the caller's goals, newest first, optionally by `status` and `category`."""
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

    @blp.arguments(GoalSchema)
    @blp.response(
        201,
        GoalSchema,
        headers={
            "Location": {"schema": {"type": "string"}},
            "ETag": {"schema": {"type": "string"}},
        },
    )
    def post(self, data):
        """Create a goal."""
        goal = service.create_goal(current_caller().sub, data)
        return goal, 201, goal_headers(goal, created=True)


@blp.route("/<ulid:goal_id>")
class Goal(MethodView):
    @blp.response(200, GoalSchema, headers={"ETag": {"schema": {"type": "string"}}})
    def get(self, goal_id):
        """One goal, with its progress as of today in the caller's timezone."""
        goal = service.get_goal_with_progress(current_caller().sub, goal_id)
        return goal, 200, goal_headers(goal)

    @blp.arguments(GoalPatchSchema)
    @blp.response(200, GoalSchema, headers={"ETag": {"schema": {"type": "string"}}})
    def patch(self, changes, goal_id):
        """Change some fields of a goal. `If-Match: "<version>"` makes it conditional (412)."""
        goal = service.update_goal(
            current_caller().sub, goal_id, changes, if_match=if_match_version()
        )
        return goal, 200, goal_headers(goal)

    @blp.response(204)
    def delete(self, goal_id):
        """Delete a goal and its check-ins."""
        service.delete_goal(current_caller().sub, goal_id, if_match=if_match_version())
