"""The decorator stacks of the operations every resource has, as `Blueprint` methods.

Each is flask-smorest's own `@blp.doc` / `@blp.arguments` / `@blp.response` in the order a
view would write them, with the headers API.md gives that kind of answer:

    @blp.route("")
    class Goals(MethodView):
        @blp.lists("listGoals", GoalListArgs, GoalPageSchema)
        def get(self, **args): ...

        @idempotent
        @blp.creates("createGoal", GoalCreateSchema, GoalSchema)
        def post(self, data): ...

A view adds what is its own below (`@blp.alt_response` for a status of its own); route
facts (`@public`, `@idempotent`) stay above, on the view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import marshmallow as ma

from .conditional import CREATED_HEADERS, ETAG_HEADER

View = TypeVar("View", bound=Callable[..., Any])
Schema = type[ma.Schema] | ma.Schema


def stacked(*decorators: Callable[[View], View]) -> Callable[[View], View]:
    """The decorators applied as if written one above the other, the first on top."""

    def decorate(view: View) -> View:
        for decorator in reversed(decorators):
            view = decorator(view)
        return view

    return decorate


class StandardOperations:
    """Mixed into the `Blueprint`: `doc`, `arguments`, `response` and `alt_response` are
    flask-smorest's."""

    doc: Callable[..., Callable[[View], View]]
    arguments: Callable[..., Callable[[View], View]]
    response: Callable[..., Callable[[View], View]]
    alt_response: Callable[..., Callable[[View], View]]

    def operation(
        self,
        operation_id: str,
        status: int = 200,
        schema: Schema | None = None,
        *,
        query: Schema | None = None,
        body: Schema | None = None,
        body_required: bool = True,
        **response: Any,
    ) -> Callable[[View], View]:
        """Any operation: its `operationId`, its query arguments (passed to the view as
        keywords), its body (passed as an argument) and its answer."""
        decorators = [self.doc(operationId=operation_id)]
        if query is not None:
            decorators.append(self.arguments(query, location="query", as_kwargs=True))
        if body is not None:
            decorators.append(self.arguments(body, required=body_required))
        decorators.append(self.response(status, schema, **response))
        return stacked(*decorators)

    def lists(self, operation_id: str, query: Schema, page: Schema) -> Callable[[View], View]:
        """A list: its query arguments and one page of the resources."""
        return self.operation(operation_id, 200, page, query=query)

    def creates(
        self,
        operation_id: str,
        body: Schema,
        schema: Schema,
        *,
        description: str | None = None,
        existing: str | None = None,
    ) -> Callable[[View], View]:
        """A create: 201 with the resource, its `Location` and `ETag`; with `existing` (what
        the 200 means), a 200 with the resource already stored."""
        create = self.operation(
            operation_id, 201, schema, body=body, description=description, headers=CREATED_HEADERS
        )
        if existing is None:
            return create
        found = self.alt_response(200, schema=schema, description=existing, headers=ETAG_HEADER)
        return stacked(create, found)

    def reads(self, operation_id: str, schema: Schema) -> Callable[[View], View]:
        """A read of one resource: 200 with it and its `ETag`."""
        return self.operation(operation_id, 200, schema, headers=ETAG_HEADER)

    def updates(self, operation_id: str, body: Schema, schema: Schema) -> Callable[[View], View]:
        """An update of one resource: the changes in, 200 with it and its `ETag`."""
        return self.operation(operation_id, 200, schema, body=body, headers=ETAG_HEADER)

    def deletes(self, operation_id: str) -> Callable[[View], View]:
        """A delete: 204."""
        return self.operation(operation_id, 204)
