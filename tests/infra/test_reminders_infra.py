"""The reminders pass and push in Terraform (terraform/reminders.tf): a schedule per shard
every 15 minutes, in a schedule group of its own, invoking the function with the task the
app registers through the bootstrap's reminders scheduler role (found by name); the push
permissions the bootstrap gives the function cover every SNS call the app makes, and take
the same kind of platform application ARNs as the main configuration. How narrowly the
bootstrap scopes them is test_policies.py's."""

from __future__ import annotations

import json
import re

import pytest

from lifestyle_api.db.keys import STATUS_SHARDS
from lifestyle_api.scheduled import TASKS
from tests.support.infra import REPO_ROOT, TERRAFORM_DIR, load_module, parse_hcl_file

BOOTSTRAP = TERRAFORM_DIR / "bootstrap"

# The `live` alias, as the API invokes it: a rollback of the alias covers the passes too.
LIVE_ALIAS_ARN = "${aws_lambda_alias.live[0].arn}"
SNS_CALL = re.compile(r"self\._sns\.([a-z_]+)\(")


@pytest.fixture(scope="module")
def module():
    return load_module()


@pytest.fixture(scope="module")
def bootstrap():
    return load_module(BOOTSTRAP)


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

    assert target["arn"] == LIVE_ALIAS_ARN
    assert target["role_arn"] == "${data.aws_iam_role.reminders_scheduler.arn}"
    assert target["input"] == (
        '${jsonencode({task = "run-reminders", at = "<aws.scheduler.scheduled-time>", '
        "shards = [tonumber(each.key)]})}"
    )
    assert TASKS["run-reminders"] == "lifestyle_api.reminders.service:run_reminders_task"
    (retry,) = target["retry_policy"]
    assert retry["maximum_event_age_in_seconds"] <= 900, "no older than the next pass"


def test_the_schedules_have_a_group_of_their_own_that_the_roles_trust_names(module, bootstrap):
    group = module.resource("aws_scheduler_schedule_group", "reminders")
    (assume,) = bootstrap.data["aws_iam_policy_document"]["reminders_scheduler_assume"]["statement"]
    source_arn = {c["variable"]: c["values"] for c in assume["condition"]}["aws:SourceArn"]

    assert schedule(module)["group_name"] == "${aws_scheduler_schedule_group.reminders.name}"
    assert group["name"] == "${local.name}-reminders"
    assert module.locals["name"] == "${var.project}-${var.environment}"
    assert source_arn == [
        "${local.arn_prefix.scheduler}:schedule-group/${var.project}-${each.key}-reminders"
    ]


def test_the_role_is_the_bootstraps_and_the_old_iam_is_kept_not_deleted(module, bootstrap):
    removed = parse_hcl_file(TERRAFORM_DIR / "reminders.tf")["removed"]

    assert module.data["aws_iam_role"]["reminders_scheduler"]["name"] == (
        "${local.name}-reminders-scheduler"
    )
    assert bootstrap.resource("aws_iam_role", "reminders_scheduler")["name"] == (
        "${var.project}-${each.key}-reminders-scheduler"
    )
    assert {block["from"] for block in removed} == {
        "${aws_iam_role.reminders_scheduler}",
        "${aws_iam_role_policy.reminders_scheduler}",
        "${aws_iam_role_policy.lambda_push}",
    }
    assert all(block["lifecycle"] == [{"destroy": False}] for block in removed)
    assert not module.resources_of("aws_iam_role_policy")


def test_the_function_may_push_only_to_the_configured_applications_endpoints(bootstrap):
    statements = {
        s["sid"]: s for s in bootstrap.data["aws_iam_policy_document"]["lambda_push"]["statement"]
    }
    policy = bootstrap.resource("aws_iam_role_policy", "lambda_push")

    assert statements["CreateDeviceEndpoints"] == {
        "sid": "CreateDeviceEndpoints",
        "actions": ["sns:CreatePlatformEndpoint"],
        "resources": "${var.push_platform_application_arns[each.key]}",
    }
    assert statements["PushToDeviceEndpoints"]["resources"] == "${local.push_endpoints[each.key]}"
    assert policy["role"] == "${aws_iam_role.lambda[each.key].id}"
    assert policy["for_each"] == "${var.push_platform_application_arns}"
    assert all("*" not in action for s in statements.values() for action in s["actions"])


def test_every_sns_call_the_app_makes_is_granted(bootstrap):
    source = (REPO_ROOT / "lifestyle_api" / "notifications" / "push.py").read_text()
    calls = set(SNS_CALL.findall(source))
    granted = {
        action
        for statement in bootstrap.data["aws_iam_policy_document"]["lambda_push"]["statement"]
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


def test_the_bootstrap_takes_the_platform_applications_the_main_configuration_takes(
    module, bootstrap
):
    pushes = condition_pattern(bootstrap, "push_platform_application_arns")
    ios = condition_pattern(module, "sns_ios_platform_application_arn")
    android = condition_pattern(module, "sns_android_platform_application_arn")
    samples = [
        "arn:aws:sns:us-east-1:123456789012:app/APNS/lifestyle",
        "arn:aws:sns:eu-west-1:123456789012:app/APNS_SANDBOX/lifestyle-dev",
        "arn:aws:sns:us-east-1:123456789012:app/GCM/lifestyle",
        "arn:aws:sns:us-east-1:123456789012:lifestyle-topic",
        "arn:aws:sns:us-east-1:123456789012:app/*",
        "*",
    ]
    (_, one_environment_each) = bootstrap.variables["push_platform_application_arns"]["validation"]

    for arn in samples:
        assert bool(pushes.search(arn)) == bool(ios.search(arn) or android.search(arn)), arn
    assert (
        "distinct(flatten(values(var.push_platform_application_arns)))"
        in (one_environment_each["condition"])
    )


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
    assert config["qualifier"] == "${aws_lambda_alias.live[0].name}"  # what the schedules invoke
    assert config["maximum_event_age_in_seconds"] <= 900
    assert config["maximum_retry_attempts"] <= 1
