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
    @blp.operation("getDailySummary", 200, DailySummarySchema, query=DailySummaryArgs)
    def get(self, day=None):
        """Get a daily summary

        Nutrition, activity, metrics and due goals of one local day (default today in the
        caller's timezone), beside the profile's daily targets."""
        return service.daily_summary(current_caller().sub, day)


@blp.route("/weekly")
class WeeklySummary(MethodView):
    @blp.operation("getWeeklySummary", 200, WeeklySummarySchema, query=WeeklySummaryArgs)
    def get(self, week_start=None):
        """Get a weekly summary

        Seven daily summaries from a Monday (default this week), and their averages."""
        return service.weekly_summary(current_caller().sub, week_start)
