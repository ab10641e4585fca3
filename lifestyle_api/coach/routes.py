"""Coach routes: HTTP only; the answers come from `service.py`."""

from __future__ import annotations

from flask.views import MethodView

from ..http.api import Blueprint
from ..http.hooks import current_settings
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


@blp.route("/insights")
class Insights(MethodView):
    @blp.doc(operationId="generateInsights")
    @blp.arguments(CoachQueryArgs, location="query", as_kwargs=True)
    @blp.arguments(InsightsRequestSchema, required=False)
    @blp.response(200, InsightsResponseSchema)
    @blp.alt_response(429, response="TOO_MANY_REQUESTS")
    def post(self, body, refresh):
        """Get coaching insights

        Insights about today or this week so far, each citing the caller's own numbers in
        `evidence`. The body is optional (default `{"period": "week"}`)."""
        return service.insights(
            current_caller().sub, body["period"], refresh=refresh, settings=current_settings()
        )


@blp.route("/goal-suggestions")
class GoalSuggestions(MethodView):
    @blp.doc(operationId="generateGoalSuggestions")
    @blp.arguments(CoachQueryArgs, location="query", as_kwargs=True)
    @blp.arguments(GoalSuggestionsRequestSchema, required=False)
    @blp.response(200, GoalSuggestionsResponseSchema)
    @blp.alt_response(429, response="TOO_MANY_REQUESTS")
    def post(self, _body, refresh):
        """Get goal suggestions

        New goals for the caller's weakest areas this week; each `goal` is a valid
        `POST /goals` body. The body is optional and has no fields."""
        return service.goal_suggestions(
            current_caller().sub, refresh=refresh, settings=current_settings()
        )
