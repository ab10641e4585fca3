"""The second pass of account deletions in Terraform: a schedule group the function creates
one-off schedules in (terraform/erasure.tf), the role the scheduler invokes the function
with and the function's permission to use that group, both owned by the bootstrap
(terraform/bootstrap/scheduler_roles.tf, lambda_role.tf) and found by name; the settings
that name them; the token lifetime the pass waits for. How narrowly the bootstrap scopes
them is test_policies.py's."""

from __future__ import annotations

import re

from lifestyle_api.accounts.deletion import ACCESS_TOKEN_LIFETIME
from tests.support.infra import REPO_ROOT, TERRAFORM_DIR, load_module, parse_hcl_file

BOOTSTRAP = TERRAFORM_DIR / "bootstrap"
# The scheduler client is made by _client(...) at each call.
SCHEDULER_CALL = re.compile(r"_client\([^()]*\)\.([a-z_]+)\(")


def statements(name: str) -> dict[str, dict]:
    document = load_module(BOOTSTRAP).data["aws_iam_policy_document"][name]
    return {statement["sid"]: statement for statement in document["statement"]}


def test_the_schedule_group_is_the_functions_own():
    module = load_module()
    group = module.resource("aws_scheduler_schedule_group", "erasure")
    assert group["name"] == "${local.erasure_schedule_group}"
    assert module.locals["erasure_schedule_group"] == "${local.name}-erasure"


def test_the_function_arn_is_the_functions():
    module = load_module()
    assert module.locals["function_arn"].endswith(":function:${local.name}")
    assert module.resource("aws_lambda_function", "api")["function_name"] == "${local.name}"


def test_the_bootstrap_scopes_the_role_and_the_function_to_this_group():
    (assume,) = load_module(BOOTSTRAP).data["aws_iam_policy_document"]["erasure_scheduler_assume"][
        "statement"
    ]
    source_arn = {c["variable"]: c["values"] for c in assume["condition"]}["aws:SourceArn"]
    group = "${var.project}-${each.key}-erasure"

    assert source_arn == ["${local.arn_prefix.scheduler}:schedule-group/" + group]
    assert statements("lambda_erasure")["PurgeSchedules"]["resources"] == [
        "${local.arn_prefix.scheduler}:schedule/" + group + "/*"
    ]
    # The main configuration's group, with its local.name spelt out.
    assert load_module().locals["name"] == "${var.project}-${var.environment}"


def test_every_scheduler_call_the_app_makes_is_granted():
    source = (REPO_ROOT / "lifestyle_api" / "accounts" / "purge_schedule.py").read_text()
    calls = set(SCHEDULER_CALL.findall(source))
    granted = statements("lambda_erasure")["PurgeSchedules"]["actions"]

    assert calls == {"create_schedule", "delete_schedule"}
    assert sorted(granted) == sorted(
        "scheduler:" + "".join(part.title() for part in call.split("_")) for call in calls
    )
    assert statements("lambda_erasure")["PassTheSchedulerRole"]["resources"] == [
        "${aws_iam_role.erasure_scheduler[each.key].arn}"
    ], "a schedule names its role: CreateSchedule needs iam:PassRole of it"


def test_the_roles_are_the_bootstraps_and_the_old_ones_are_kept_not_deleted():
    removed = parse_hcl_file(TERRAFORM_DIR / "erasure.tf")["removed"]

    assert load_module().data["aws_iam_role"]["erasure_scheduler"]["name"] == (
        "${local.name}-erasure-scheduler"
    )
    assert {block["from"] for block in removed} == {
        "${aws_iam_role.erasure_scheduler}",
        "${aws_iam_role_policy.erasure_scheduler}",
        "${aws_iam_role_policy.lambda_erasure}",
    }
    assert all(block["lifecycle"] == [{"destroy": False}] for block in removed)


def test_the_function_is_told_where_to_schedule():
    environment = load_module().resource("aws_lambda_function", "api")["environment"][0]
    variables = environment["variables"]
    assert variables["PURGE_SCHEDULE_GROUP"] == "${aws_scheduler_schedule_group.erasure.name}"
    assert variables["PURGE_SCHEDULER_ROLE_ARN"] == "${data.aws_iam_role.erasure_scheduler.arn}"
    # The `live` alias, as the API invokes it: a rollback of the alias covers the pass too.
    assert variables["PURGE_FUNCTION_ARN"] == "${local.function_arn}:live"


def test_the_pass_waits_for_the_access_tokens_lifetime():
    client = load_module().resource("aws_cognito_user_pool_client", "app")
    assert client["token_validity_units"][0]["access_token"] == "minutes"
    assert client["access_token_validity"] * 60 == ACCESS_TOKEN_LIFETIME.total_seconds()
