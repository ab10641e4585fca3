"""Every Terraform file parses, and the configuration is laid out as the pipeline uses it:
one tfvars file and one partial S3 backend configuration per environment."""

from __future__ import annotations

import pytest

from tests.support.infra import (
    TERRAFORM_DIR,
    hcl_files,
    load_module,
    load_tfvars,
    parse_hcl,
)

ENVIRONMENTS = ("dev", "prod")
EXPECTED_FILES = {
    "versions.tf",
    "providers.tf",
    "variables.tf",
    "dynamodb.tf",
    "cognito.tf",
    "ecr.tf",
    "lambda.tf",
    "api.tf",
    "routes.tf",
    "reminders.tf",
    "alarms.tf",
    "outputs.tf",
    "erasure.tf",
}


@pytest.mark.parametrize("path", hcl_files(), ids=lambda p: str(p.relative_to(TERRAFORM_DIR)))
def test_every_terraform_file_parses(path):
    parsed = parse_hcl(path.read_text())

    assert parsed, f"{path.name} declares nothing"


def test_the_configuration_is_split_by_concern():
    assert {p.name for p in TERRAFORM_DIR.glob("*.tf")} == EXPECTED_FILES
    # IAM belongs to the bootstrap, which an administrator applies (test_policies.py).
    assert {p.name for p in (TERRAFORM_DIR / "bootstrap").glob("*.tf")} == {
        "versions.tf",
        "variables.tf",
        "state.tf",
        "deploy_role.tf",
        "lambda_role.tf",
        "scheduler_roles.tf",
        "outputs.tf",
    }


def test_resources_are_plain_aws_resources_without_modules():
    for path in TERRAFORM_DIR.rglob("*.tf"):
        assert "module" not in parse_hcl(path.read_text()), path.name
    for directory in (TERRAFORM_DIR, TERRAFORM_DIR / "bootstrap"):
        types = set(load_module(directory).resources)
        assert types, directory.name
        assert all(t.startswith(("aws_", "random_")) for t in types), types


def test_the_state_backend_is_s3_configured_per_environment():
    versions = parse_hcl((TERRAFORM_DIR / "versions.tf").read_text())
    backend = versions["terraform"][0]["backend"]
    assert backend == [{"s3": {}}], "the backend is partial: each environment supplies its own"

    buckets = set()
    for env in ENVIRONMENTS:
        config = load_tfvars(TERRAFORM_DIR / "environments" / f"{env}.s3.tfbackend")
        assert set(config) == {"bucket", "key", "region", "encrypt", "use_lockfile"}
        assert config["encrypt"] is True
        assert config["use_lockfile"] is True
        assert env in config["bucket"]
        assert env in config["key"]
        buckets.add((config["bucket"], config["key"]))
    assert len(buckets) == len(ENVIRONMENTS), "environments must not share a state"


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_each_environment_sets_only_declared_variables(env):
    module = load_module()
    values = load_tfvars(TERRAFORM_DIR / "environments" / f"{env}.tfvars")

    assert values["environment"] == env
    assert set(values) <= set(module.variables), set(values) - set(module.variables)
    # The pipeline decides these per phase, and they have no default to fall back on.
    assert "deploy_lambda" not in values
    assert "image_uri" not in values
    assert "default" not in module.variables["deploy_lambda"]
    assert "default" not in module.variables["image_uri"]


def test_every_variable_is_described_and_typed():
    for name, variable in load_module().variables.items():
        assert variable.get("description"), name
        assert variable.get("type"), name


def test_the_environment_variable_accepts_only_dev_and_prod():
    validation = load_module().variables["environment"]["validation"][0]

    assert validation["condition"] == '${contains(["dev", "prod"], var.environment)}'


def test_the_outputs_name_what_clients_and_the_pipeline_need():
    outputs = load_module().outputs

    assert {
        "api_url",
        "user_pool_id",
        "user_pool_client_id",
        "table_name",
        "ecr_repository_url",
        "image_platform",
        "lambda_image_uri",
    } <= set(outputs)
    assert outputs["api_url"]["value"] == "${aws_apigatewayv2_stage.default.invoke_url}"
    assert outputs["user_pool_id"]["value"] == "${aws_cognito_user_pool.main.id}"
    assert outputs["user_pool_client_id"]["value"] == "${aws_cognito_user_pool_client.app.id}"
    assert outputs["table_name"]["value"] == "${aws_dynamodb_table.main.name}"
    assert outputs["ecr_repository_url"]["value"] == "${aws_ecr_repository.app.repository_url}"
