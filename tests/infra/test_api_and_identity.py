"""The HTTP API, its JWT authorizer and the Cognito pool and client it trusts, the image
repository and the alarms, as API.md and the issue ask for them."""

from __future__ import annotations

from lifestyle_api.http.hooks import ALLOWED_HEADERS, ALLOWED_METHODS, EXPOSED_HEADERS
from tests.support.infra import load_module


def _split(header_value: str) -> list[str]:
    return [part.strip() for part in header_value.split(",")]


def test_cors_on_the_gateway_carries_the_apps_values():
    cors = load_module().resource("aws_apigatewayv2_api", "http")["cors_configuration"][0]

    assert cors["allow_origins"] == ["${var.cors_origin}"]
    assert cors["allow_headers"] == _split(ALLOWED_HEADERS)
    assert cors["expose_headers"] == _split(EXPOSED_HEADERS)
    assert cors["allow_methods"] == _split(ALLOWED_METHODS)
    assert cors["allow_headers"] == ["Authorization", "Content-Type", "Idempotency-Key", "If-Match"]
    assert cors["expose_headers"] == [
        "ETag",
        "Location",
        "X-Request-Id",
        "Idempotent-Replayed",
        "Retry-After",
    ]


def test_the_api_is_an_http_api_calling_the_function_with_payload_2_0():
    module = load_module()
    integration = module.resource("aws_apigatewayv2_integration", "lambda")

    assert module.resource("aws_apigatewayv2_api", "http")["protocol_type"] == "HTTP"
    assert integration["integration_type"] == "AWS_PROXY"
    assert integration["payload_format_version"] == "2.0"
    assert integration["integration_uri"] == "${aws_lambda_function.api[0].invoke_arn}"
    permission = module.resource("aws_lambda_permission", "api")
    assert permission["principal"] == "apigateway.amazonaws.com"
    assert permission["source_arn"] == "${aws_apigatewayv2_api.http.execution_arn}/*"


def test_the_authorizer_trusts_the_pool_as_issuer_and_the_client_as_audience():
    module = load_module()
    authorizer = module.resource("aws_apigatewayv2_authorizer", "cognito")
    jwt = authorizer["jwt_configuration"][0]

    assert authorizer["authorizer_type"] == "JWT"
    assert authorizer["identity_sources"] == ["$request.header.Authorization"]
    assert jwt["issuer"] == "${local.jwt_issuer}"
    assert module.locals["jwt_issuer"] == "https://${aws_cognito_user_pool.main.endpoint}"
    assert jwt["audience"] == ["${aws_cognito_user_pool_client.app.id}"]


def test_the_default_stage_logs_access_and_throttles():
    stage = load_module().resource("aws_apigatewayv2_stage", "default")
    settings = stage["default_route_settings"][0]

    assert stage["name"] == "$default"
    assert stage["auto_deploy"] is True
    logs = stage["access_log_settings"][0]
    assert logs["destination_arn"] == "${aws_cloudwatch_log_group.api_access.arn}"
    assert "$context.requestId" in logs["format"]
    assert settings["throttling_rate_limit"] == "${var.api_throttling_rate_limit}"
    assert settings["throttling_burst_limit"] == "${var.api_throttling_burst_limit}"


def test_the_user_pool_signs_in_with_email_and_has_a_password_policy():
    pool = load_module().resource("aws_cognito_user_pool", "main")
    policy = pool["password_policy"][0]

    assert pool["username_attributes"] == ["email"]
    assert pool["auto_verified_attributes"] == ["email"]
    assert policy["minimum_length"] == "${var.password_minimum_length}"
    assert policy["require_lowercase"] is True
    assert policy["require_uppercase"] is True
    assert policy["require_numbers"] is True
    assert pool["deletion_protection"] == '${local.is_prod ? "ACTIVE" : "INACTIVE"}'


def test_the_app_client_is_public_with_password_and_refresh_flows_and_15_minute_tokens():
    client = load_module().resource("aws_cognito_user_pool_client", "app")

    assert client["generate_secret"] is False
    assert sorted(client["explicit_auth_flows"]) == [
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_USER_PASSWORD_AUTH",
    ]
    assert client["access_token_validity"] == 15
    assert client["token_validity_units"][0]["access_token"] == "minutes"
    assert client["enable_token_revocation"] is True, "logout must revoke refresh tokens"
    assert client["prevent_user_existence_errors"] == "ENABLED"


def test_the_image_repository_scans_on_push_and_expires_old_images():
    module = load_module()
    repository = module.resource("aws_ecr_repository", "app")

    assert repository["image_scanning_configuration"] == [{"scan_on_push": True}]
    assert repository["image_tag_mutability"] == "IMMUTABLE"
    assert module.resource("aws_ecr_lifecycle_policy", "app")["repository"] == (
        "${aws_ecr_repository.app.name}"
    )


def test_alarms_watch_errors_throttles_p99_duration_and_api_5xx():
    alarms = load_module().resources_of("aws_cloudwatch_metric_alarm")
    watched = {
        (alarm["namespace"], alarm["metric_name"], alarm.get("extended_statistic"))
        for alarm in alarms.values()
    }

    assert watched == {
        ("AWS/Lambda", "Errors", None),
        ("AWS/Lambda", "Throttles", None),
        ("AWS/Lambda", "Duration", "p99"),
        ("AWS/ApiGateway", "5xx", None),
    }
    for name, alarm in alarms.items():
        assert alarm["alarm_actions"] == ["${aws_sns_topic.alarms.arn}"], name
