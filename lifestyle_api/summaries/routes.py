"""Summary routes: HTTP only; the computation lives in `service.py`."""

from __future__ import annotations

from flask.views import MethodView

from ..http.api import Blueprint
from ..identity import current_caller
from . import service
from .schemas import DailySummaryArgs, DailySummarySchema, WeeklySummaryArgs, WeeklySummarySchema

blp = Blueprint(
    "summaries",
    __name__,
    url_prefix="/summaries",
    description="What a day and a week add up to.",
)


@blp.route("/daily")
class DailySummary(MethodView):
    @blp.doc(operationId="getDailySummary")
    @blp.arguments(DailySummaryArgs, location="query")
    @blp.response(200, DailySummarySchema)
    def get(self, args):
        """Get a daily summary

        Nutrition, activity, metrics and due goals of one local day (default today in the
        caller's timezone), beside the profile's daily targets."""
        return service.daily_summary(current_caller().sub, args.get("day"))


@blp.route("/weekly")
class WeeklySummary(MethodView):
    @blp.doc(operationId="getWeeklySummary")
    @blp.arguments(WeeklySummaryArgs, location="query")
    @blp.response(200, WeeklySummarySchema)
    def get(self, args):
        """Get a weekly summary

        Seven daily summaries from a Monday (default this week), and their averages."""
        return service.weekly_summary(current_caller().sub, args.get("week_start"))
