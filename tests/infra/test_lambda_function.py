"""The function in Terraform: the image by digest, its sizing variables, a published version
per deploy behind the `live` alias, created only once an image exists, its log group, its
role from the bootstrap, and every setting the app reads (except those Lambda sets itself
and those that exist only for local runs)."""

from __future__ import annotations

from lifestyle_api.config import LAMBDA_PROVIDED, LOCAL_ONLY, Settings
from tests.support.infra import TERRAFORM_DIR, load_module, load_tfvars, parse_hcl_file

# Names Lambda reserves for itself: setting one fails the deploy or misleads the runtime.
LAMBDA_RESERVED = frozenset(
    {
        "_HANDLER",
        "_X_AMZN_TRACE_ID",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
        "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API",
        "LAMBDA_TASK_ROOT",
        "LAMBDA_RUNTIME_DIR",
    }
)


def _function():
    return load_module().resource("aws_lambda_function", "api")


def _environment() -> dict[str, str]:
    return _function()["environment"][0]["variables"]


def test_every_setting_the_app_reads_is_set_on_the_function():
    expected = set(Settings.env_names()) - LAMBDA_PROVIDED - LOCAL_ONLY

    assert set(_environment()) == expected


def test_no_variable_lambda_reserves_is_set():
    assert LAMBDA_PROVIDED <= LAMBDA_RESERVED
    assert not set(_environment()) & LAMBDA_RESERVED
    assert not any(name.startswith("AWS_") for name in _environment())


def test_settings_come_from_the_resources_they_describe():
    env = _environment()

    assert env["TABLE_NAME"] == "${aws_dynamodb_table.main.name}"
    assert env["COGNITO_USER_POOL_ID"] == "${aws_cognito_user_pool.main.id}"
    assert env["COGNITO_CLIENT_ID"] == "${aws_cognito_user_pool_client.app.id}"
    assert env["CURSOR_SECRET"] == "${random_password.cursor_secret.result}"
    assert env["CORS_ORIGIN"] == "${var.cors_origin}"
    assert env["BEDROCK_MODEL_ID"] == "${var.bedrock_model_id}"
    assert env["JWT_ISSUER"] == "${local.jwt_issuer}"
    assert env["JWKS_URL"] == "${local.jwt_issuer}/.well-known/jwks.json"
    assert load_module().locals["jwt_issuer"] == "https://${aws_cognito_user_pool.main.endpoint}"


def test_the_cursor_secret_is_generated_and_long():
    secret = load_module().resource("random_password", "cursor_secret")

    assert secret["length"] >= 32


def test_the_function_runs_the_image_with_its_sizing_from_variables():
    function = _function()

    assert function["package_type"] == "Image"
    assert function["image_uri"] == "${var.image_uri}"
    assert function["publish"] is True, "every deploy is a version the alias can go back to"
    assert function["architectures"] == ["${var.lambda_architecture}"]
    assert function["memory_size"] == "${var.lambda_memory_mb}"
    assert function["timeout"] == "${var.lambda_timeout_seconds}"
    assert function["reserved_concurrent_executions"] == "${var.lambda_reserved_concurrency}"
    assert "handler" not in function, "the image's CMD decides"
    assert "runtime" not in function, "the image's base decides"


def test_the_function_and_its_log_group_exist_only_when_deploy_lambda_is_true():
    module = load_module()

    assert module.locals["lambda_count"] == "${var.deploy_lambda ? 1 : 0}"
    assert "default" not in module.variables["deploy_lambda"], "no run drops it by omission"
    for type_, name in [
        ("aws_lambda_function", "api"),
        ("aws_lambda_alias", "live"),
        ("aws_cloudwatch_log_group", "lambda"),
        ("aws_apigatewayv2_integration", "lambda"),
        ("aws_lambda_permission", "api"),
    ]:
        assert module.resource(type_, name)["count"] == "${local.lambda_count}", (type_, name)


def test_the_log_group_is_the_functions_with_retention():
    module = load_module()
    log_group = module.resource("aws_cloudwatch_log_group", "lambda")

    assert log_group["name"] == "/aws/lambda/${local.name}"
    assert module.resource("aws_lambda_function", "api")["function_name"] == "${local.name}"
    assert log_group["retention_in_days"] == "${var.log_retention_days}"
    assert _function()["logging_config"][0]["log_group"] == (
        "${aws_cloudwatch_log_group.lambda[0].name}"
    )


def test_the_timeout_fits_the_http_apis_integration_limit():
    module = load_module()
    validation = module.variables["lambda_timeout_seconds"]["validation"][0]
    integration = module.resource("aws_apigatewayv2_integration", "lambda")

    assert "var.lambda_timeout_seconds <= 30" in validation["condition"]
    assert module.variables["lambda_timeout_seconds"]["default"] <= 30
    assert integration["timeout_milliseconds"] == 30000


def test_environments_differ_where_they_should():
    dev = load_tfvars(TERRAFORM_DIR / "environments" / "dev.tfvars")
    prod = load_tfvars(TERRAFORM_DIR / "environments" / "prod.tfvars")

    assert prod["log_retention_days"] >= dev["log_retention_days"]
    assert prod["lambda_reserved_concurrency"] > 0


def test_the_image_is_deployed_by_digest_only():
    module = load_module()
    (validation,) = module.variables["image_uri"]["validation"]
    (precondition,) = _function()["lifecycle"][0]["precondition"]

    assert "default" not in module.variables["image_uri"]
    assert "@sha256:[0-9a-f]{64}$" in validation["condition"]
    assert 'var.image_uri == ""' in validation["condition"], "empty only without the function"
    assert precondition["condition"] == (
        '${startswith(var.image_uri, "${aws_ecr_repository.app.repository_url}@sha256:")}'
    )


def test_the_api_serves_the_live_alias_on_the_newest_published_version():
    alias = load_module().resource("aws_lambda_alias", "live")

    assert alias["name"] == "live"
    assert alias["function_name"] == "${aws_lambda_function.api[0].function_name}"
    assert alias["function_version"] == "${aws_lambda_function.api[0].version}"


def test_the_role_comes_from_the_bootstrap_and_the_old_one_is_kept_not_deleted():
    module = load_module()
    removed = parse_hcl_file(TERRAFORM_DIR / "lambda.tf")["removed"]

    assert _function()["role"] == "${data.aws_iam_role.lambda.arn}"
    assert module.data["aws_iam_role"]["lambda"]["name"] == "${local.name}-lambda"
    assert {block["from"] for block in removed} == {
        "${aws_iam_role.lambda}",
        "${aws_iam_role_policy.lambda}",
    }
    for block in removed:
        assert block["lifecycle"] == [{"destroy": False}]
