"""Terraform's API Gateway routes are exactly the Flask app's routes, and exactly the app's
routes whose views are declared `@public` are open; every other route needs the JWT
authorizer."""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.routing import BaseConverter

from lifestyle_api import create_app
from lifestyle_api.http.routes import PUBLIC, routes_with
from tests.support.infra import TerraformModule as Module
from tests.support.infra import (
    app_routes,
    compare_routes,
    load_module,
    normalize_path,
    parse_hcl,
    terraform_routes,
)

ROUTE_TARGET = "${local.route_target}"


@pytest.fixture(scope="module")
def terraform():
    return terraform_routes(load_module())


def test_terraform_declares_exactly_the_apps_routes(terraform):
    app = create_app({"TABLE_NAME": "routes-parity"})

    difference = compare_routes(app_routes(app), terraform)

    assert difference.empty, "terraform/routes.tf and the Flask app differ:\n" + (
        difference.explain()
    )


def test_exactly_the_public_routes_need_no_token(terraform):
    open_routes = {route for route, tf in terraform.items() if tf.authorization_type == "NONE"}

    public_routes = routes_with(create_app({"TABLE_NAME": "routes-parity"}), PUBLIC)
    assert open_routes == {(m, normalize_path(p)) for m, p in public_routes}


def test_every_other_route_goes_through_the_cognito_authorizer(terraform):
    for route, tf in terraform.items():
        if tf.authorization_type == "NONE":
            assert tf.authorizer_id is None, route
        else:
            assert tf.authorization_type == "JWT", route
            assert tf.authorizer_id == "${aws_apigatewayv2_authorizer.cognito.id}", route


def test_every_route_targets_the_lambda_integration_and_exists_with_the_function():
    module = load_module()
    routes = module.resources_of("aws_apigatewayv2_route")

    assert routes
    for name, body in routes.items():
        assert body["target"] == ROUTE_TARGET, name
        assert body["api_id"] == "${aws_apigatewayv2_api.http.id}", name
        assert body["count"] == "${local.lambda_count}", name
    assert module.locals["route_target"] == (
        '${var.deploy_lambda ? "integrations/${aws_apigatewayv2_integration.lambda[0].id}" : null}'
    )


# ---- the comparison itself, on a small fixed example ----------------------------------------


class _IdConverter(BaseConverter):
    regex = "[0-9A-Z]{26}"


def _small_app() -> Flask:
    app = Flask("small", static_folder=None)
    app.url_map.converters["ulid"] = _IdConverter
    app.add_url_rule("/health", "health", lambda: "ok")
    app.add_url_rule("/goals/", "goals", lambda: "", methods=["GET", "POST"])
    app.add_url_rule("/goals/<ulid:goal_id>", "goal", lambda goal_id: "", methods=["GET", "DELETE"])
    app.add_url_rule(
        "/goals/<ulid:goal_id>/check-ins/<date>", "check_in", lambda **_: "", methods=["DELETE"]
    )
    return app


SMALL_TERRAFORM = """
resource "aws_apigatewayv2_route" "get_health" {
  route_key          = "GET /health"
  authorization_type = "NONE"
}
resource "aws_apigatewayv2_route" "get_goals" {
  route_key          = "GET /goals"
  authorization_type = "JWT"
  authorizer_id      = aws_apigatewayv2_authorizer.cognito.id
}
resource "aws_apigatewayv2_route" "get_goal" {
  route_key          = "GET /goals/{goalId}"
  authorization_type = "JWT"
}
resource "aws_apigatewayv2_route" "delete_check_in" {
  route_key          = "DELETE /goals/{goalId}/check-ins/{date}"
  authorization_type = "JWT"
}
resource "aws_apigatewayv2_route" "patch_goal" {
  route_key          = "PATCH /goals/{goalId}"
  authorization_type = "JWT"
}
"""


def _small_terraform() -> Module:
    module = Module()
    module.add(parse_hcl(SMALL_TERRAFORM))
    return module


def test_path_parameters_compare_by_position_not_by_name():
    assert normalize_path("/goals/<ulid:goal_id>") == normalize_path("/goals/{goalId}")
    assert normalize_path("/goals/<goal_id>/check-ins/<date>") == "/goals/{}/check-ins/{}"
    assert normalize_path("/goals/") == "/goals"
    assert normalize_path("/") == "/"
    assert normalize_path("/goals/{goalId}") != normalize_path("/goals/{goalId}/check-ins")


def test_app_routes_leave_out_head_options_and_static_files():
    app = Flask("with_static")
    app.add_url_rule("/health", "health", lambda: "ok")
    rules = {rule.rule: rule.methods for rule in app.url_map.iter_rules()}
    assert rules["/health"] == {"GET", "HEAD", "OPTIONS"}
    assert "/static/<path:filename>" in rules

    assert app_routes(app) == {("GET", "/health")}


def test_terraform_routes_are_read_with_their_authorization():
    routes = terraform_routes(_small_terraform())

    assert routes[("GET", "/health")].authorization_type == "NONE"
    assert routes[("GET", "/goals")].authorizer_id == "${aws_apigatewayv2_authorizer.cognito.id}"
    assert routes[("GET", "/goals/{}")].resource == "get_goal"
    assert set(routes) == {
        ("GET", "/health"),
        ("GET", "/goals"),
        ("GET", "/goals/{}"),
        ("DELETE", "/goals/{}/check-ins/{}"),
        ("PATCH", "/goals/{}"),
    }


def test_the_comparison_names_what_each_side_lacks():
    difference = compare_routes(app_routes(_small_app()), terraform_routes(_small_terraform()))

    assert difference.only_in_app == {("POST", "/goals"), ("DELETE", "/goals/{}")}
    assert difference.only_in_terraform == {("PATCH", "/goals/{}")}
    assert "app only, add to terraform/routes.tf: POST /goals" in difference.explain()
    assert "terraform only, no such app route: PATCH /goals/{}" in difference.explain()
    assert not difference.empty


def test_the_comparison_is_empty_when_both_sides_agree():
    routes = [("GET", "/goals/<ulid:goal_id>"), ("POST", "/goals/")]

    difference = compare_routes(routes, [("GET", "/goals/{goalId}"), ("POST", "/goals")])

    assert difference.empty


def test_a_route_declared_twice_in_terraform_is_refused():
    module = _small_terraform()
    module.add(parse_hcl('resource "aws_apigatewayv2_route" "again" { route_key = "GET /health" }'))

    with pytest.raises(AssertionError, match="GET /health is declared twice"):
        terraform_routes(module)
