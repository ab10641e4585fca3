"""The second pass of account deletions in Terraform: a schedule group the function creates
one-off schedules in, a scheduler role allowed exactly to invoke the function, and the
function allowed exactly to create and delete schedules in that group and to pass that role
to the scheduler; the settings that name them; the token lifetime the pass waits for."""

from __future__ import annotations

from lifestyle_api.accounts.deletion import ACCESS_TOKEN_LIFETIME
from tests.support.infra import load_module

SCHEDULES = "${local.erasure_schedules_arn}"


def statements(name: str) -> dict[str, dict]:
    document = load_module().data["aws_iam_policy_document"][name]
    return {statement["sid"]: statement for statement in document["statement"]}


def test_the_schedule_group_is_the_functions_own():
    module = load_module()
    group = module.resource("aws_scheduler_schedule_group", "erasure")
    assert group["name"] == "${local.erasure_schedule_group}"
    assert module.locals["erasure_schedule_group"] == "${local.name}-erasure"
    assert module.locals["erasure_schedules_arn"].endswith(
        ":schedule/${local.erasure_schedule_group}/*"
    )


def test_the_function_arn_is_the_functions():
    module = load_module()
    assert module.locals["function_arn"].endswith(":function:${local.name}")
    assert module.resource("aws_lambda_function", "api")["function_name"] == "${local.name}"


def test_the_scheduler_role_may_only_invoke_the_function():
    module = load_module()
    trust = module.data["aws_iam_policy_document"]["erasure_scheduler_assume"]["statement"]
    (assume,) = trust
    assert assume["actions"] == ["sts:AssumeRole"]
    assert assume["principals"] == [{"type": "Service", "identifiers": ["scheduler.amazonaws.com"]}]
    conditions = {c["variable"]: c["values"] for c in assume["condition"]}
    assert conditions == {
        "aws:SourceAccount": ["${local.account_id}"],
        "aws:SourceArn": [SCHEDULES],
    }
    assert statements("erasure_scheduler") == {
        "InvokeTheFunction": {
            "sid": "InvokeTheFunction",
            "actions": ["lambda:InvokeFunction"],
            "resources": ["${local.function_arn}"],
        }
    }
    policy = module.resource("aws_iam_role_policy", "erasure_scheduler")
    assert policy["role"] == "${aws_iam_role.erasure_scheduler.id}"
    assert policy["policy"] == "${data.aws_iam_policy_document.erasure_scheduler.json}"


def test_the_function_may_only_manage_its_schedules_and_pass_that_role():
    module = load_module()
    granted = statements("lambda_erasure")
    assert set(granted) == {"PurgeSchedules", "PassTheSchedulerRole"}
    assert granted["PurgeSchedules"]["actions"] == [
        "scheduler:CreateSchedule",
        "scheduler:DeleteSchedule",
    ]
    assert granted["PurgeSchedules"]["resources"] == [SCHEDULES]
    assert granted["PassTheSchedulerRole"]["actions"] == ["iam:PassRole"]
    assert granted["PassTheSchedulerRole"]["resources"] == ["${aws_iam_role.erasure_scheduler.arn}"]
    (passed_to,) = granted["PassTheSchedulerRole"]["condition"]
    assert passed_to == {
        "test": "StringEquals",
        "variable": "iam:PassedToService",
        "values": ["scheduler.amazonaws.com"],
    }
    policy = module.resource("aws_iam_role_policy", "lambda_erasure")
    assert policy["role"] == "${aws_iam_role.lambda.id}"
    assert policy["policy"] == "${data.aws_iam_policy_document.lambda_erasure.json}"


def test_the_function_is_told_where_to_schedule():
    environment = load_module().resource("aws_lambda_function", "api")["environment"][0]
    variables = environment["variables"]
    assert variables["PURGE_SCHEDULE_GROUP"] == "${aws_scheduler_schedule_group.erasure.name}"
    assert variables["PURGE_SCHEDULER_ROLE_ARN"] == "${aws_iam_role.erasure_scheduler.arn}"
    assert variables["PURGE_FUNCTION_ARN"] == "${local.function_arn}"


def test_the_pass_waits_for_the_access_tokens_lifetime():
    client = load_module().resource("aws_cognito_user_pool_client", "app")
    assert client["token_validity_units"][0]["access_token"] == "minutes"
    assert client["access_token_validity"] * 60 == ACCESS_TOKEN_LIFETIME.total_seconds()
