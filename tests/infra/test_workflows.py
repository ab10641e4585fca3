"""The workflows do what the issue asks: CI on every push and pull request runs lint and the
test command (which holds the infrastructure checks); Deploy runs three phases in order,
pull requests to dev and main to prod, through OIDC only, one deploy per environment at a
time, with every action pinned to a commit."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.support.infra import WORKFLOWS_DIR

PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
ENVIRONMENT = "${{ github.event_name == 'push' && 'prod' || 'dev' }}"


def _load(name: str) -> dict:
    # YAML 1.1 reads the key `on` as True; GitHub reads it as "on".
    workflow = yaml.safe_load((WORKFLOWS_DIR / name).read_text())
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def _steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def _runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in _steps(job))


@pytest.fixture(scope="module")
def ci() -> dict:
    return _load("ci.yml")


@pytest.fixture(scope="module")
def deploy() -> dict:
    return _load("deploy.yml")


def test_ci_runs_on_every_push_and_pull_request(ci):
    assert ci["on"]["push"] is None, "every branch"
    assert "pull_request" in ci["on"]
    assert "workflow_call" in ci["on"], "deploy.yml runs it before deploying"


def test_ci_lints_and_runs_the_test_command(ci):
    runs = _runs(ci["jobs"]["test"]).splitlines()

    assert "make lint" in runs
    assert "make test" in runs


def test_ci_validates_the_terraform_it_cannot_check_offline(ci):
    runs = _runs(ci["jobs"]["terraform"])

    assert "terraform fmt -check -recursive" in runs
    assert "terraform init -backend=false" in runs
    assert "terraform validate" in runs
    assert ci["jobs"]["terraform"]["strategy"]["matrix"]["directory"] == [
        "terraform",
        "terraform/bootstrap",
    ]


def test_deploy_runs_on_pull_requests_and_pushes_to_main(deploy):
    assert "pull_request" in deploy["on"]
    assert deploy["on"]["push"]["branches"] == ["main"]
    assert deploy["env"]["DEPLOY_ENV"] == ENVIRONMENT


def test_deploy_phases_run_in_order_after_ci(deploy):
    jobs = deploy["jobs"]

    assert jobs["checks"]["uses"] == "./.github/workflows/ci.yml"
    assert jobs["infrastructure"]["needs"] == "checks"
    assert jobs["image"]["needs"] == "infrastructure"
    assert jobs["function"]["needs"] == "image"


def test_phase_one_applies_without_the_function_unless_one_is_running(deploy):
    runs = _runs(deploy["jobs"]["infrastructure"])

    assert "terraform output -raw lambda_image_uri" in runs
    assert "-var deploy_lambda=false" in runs
    assert '-var deploy_lambda=true -var "image_uri=${running_image}"' in runs
    assert 'terraform init -backend-config="environments/${DEPLOY_ENV}.s3.tfbackend"' in runs
    assert '-var-file="environments/${DEPLOY_ENV}.tfvars"' in runs


def test_phase_two_pushes_the_image_tagged_with_the_commit_sha(deploy):
    job = deploy["jobs"]["image"]
    (push,) = [step for step in _steps(job) if step.get("id") == "push"]

    assert push["env"]["TAG"] == "${{ github.sha }}"
    assert push["env"]["REPOSITORY_URL"] == (
        "${{ needs.infrastructure.outputs.ecr_repository_url }}"
    )
    assert "docker buildx build" in push["run"]
    assert '--tag "${image_uri}" --push' in push["run"]
    assert "--provenance=false" in push["run"], "Lambda refuses image indexes"


def test_phase_three_applies_the_function_with_that_image(deploy):
    job = deploy["jobs"]["function"]
    (apply,) = [step for step in _steps(job) if "terraform apply" in step.get("run", "")]

    assert apply["env"]["IMAGE_URI"] == "${{ needs.image.outputs.image_uri }}"
    assert '-var deploy_lambda=true -var "image_uri=${IMAGE_URI}"' in apply["run"]


def test_every_deploy_job_uses_oidc_in_its_environment_and_no_keys(deploy):
    assert deploy["permissions"] == {}
    for name in ("infrastructure", "image", "function"):
        job = deploy["jobs"][name]
        assert job["permissions"] == {"contents": "read", "id-token": "write"}, name
        assert job["environment"] == ENVIRONMENT, name
        (credentials,) = [
            step
            for step in _steps(job)
            if step.get("uses", "").startswith("aws-actions/configure-aws-credentials@")
        ]
        assert credentials["with"]["role-to-assume"] == "${{ vars.AWS_DEPLOY_ROLE_ARN }}", name
        assert "aws-access-key-id" not in credentials["with"], name
    text = (WORKFLOWS_DIR / "deploy.yml").read_text()
    assert "secrets." not in text


def test_deploys_of_one_environment_never_overlap(deploy):
    assert deploy["concurrency"] == {
        "group": "deploy-${{ github.event_name == 'push' && 'prod' || 'dev' }}",
        "cancel-in-progress": False,
    }


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml"])
def test_every_action_is_pinned_to_a_commit(name):
    workflow = _load(name)
    uses = [
        step["uses"] for job in workflow["jobs"].values() for step in _steps(job) if "uses" in step
    ]

    assert uses
    for action in uses:
        assert PINNED.match(action), f"{action} is not pinned to a commit SHA"


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml"])
def test_checkouts_do_not_keep_credentials(name):
    workflow = _load(name)
    for job in workflow["jobs"].values():
        for step in _steps(job):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
