"""The workflows do what the issues ask: CI on every push and pull request runs lint and the
test command (which holds the infrastructure checks); Deploy runs its phases in order (the
infrastructure, then the image and the migrations, then the function), pull requests to dev
and main to prod, through OIDC only, one deploy per environment at a time, with every action
pinned to a commit. Deploy decides phase 1 from a lookup that fails on anything but "not
found", applies only saved plans that it shows and keeps, deploys the image by digest,
migrates before the function and smoke-tests the release, moving the alias back on failure.
The release checks are shown to catch a broken copy of the workflow."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.support.infra import WORKFLOWS_DIR, load_module

PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
ENVIRONMENT = "${{ github.event_name == 'push' && 'prod' || 'dev' }}"


def _load(name: str) -> dict:
    return _parse((WORKFLOWS_DIR / name).read_text())


def _parse(text: str) -> dict:
    # YAML 1.1 reads the key `on` as True; GitHub reads it as "on".
    workflow = yaml.safe_load(text)
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
    assert jobs["migrations"]["needs"] == "infrastructure"
    assert sorted(jobs["function"]["needs"]) == ["image", "migrations"]


def test_resource_names_in_the_workflow_are_terraforms():
    workflow = _load("deploy.yml")

    assert workflow["env"]["PROJECT"] == load_module().variables["project"]["default"]
    assert "${PROJECT}-${DEPLOY_ENV}" in _runs(workflow["jobs"]["infrastructure"])


def test_phase_two_pushes_the_image_tagged_with_the_commit_sha(deploy):
    job = deploy["jobs"]["image"]
    (push,) = [step for step in _steps(job) if step.get("id") == "push"]

    assert push["env"]["TAG"] == "${{ github.sha }}"
    assert push["env"]["REPOSITORY_URL"] == (
        "${{ needs.infrastructure.outputs.ecr_repository_url }}"
    )
    assert "docker buildx build" in push["run"]
    assert '--tag "${REPOSITORY_URL}:${TAG}" --push' in push["run"]
    assert "--provenance=false" in push["run"], "Lambda refuses image indexes"


def test_the_environments_settings_reach_terraform_from_github_variables(deploy):
    for name in ("infrastructure", "function"):
        env = deploy["jobs"][name]["env"]
        assert env["TF_VAR_alarm_emails"] == "${{ vars.ALARM_EMAILS || '[]' }}", name
        assert env["TF_VAR_ses_identity_arn"] == "${{ vars.SES_IDENTITY_ARN }}", name
        assert env["TF_VAR_aws_account_id"] == "${{ vars.AWS_ACCOUNT_ID }}", name
        variables = load_module().variables
        for key in env:
            assert key.removeprefix("TF_VAR_") in variables, key


# ---- the release checks, each shown to catch a broken copy --------------------------------


def _job_steps(workflow: dict, job: str) -> list[dict]:
    return _steps(workflow["jobs"].get(job, {}))


def _index(steps: list[dict], predicate) -> int:
    return next((i for i, step in enumerate(steps) if predicate(step)), -1)


def phase_one_problems(workflow: dict) -> list[str]:
    """Phase 1 decides from a lookup that tells "not found" from other errors."""
    problems = []
    steps = _job_steps(workflow, "infrastructure")
    runs = "\n".join(step.get("run", "") for step in steps)
    if "live-release.sh" not in runs:
        problems.append("phase 1 does not ask Lambda what the function serves")
    if "|| true" in runs or "2>/dev/null" in runs:
        problems.append("phase 1 swallows errors")
    if "terraform output -raw lambda_image_uri" in runs:
        problems.append("phase 1 reads the running image from Terraform's output")
    plan = next((s for s in steps if "terraform plan" in s.get("run", "")), {})
    if plan.get("env", {}).get("FUNCTION_EXISTS") != "${{ steps.live.outputs.exists }}":
        problems.append("phase 1's plan does not follow the lookup")
    for expected in (
        'true) lambda_vars=(-var deploy_lambda=true -var "image_uri=${RUNNING_IMAGE}")',
        'false) lambda_vars=(-var deploy_lambda=false -var "image_uri=")',
        "*) echo",
    ):
        if expected not in plan.get("run", ""):
            problems.append(f"phase 1's plan lacks the case {expected.split(')')[0]}")
    return problems


def saved_plan_problems(workflow: dict) -> list[str]:
    """Each Terraform job plans to a file, shows it, keeps it and applies exactly that file."""
    problems = []
    text = yaml.safe_dump(workflow)
    if "-auto-approve" in text:
        problems.append("an apply without a saved plan (-auto-approve)")
    for job in ("infrastructure", "function"):
        steps = _job_steps(workflow, job)
        plan = _index(steps, lambda s: "terraform plan -out=tfplan" in s.get("run", ""))
        show = _index(steps, lambda s: "terraform show -no-color tfplan" in s.get("run", ""))
        keep = _index(
            steps,
            lambda s: (
                s.get("uses", "").startswith("actions/upload-artifact@")
                and s.get("with", {}).get("path") == "terraform/plan.txt"
            ),
        )
        apply = _index(steps, lambda s: s.get("run", "").strip() == "terraform apply tfplan")
        if min(plan, show, keep, apply) < 0 or not plan < show < keep < apply:
            problems.append(f"{job}: not plan -out, show, upload, then apply of that plan")
        if show >= 0 and "GITHUB_STEP_SUMMARY" not in steps[show]["run"]:
            problems.append(f"{job}: the plan is not shown in the run's summary")
        applies = [s for s in steps if "terraform apply" in s.get("run", "")]
        if len(applies) != 1:
            problems.append(f"{job}: {len(applies)} applies")
    return problems


def digest_problems(workflow: dict) -> list[str]:
    """The function is deployed by the digest ECR reports, never by tag."""
    problems = []
    push = next((s for s in _job_steps(workflow, "image") if s.get("id") == "push"), {})
    run = push.get("run", "")
    if "image-digest.sh" not in run:
        problems.append("the digest is not read from ECR")
    if 'echo "image_uri=${REPOSITORY_URL}@${digest}"' not in run:
        problems.append("the image is not handed on by digest")
    if re.search(r"image_uri=\$\{REPOSITORY_URL\}:", run):
        problems.append("the image is handed on by tag")
    steps = _job_steps(workflow, "function")
    plan = next((s for s in steps if "terraform plan" in s.get("run", "")), {})
    if plan.get("env", {}).get("IMAGE_URI") != "${{ needs.image.outputs.image_uri }}":
        problems.append("phase 3 does not deploy phase 2's image")
    if '-var deploy_lambda=true -var "image_uri=${IMAGE_URI}"' not in plan.get("run", ""):
        problems.append("phase 3 does not pass the image to Terraform")
    return problems


def rollback_problems(workflow: dict) -> list[str]:
    """The release is smoke-tested after the apply; a failure moves the alias back to the
    version found before the apply (the script's behaviour: test_deploy_scripts.py)."""
    problems = []
    steps = _job_steps(workflow, "function")
    previous = _index(steps, lambda s: s.get("id") == "previous")
    apply = _index(steps, lambda s: s.get("id") == "apply")
    smoke = _index(steps, lambda s: "smoke-test.sh" in s.get("run", ""))
    if previous < 0 or "live-release.sh" not in steps[previous].get("run", ""):
        problems.append("the previous version is not read before the release")
    if smoke < 0:
        return [*problems, "no smoke test"]
    if not previous < apply < smoke:
        problems.append("the smoke test does not follow the apply")
    step = steps[smoke]
    if step.get("env", {}).get("PREVIOUS_VERSION") != "${{ steps.previous.outputs.version }}":
        problems.append("the smoke test does not know the version to go back to")
    if step.get("if") != "${{ !cancelled() && steps.apply.outcome != 'skipped' }}":
        problems.append("the smoke test does not run whenever the apply started")
    if "continue-on-error" in step:
        problems.append("a failed smoke test does not fail the job")
    for secret in ("SMOKE_TEST_EMAIL", "SMOKE_TEST_PASSWORD"):
        if step.get("env", {}).get(secret) != f"${{{{ secrets.{secret} }}}}":
            problems.append(f"the smoke-test user's {secret} is not passed")
    return problems


def migration_problems(workflow: dict) -> list[str]:
    """Migrations run between the infrastructure and the function, and must leave nothing
    pending."""
    problems = []
    jobs = workflow["jobs"]
    if jobs.get("migrations", {}).get("needs") != "infrastructure":
        problems.append("migrations do not follow the infrastructure")
    if "migrations" not in jobs.get("function", {}).get("needs", []):
        problems.append("the function does not wait for the migrations")
    steps = _job_steps(workflow, "migrations")
    migrate = _index(
        steps, lambda s: s.get("run", "").startswith("python -m migrations_scripts migrate ")
    )
    status = _index(steps, lambda s: "python -m migrations_scripts status" in s.get("run", ""))
    if migrate < 0 or status < 0 or not migrate < status:
        problems.append("not migrate, then status")
    elif "migrations-applied.sh < status.txt" not in steps[status]["run"]:
        problems.append("the status is not checked for pending migrations")
    if migrate >= 0 and "--dry-run" in steps[migrate]["run"]:
        problems.append("the migration is a dry run")
    return problems


CHECKS = {
    "phase one": phase_one_problems,
    "saved plan": saved_plan_problems,
    "digest": digest_problems,
    "rollback": rollback_problems,
    "migrate": migration_problems,
}


@pytest.mark.parametrize("check", list(CHECKS))
def test_the_deploy_workflow_passes_the_release_checks(deploy, check):
    assert CHECKS[check](deploy) == []


def _broken(text_edits: list[tuple[str, str]] = (), edit=None) -> dict:
    text = (WORKFLOWS_DIR / "deploy.yml").read_text()
    for old, new in text_edits:
        assert old in text, f"{old!r} is no longer in deploy.yml: update the broken copy"
        text = text.replace(old, new)
    workflow = _parse(text)
    if edit:
        edit(workflow)
    return workflow


def _drop_step(job: str, predicate):
    def edit(workflow):
        steps = workflow["jobs"][job]["steps"]
        workflow["jobs"][job]["steps"] = [s for s in steps if not predicate(s)]

    return edit


def _lookup_swallowing_errors(workflow):
    (step,) = [s for s in workflow["jobs"]["infrastructure"]["steps"] if s.get("id") == "live"]
    step["run"] = "terraform output -raw lambda_image_uri 2>/dev/null || true"


BROKEN_WORKFLOWS = {
    "phase one guesses": ("phase one", _broken(edit=_lookup_swallowing_errors)),
    "phase one defaults to no function": (
        "phase one",
        _broken(
            [
                (
                    '            *) echo "error: unknown',
                    '            *) lambda_vars=(-var deploy_lambda=false) ; echo "',
                )
            ]
        ),
    ),
    "auto-approve": (
        "saved plan",
        _broken([("terraform apply tfplan", "terraform apply -auto-approve")]),
    ),
    "plan not kept": (
        "saved plan",
        _broken(
            edit=_drop_step(
                "function", lambda s: s.get("uses", "").startswith("actions/upload-artifact@")
            )
        ),
    ),
    "image by tag": (
        "digest",
        _broken(
            [
                (
                    'echo "image_uri=${REPOSITORY_URL}@${digest}"',
                    'echo "image_uri=${REPOSITORY_URL}:${TAG}"',
                )
            ]
        ),
    ),
    "no smoke test": (
        "rollback",
        _broken(edit=_drop_step("function", lambda s: "smoke-test.sh" in s.get("run", ""))),
    ),
    "no version to go back to": (
        "rollback",
        _broken(
            [("PREVIOUS_VERSION: ${{ steps.previous.outputs.version }}", "PREVIOUS_VERSION: ''")]
        ),
    ),
    "no migrations before the function": (
        "migrate",
        _broken([("needs: [image, migrations]", "needs: [image]")]),
    ),
    "pending migrations pass": (
        "migrate",
        _broken([(".github/scripts/migrations-applied.sh < status.txt", "true")]),
    ),
}


@pytest.mark.parametrize("name", list(BROKEN_WORKFLOWS))
def test_each_release_check_catches_a_broken_copy(name):
    check, workflow = BROKEN_WORKFLOWS[name]

    assert CHECKS[check](workflow), f"{check} did not notice: {name}"


def test_every_deploy_job_uses_oidc_in_its_environment_and_no_keys(deploy):
    assert deploy["permissions"] == {}
    for name in ("infrastructure", "image", "migrations", "function"):
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
    # The only secrets are the smoke-test user's, never AWS keys.
    text = (WORKFLOWS_DIR / "deploy.yml").read_text()
    assert set(re.findall(r"secrets\.(\w+)", text)) == {"SMOKE_TEST_EMAIL", "SMOKE_TEST_PASSWORD"}


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
