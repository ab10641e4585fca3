"""Facts a view declares about its own route, read by the request hooks and the OpenAPI
document: `@public` (no token needed) and `@idempotent` (takes `Idempotency-Key`).

    @blp.route("")
    class Goals(MethodView):
        @idempotent
        @blp.arguments(GoalCreateSchema)
        @blp.response(201, GoalSchema)
        def post(self, data): ...

A fact is an attribute of the view method (flask-smorest's decorators copy it along with
the function's `__dict__`), so adding a route is one place in the code plus its Terraform
route, which the parity test compares with `route_facts(app)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

from flask import Flask

PUBLIC = "public"
IDEMPOTENT = "idempotent"
NO_FACTS: frozenset[str] = frozenset()

View = TypeVar("View", bound=Callable[..., Any])

_PARAMETER = re.compile(r"<[^<>]*>|\{[^{}]*\}")


def _declare(fact: str) -> Callable[[View], View]:
    def declare(view: View) -> View:
        view.route_facts = getattr(view, "route_facts", NO_FACTS) | {fact}
        return view

    return declare


public = _declare(PUBLIC)
public.__doc__ = "The route needs no token (API.md's public routes)."
idempotent = _declare(IDEMPOTENT)
idempotent.__doc__ = "The route creates something and takes `Idempotency-Key`."


def declare_on_endpoint(app: Flask, endpoint: str, fact: str) -> None:
    """Declare `fact` for a view the app did not write (a framework's own route)."""
    framework_view = app.view_functions[endpoint]

    def view(*args: Any, **kwargs: Any) -> Any:
        return framework_view(*args, **kwargs)

    app.view_functions[endpoint] = _declare(fact)(view)


@lru_cache(maxsize=512)
def facts_of(view_function: Callable[..., Any] | None, method: str) -> frozenset[str]:
    """The facts of the view that answers `method` on the route of `view_function` (read by
    two hooks of every request, so remembered)."""
    view_class = getattr(view_function, "view_class", None)
    target = getattr(view_class, method.lower(), None) if view_class else view_function
    return getattr(target, "route_facts", NO_FACTS)


def route_shape(rule: str) -> str:
    """A route with its parameters blanked, so Flask rules and OpenAPI paths compare equal."""
    return _PARAMETER.sub("{}", rule.rstrip("/") or "/")


def route_facts(app: Flask) -> dict[tuple[str, str], frozenset[str]]:
    """`{(METHOD, route shape): facts}` for every route the app serves."""
    facts: dict[tuple[str, str], frozenset[str]] = {}
    for rule in app.url_map.iter_rules():
        view_function = app.view_functions.get(rule.endpoint)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            facts[(method, route_shape(rule.rule))] = facts_of(view_function, method)
    return facts


def routes_with(app: Flask, fact: str) -> frozenset[tuple[str, str]]:
    """`(METHOD, route shape)` of every route declaring `fact`."""
    return frozenset(route for route, facts in route_facts(app).items() if fact in facts)
