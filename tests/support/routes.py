"""The app's routes as tests see them: from Flask's URL map and from the OpenAPI document.

Adversarial tests parametrize over these at collection time, so a route added by any
feature is covered without editing the tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from flask import Flask

from lifestyle_api import create_app
from lifestyle_api.http.routes import IDEMPOTENT, PUBLIC, route_facts, route_shape

IGNORED_METHODS = frozenset({"HEAD", "OPTIONS"})
IGNORED_ENDPOINTS = frozenset({"static"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_PARAMETER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


@dataclass(frozen=True)
class Route:
    """One method of one Flask rule, e.g. `PATCH /goals/<ulid:goal_id>`."""

    method: str
    rule: str

    @property
    def shape(self) -> str:
        """The rule with parameters blanked (`/goals/{}`), to match registry entries."""
        return route_shape(self.rule)

    @property
    def params(self) -> list[str]:
        """Path parameter names, in path order."""
        return _PARAMETER.findall(self.rule)

    @property
    def openapi_path(self) -> str:
        return _PARAMETER.sub(r"{\1}", self.rule)

    @property
    def facts(self) -> frozenset[str]:
        """What the route's view declares (`@public`, `@idempotent`)."""
        return route_facts(discovery_app()).get((self.method, self.shape), frozenset())

    @property
    def public(self) -> bool:
        return PUBLIC in self.facts

    @property
    def idempotent(self) -> bool:
        return IDEMPOTENT in self.facts

    def url(self, values: dict[str, str]) -> str:
        return _PARAMETER.sub(lambda m: str(values[m.group(1)]), self.rule)

    def __str__(self) -> str:
        return f"{self.method} {self.rule}"


@cache
def discovery_app() -> Flask:
    """An app built only to read its URL map and OpenAPI document (it calls no AWS)."""
    return create_app({"TABLE_NAME": "route-discovery"})


def app_routes(app: Flask | None = None) -> list[Route]:
    app = app or discovery_app()
    routes = {
        Route(method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in IGNORED_ENDPOINTS
        for method in rule.methods or ()
        if method not in IGNORED_METHODS
    }
    return sorted(routes, key=lambda r: (r.rule, r.method))


def idempotent_routes() -> list[tuple[str, str]]:
    """`(method, Flask rule)` of every route whose view is declared `@idempotent`."""
    return [(route.method, route.rule) for route in app_routes() if route.idempotent]


def routes_with_ids() -> list[Route]:
    return [route for route in app_routes() if route.params]


def has_route(app: Flask, method: str, shape: str) -> bool:
    return any(r.method == method and r.shape == route_shape(shape) for r in app_routes(app))


@cache
def openapi_document() -> dict[str, Any]:
    return discovery_app().test_client().get("/openapi.json").json


def openapi_operation(route: Route) -> dict[str, Any] | None:
    return openapi_document()["paths"].get(route.openapi_path, {}).get(route.method.lower())


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """Follow `$ref`s (and single-item `allOf`) to the schema they name."""
    while True:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = openapi_document()["components"]["schemas"][name]
        elif len(schema.get("allOf", [])) == 1:
            schema = schema["allOf"][0]
        else:
            return schema


def request_schema(route: Route) -> dict[str, Any] | None:
    """The JSON request body schema of the route's operation, if it takes a body."""
    operation = openapi_operation(route) or {}
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return resolve(content["application/json"]["schema"])


def response_schema(route: Route) -> dict[str, Any] | None:
    """The JSON schema of the route's first success answer, if it has a body."""
    responses = (openapi_operation(route) or {}).get("responses", {})
    for status in sorted(code for code in responses if code.startswith("2")):
        content = responses[status].get("content", {})
        if "application/json" in content:
            return resolve(content["application/json"]["schema"])
    return None


def query_parameters(route: Route) -> dict[str, dict[str, Any]]:
    operation = openapi_operation(route) or {}
    return {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}


def routes_with_body() -> list[Route]:
    return [r for r in app_routes() if r.method in BODY_METHODS and request_schema(r)]


def list_routes() -> list[Route]:
    """GET routes that page with `cursor`."""
    return [r for r in app_routes() if r.method == "GET" and "cursor" in query_parameters(r)]
