"""The HTTP API, its JWT authorizer and the Cognito pool and client it trusts, the image
repository and the alarms, as API.md and the issue ask for them: ID tokens stop at the
gateway, the /auth routes are throttled below the stage, users write only their name and
address (a new address needs verification), prod mails through SES and is watched."""

from __future__ import annotations

from lifestyle_api.http.hooks import ALLOWED_HEADERS, ALLOWED_METHODS, EXPOSED_HEADERS
from tests.support.infra import TERRAFORM_DIR, load_module, load_tfvars


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
    assert integration["integration_uri"] == "${aws_lambda_alias.live[0].invoke_arn}"
    permission = module.resource("aws_lambda_permission", "api")
    assert permission["qualifier"] == "${aws_lambda_alias.live[0].name}"
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


def test_private_routes_require_the_access_tokens_scope_so_id_tokens_stop_at_the_gateway():
    module = load_module()
    routes = module.resources_of("aws_apigatewayv2_route")

    # Cognito puts this scope in access tokens (USER_PASSWORD_AUTH); ID tokens have no scope.
    assert module.locals["access_token_scopes"] == ["aws.cognito.signin.user.admin"]
    private = {n: r for n, r in routes.items() if r.get("authorization_type") == "JWT"}
    assert private
    for name, route in private.items():
        assert route["authorization_scopes"] == "${local.access_token_scopes}", name
    for name, route in routes.items():
        if route.get("authorization_type", "NONE") == "NONE":
            assert "authorization_scopes" not in route, name


def test_every_auth_route_is_throttled_below_the_stages_limits():
    module = load_module()
    routes = module.resources_of("aws_apigatewayv2_route")
    auth_routes = sorted(
        n for n, r in routes.items() if r["route_key"].split(" ")[1].startswith("/auth/")
    )
    listed = module.locals["auth_route_keys"]

    assert len(auth_routes) >= 8
    assert (
        listed
        == "${concat("
        + ", ".join(
            f"aws_apigatewayv2_route.{name}[*].route_key" for name in _in_file_order(auth_routes)
        )
        + ")}"
    )
    stage = module.resource("aws_apigatewayv2_stage", "default")
    (dynamic,) = stage["dynamic"]
    settings = dynamic["route_settings"]
    assert settings["for_each"] == "${local.auth_route_keys}"
    (content,) = settings["content"]
    assert content["route_key"] == "${route_settings.value}"
    assert content["throttling_rate_limit"] == "${var.auth_throttling_rate_limit}"
    assert content["throttling_burst_limit"] == "${var.auth_throttling_burst_limit}"
    rate = module.variables["auth_throttling_rate_limit"]["validation"][0]["condition"]
    burst = module.variables["auth_throttling_burst_limit"]["validation"][0]["condition"]
    assert "var.auth_throttling_rate_limit < var.api_throttling_rate_limit" in rate
    assert "var.auth_throttling_burst_limit < var.api_throttling_burst_limit" in burst
    for env in ("dev", "prod"):
        values = {
            **_defaults(module),
            **load_tfvars(TERRAFORM_DIR / "environments" / f"{env}.tfvars"),
        }
        assert values["auth_throttling_rate_limit"] < values["api_throttling_rate_limit"], env
        assert values["auth_throttling_burst_limit"] < values["api_throttling_burst_limit"], env


def _in_file_order(names: list[str]) -> list[str]:
    text = (TERRAFORM_DIR / "routes.tf").read_text()
    return sorted(names, key=lambda name: text.index(f'"aws_apigatewayv2_route" "{name}"'))


def _defaults(module) -> dict:
    return {name: v["default"] for name, v in module.variables.items() if "default" in v}


def test_users_write_only_their_name_and_address_and_a_new_address_needs_verification():
    module = load_module()
    client = module.resource("aws_cognito_user_pool_client", "app")
    pool = module.resource("aws_cognito_user_pool", "main")

    # Sign-up writes both (lifestyle_api's register); nothing else is the user's to set.
    assert client["write_attributes"] == ["email", "name"]
    assert pool["user_attribute_update_settings"] == [
        {"attributes_require_verification_before_update": ["email"]}
    ]


def test_the_pool_sends_through_ses_when_an_identity_is_given_and_prod_requires_one():
    module = load_module()
    pool = module.resource("aws_cognito_user_pool", "main")
    (dynamic,) = pool["dynamic"]
    email = dynamic["email_configuration"]
    variable = module.variables["ses_identity_arn"]

    assert email["for_each"] == '${var.ses_identity_arn == "" ? [] : [var.ses_identity_arn]}'
    (content,) = email["content"]
    assert content["email_sending_account"] == "DEVELOPER"
    assert content["source_arn"] == "${email_configuration.value}"
    assert variable["default"] == ""
    conditions = [v["condition"] for v in variable["validation"]]
    assert '${var.environment != "prod" || var.ses_identity_arn != ""}' in conditions


def test_prod_refuses_to_plan_without_an_alarm_subscriber():
    module = load_module()
    variable = module.variables["alarm_emails"]
    subscription = module.resource("aws_sns_topic_subscription", "alarm_email")

    assert variable["default"] == []
    conditions = [v["condition"] for v in variable["validation"]]
    assert '${var.environment != "prod" || length(var.alarm_emails) > 0}' in conditions
    assert subscription["for_each"] == "${toset(var.alarm_emails)}"
    assert subscription["protocol"] == "email"
    assert subscription["topic_arn"] == "${aws_sns_topic.alarms.arn}"
    # The value comes from the environment, never from a file that would satisfy the rule.
    prod = load_tfvars(TERRAFORM_DIR / "environments" / "prod.tfvars")
    assert "alarm_emails" not in prod
    assert "ses_identity_arn" not in prod


def test_the_table_and_the_user_pool_are_never_destroyed_by_an_apply():
    module = load_module()

    for type_, name in [("aws_dynamodb_table", "main"), ("aws_cognito_user_pool", "main")]:
        lifecycle = module.resource(type_, name)["lifecycle"]
        assert lifecycle == [{"prevent_destroy": True}], (type_, name)


def test_credentials_of_another_account_stop_every_run():
    text = (TERRAFORM_DIR / "providers.tf").read_text()

    assert 'allowed_account_ids = var.aws_account_id == "" ? null : [var.aws_account_id]' in text
