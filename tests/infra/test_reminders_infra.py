"""The reminders pass and push in Terraform (terraform/reminders.tf): a schedule per shard
every 15 minutes invoking the function with the task the app registers, a scheduler role
that may invoke that function and nothing else, and push permissions limited to the
endpoints of the configured SNS platform applications, covering every SNS call the app
makes."""

from __future__ import annotations

import json
import re

import pytest

from lifestyle_api.db.keys import STATUS_SHARDS
from lifestyle_api.scheduled import TASKS
from tests.support.infra import REPO_ROOT, load_module

FUNCTION_ARN = "${aws_lambda_function.api[0].arn}"
SNS_CALL = re.compile(r"self\._sns\.([a-z_]+)\(")


@pytest.fixture(scope="module")
def module():
    return load_module()


def schedule(module) -> dict:
    return module.resource("aws_scheduler_schedule", "reminders")


def test_one_schedule_per_shard_every_quarter_hour_and_only_with_the_function(module):
    assert schedule(module)["for_each"] == "${local.reminder_shards}"
    shards = f"range({STATUS_SHARDS})"
    assert module.locals["reminder_shards"] == (
        "${var.deploy_lambda ? toset([for shard in " + shards + " : tostring(shard)]) : toset([])}"
    )
    assert schedule(module)["schedule_expression"] == "cron(0/15 * * * ? *)"
    assert schedule(module)["schedule_expression_timezone"] == "UTC"
    assert schedule(module)["flexible_time_window"] == [{"mode": "OFF"}]


def test_the_schedule_runs_the_apps_reminders_task_for_its_scheduled_time_and_shard(module):
    (target,) = schedule(module)["target"]

    assert target["arn"] == FUNCTION_ARN
    assert target["role_arn"] == "${aws_iam_role.reminders_scheduler[0].arn}"
    assert target["input"] == (
        '${jsonencode({task = "run-reminders", at = "<aws.scheduler.scheduled-time>", '
        "shards = [tonumber(each.key)]})}"
    )
    assert TASKS["run-reminders"] == "lifestyle_api.reminders.service:run_reminders_task"
    (retry,) = target["retry_policy"]
    assert retry["maximum_event_age_in_seconds"] <= 900, "no older than the next pass"


def test_the_scheduler_role_may_invoke_the_function_and_nothing_else(module):
    trust = module.data["aws_iam_policy_document"]["reminders_scheduler_assume"]["statement"]
    policy = module.data["aws_iam_policy_document"]["reminders_scheduler"]
    role_policies = {
        name: body
        for name, body in module.resources_of("aws_iam_role_policy").items()
        if body["role"].startswith("${aws_iam_role.reminders_scheduler")
    }

    assert trust == [
        {
            "actions": ["sts:AssumeRole"],
            "principals": [{"type": "Service", "identifiers": ["scheduler.amazonaws.com"]}],
            "condition": [
                {
                    "test": "StringEquals",
                    "variable": "aws:SourceAccount",
                    "values": ["${local.account_id}"],
                }
            ],
        }
    ]
    assert policy["statement"] == [
        {
            "sid": "InvokeTheFunction",
            "actions": ["lambda:InvokeFunction"],
            "resources": [FUNCTION_ARN],
        }
    ]
    assert list(role_policies) == ["reminders_scheduler"]
    assert role_policies["reminders_scheduler"]["policy"] == (
        "${data.aws_iam_policy_document.reminders_scheduler[0].json}"
    )


def test_the_function_may_push_only_to_the_configured_applications_endpoints(module):
    statements = {
        s["sid"]: s for s in module.data["aws_iam_policy_document"]["lambda_push"]["statement"]
    }
    policy = module.resource("aws_iam_role_policy", "lambda_push")

    assert statements["CreateDeviceEndpoints"] == {
        "sid": "CreateDeviceEndpoints",
        "actions": ["sns:CreatePlatformEndpoint"],
        "resources": "${local.push_applications}",
    }
    assert statements["PushToDeviceEndpoints"]["resources"] == "${local.push_endpoints}"
    assert module.locals["push_endpoints"] == (
        '${[for arn in local.push_applications : "${replace(arn, ":app/", ":endpoint/")}/*"]}'
    )
    assert policy["role"] == "${aws_iam_role.lambda.id}"
    assert policy["count"] == "${length(local.push_applications) > 0 ? 1 : 0}"
    assert all("*" not in action for s in statements.values() for action in s["actions"])


def test_every_sns_call_the_app_makes_is_granted(module):
    source = (REPO_ROOT / "lifestyle_api" / "notifications" / "push.py").read_text()
    calls = set(SNS_CALL.findall(source))
    granted = {
        action
        for statement in module.data["aws_iam_policy_document"]["lambda_push"]["statement"]
        for action in statement["actions"]
    }

    assert calls == {
        "create_platform_endpoint",
        "publish",
        "delete_endpoint",
        "get_endpoint_attributes",
    }
    needed = {"sns:" + "".join(part.title() for part in call.split("_")) for call in calls}
    assert needed == granted


def condition_pattern(module, variable: str) -> re.Pattern:
    condition = module.variables[variable]["validation"][0]["condition"]
    return re.compile(json.loads(re.search(r'regex\(("(?:[^"\\]|\\.)*")', condition).group(1)))


@pytest.mark.parametrize(
    ("variable", "good", "bad"),
    [
        (
            "sns_ios_platform_application_arn",
            [
                "",
                "arn:aws:sns:us-east-1:123456789012:app/APNS/lifestyle",
                "arn:aws:sns:eu-west-1:123456789012:app/APNS_SANDBOX/lifestyle-dev",
            ],
            [
                "arn:aws:sns:us-east-1:123456789012:app/GCM/lifestyle",
                "arn:aws:sns:us-east-1:123456789012:lifestyle-topic",
                "*",
            ],
        ),
        (
            "sns_android_platform_application_arn",
            ["", "arn:aws:sns:us-east-1:123456789012:app/GCM/lifestyle"],
            ["arn:aws:sns:us-east-1:123456789012:app/APNS/lifestyle", "arn:aws:sns:*"],
        ),
    ],
)
def test_platform_applications_are_variables_that_take_only_their_kind_of_arn(
    module, variable, good, bad
):
    pattern = condition_pattern(module, variable)

    assert module.variables[variable]["default"] == ""
    assert all(pattern.search(arn) for arn in good)
    assert not any(pattern.search(arn) for arn in bad)


def test_the_function_reads_the_platform_applications_from_the_variables(module):
    environment = module.resource("aws_lambda_function", "api")["environment"][0]["variables"]

    assert environment["SNS_IOS_PLATFORM_APPLICATION_ARN"] == (
        "${var.sns_ios_platform_application_arn}"
    )
    assert environment["SNS_ANDROID_PLATFORM_APPLICATION_ARN"] == (
        "${var.sns_android_platform_application_arn}"
    )


def test_lambdas_own_retries_of_the_scheduled_invocations_are_bounded(module):
    config = module.resource("aws_lambda_function_event_invoke_config", "reminders")

    assert config["count"] == "${local.lambda_count}"
    assert config["maximum_event_age_in_seconds"] <= 900
    assert config["maximum_retry_attempts"] <= 1
