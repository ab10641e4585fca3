"""Coach routes: HTTP only; the answers come from `service.py`."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from ..http.api import Blueprint
from ..http.hooks import current_settings
from ..http.operations import stacked
from ..identity import current_caller
from . import service
from .schemas import (
    CoachQueryArgs,
    GoalSuggestionsRequestSchema,
    GoalSuggestionsResponseSchema,
    InsightsRequestSchema,
    InsightsResponseSchema,
)

blp = Blueprint(
    "coach",
    __name__,
    url_prefix="/coach",
    description="Coaching from the caller's own data: insights and goal suggestions. "
    "Lifestyle coaching only, never medical advice. Answers are cached for the period; "
    "`?refresh=true` recomputes, a few times an hour.",
)


def coaching(operation_id: str, body: type[ma.Schema], answer: type[ma.Schema]):
    """A coaching operation: `?refresh`, an optional body, and a 429 when the caller
    refreshes too often."""
    return stacked(
        blp.operation(
            operation_id, 200, answer, query=CoachQueryArgs, body=body, body_required=False
        ),
        blp.alt_response(429, response="TOO_MANY_REQUESTS"),
    )


@blp.route("/insights")
class Insights(MethodView):
    @coaching("generateInsights", InsightsRequestSchema, InsightsResponseSchema)
    def post(self, body, refresh):
        """Get coaching insights

        Insights about today or this week so far, each citing the caller's own numbers in
        `evidence`. The body is optional (default `{"period": "week"}`)."""
        return service.insights(
            current_caller().sub, body["period"], refresh=refresh, settings=current_settings()
        )


@blp.route("/goal-suggestions")
class GoalSuggestions(MethodView):
    @coaching(
        "generateGoalSuggestions", GoalSuggestionsRequestSchema, GoalSuggestionsResponseSchema
    )
    def post(self, _body, refresh):
        """Get goal suggestions

        New goals for the caller's weakest areas this week; each `goal` is a valid
        `POST /goals` body. The body is optional and has no fields."""
        return service.goal_suggestions(
            current_caller().sub, refresh=refresh, settings=current_settings()
        )
