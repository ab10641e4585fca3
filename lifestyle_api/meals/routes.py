"""Meal routes: HTTP only; the rules live in `service.py`."""

from __future__ import annotations

from flask.views import MethodView

from ..http.api import Blueprint
from ..http.conditional import created, if_match_version, with_etag
from ..http.paging import paged_list
from ..http.routes import idempotent
from ..identity import current_caller
from . import service
from .schemas import (
    MealCreateSchema,
    MealListArgs,
    MealPageSchema,
    MealSchema,
    MealUpdateSchema,
)

blp = Blueprint(
    "meals", __name__, url_prefix="/meals", description="Meals, their foods and nutrition."
)


@blp.route("")
class Meals(MethodView):
    @blp.lists("listMeals", MealListArgs, MealPageSchema)
    def get(self, **args):
        """List meals

        The caller's meals, newest `eatenAt` first.

        Filter by `from`/`to` (inclusive instants with an offset) or by `date` (a local day
        in the profile's timezone), not both; `mealType` keeps one type of meal.
        """
        return paged_list(service.list_meals, args)

    @idempotent
    @blp.creates("createMeal", MealCreateSchema, MealSchema)
    def post(self, data):
        """Log a meal

        The server computes `totals` from `items`; sending `totals` is a 400.
        """
        return created(service.create_meal(current_caller().sub, data), "meals.Meal")


@blp.route("/<ulid:meal_id>")
class Meal(MethodView):
    @blp.reads("getMeal", MealSchema)
    def get(self, meal_id):
        """Get a meal

        One meal, with its foods, their totals, and its version as `ETag`."""
        return with_etag(service.get_meal(current_caller().sub, meal_id))

    @blp.updates("updateMeal", MealUpdateSchema, MealSchema)
    def patch(self, changes, meal_id):
        """Update a meal

        Changes the fields sent and keeps the others. `items`, when given, replaces the list
        and `totals` is computed again.
        `If-Match: "<version>"` makes the change conditional (412 when it is stale).
        """
        return with_etag(
            service.update_meal(current_caller().sub, meal_id, changes, if_match=if_match_version())
        )

    @blp.deletes("deleteMeal")
    def delete(self, meal_id):
        """Delete a meal

        Removes the meal from the caller's log and summaries.
        `If-Match: "<version>"` makes the delete conditional (412 when it is stale).
        """
        service.delete_meal(current_caller().sub, meal_id, if_match=if_match_version())
