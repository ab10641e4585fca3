"""Meal routes: HTTP only; the rules live in `service.py`."""

from __future__ import annotations

from flask.views import MethodView

from ..http.api import Blueprint
from ..http.conditional import CREATED_HEADERS, ETAG_HEADER, if_match_version, resource_headers
from ..http.paging import paged
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
    @blp.doc(operationId="listMeals")
    @blp.arguments(MealListArgs, location="query", as_kwargs=True)
    @blp.response(200, MealPageSchema)
    def get(self, **args):
        """List meals

        The caller's meals, newest `eatenAt` first.

        Filter by `from`/`to` (inclusive instants with an offset) or by `date` (a local day
        in the profile's timezone), not both; `mealType` keeps one type of meal.
        """
        sub = current_caller().sub
        return paged(
            lambda start_key, limit: service.list_meals(
                sub,
                limit=limit,
                start_key=start_key,
                start=args.get("from_"),
                end=args.get("to"),
                day=args.get("date"),
                meal_type=args.get("meal_type"),
            ),
            caller=sub,
            args=args,
        )

    @idempotent
    @blp.doc(operationId="createMeal")
    @blp.arguments(MealCreateSchema)
    @blp.response(201, MealSchema, headers=CREATED_HEADERS)
    def post(self, data):
        """Log a meal

        The server computes `totals` from `items`; sending `totals` is a 400.
        """
        meal = service.create_meal(current_caller().sub, data)
        return meal, 201, resource_headers(meal, "meals.Meal", meal_id=meal.meal_id)


@blp.route("/<ulid:meal_id>")
class Meal(MethodView):
    @blp.doc(operationId="getMeal")
    @blp.response(200, MealSchema, headers=ETAG_HEADER)
    def get(self, meal_id):
        """Get a meal

        One meal, with its foods, their totals, and its version as `ETag`."""
        meal = service.get_meal(current_caller().sub, meal_id)
        return meal, 200, resource_headers(meal)

    @blp.doc(operationId="updateMeal")
    @blp.arguments(MealUpdateSchema)
    @blp.response(200, MealSchema, headers=ETAG_HEADER)
    def patch(self, changes, meal_id):
        """Update a meal

        Changes the fields sent and keeps the others. `items`, when given, replaces the list
        and `totals` is computed again.
        `If-Match: "<version>"` makes the change conditional (412 when it is stale).
        """
        meal = service.update_meal(
            current_caller().sub, meal_id, changes, if_match=if_match_version()
        )
        return meal, 200, resource_headers(meal)

    @blp.doc(operationId="deleteMeal")
    @blp.response(204)
    def delete(self, meal_id):
        """Delete a meal

        Removes the meal from the caller's log and summaries.
        `If-Match: "<version>"` makes the delete conditional (412 when it is stale).
        """
        service.delete_meal(current_caller().sub, meal_id, if_match=if_match_version())
