"""The deploy's scripts (.github/scripts/), run as the workflow runs them, against a stand-in
`aws` command that answers as AWS would (a JSON scenario: per call, its output, error and
exit status) and a local HTTP server standing in for the API: phase 1's lookup tells "not
found" from every other error, the digest lookup likewise, the migrations check refuses
anything not applied, and the smoke test moves the alias back on each kind of failure.
shellcheck passes on every script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.support.infra import REPO_ROOT, run_tool

SCRIPTS = REPO_ROOT / ".github" / "scripts"
DIGEST = "sha256:" + "ab" * 32
IMAGE = f"111122223333.dkr.ecr.us-east-1.amazonaws.com/lifestyle-api-dev@{DIGEST}"
NOT_FOUND = (
    "An error occurred (ResourceNotFoundException) when calling the GetFunction operation: "
    "Function not found: arn:aws:lambda:us-east-1:111122223333:function:lifestyle-api-dev"
)
DENIED = (
    "An error occurred (AccessDeniedException) when calling the GetFunction operation: "
    "User is not authorized to perform: lambda:GetFunction"
)

# The stand-in `aws`: finds the first scenario entry whose words all appear in the call,
# logs the call, and answers with that entry's output, error and status.
FAKE_AWS = """\
import json, os, sys
call = " ".join(sys.argv[1:])
with open(os.environ["FAKE_AWS_LOG"], "a") as log:
    log.write(call + "\\n")
for entry in json.load(open(os.environ["FAKE_AWS_SCENARIO"])):
    if all(word in call for word in entry["when"]):
        sys.stdout.write(entry.get("out", ""))
        sys.stderr.write(entry.get("err", ""))
        sys.exit(entry.get("status", 0))
sys.stderr.write("unexpected call: " + call)
sys.exit(99)
"""


class Aws:
    """A stand-in `aws` on PATH, with the calls it received."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.bin = directory / "bin"
        self.bin.mkdir()
        executable = self.bin / "aws"
        executable.write_text(f"#!{sys.executable}\n{FAKE_AWS}")
        executable.chmod(0o755)
        self.log = directory / "calls.log"
        self.scenario = directory / "scenario.json"
        self.answers([])

    def answers(self, entries: list[dict]) -> None:
        self.scenario.write_text(json.dumps(entries))

    @property
    def calls(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []

    def run(self, script: str, *args: str, stdin: str = "", **env: str):
        environment = {
            **os.environ,
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
            "FAKE_AWS_LOG": str(self.log),
            "FAKE_AWS_SCENARIO": str(self.scenario),
            **env,
        }
        return subprocess.run(
            ["bash", str(SCRIPTS / script), *args],
            input=stdin,
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )


@pytest.fixture
def aws(tmp_path) -> Aws:
    return Aws(tmp_path)


def _outputs(stdout: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in stdout.splitlines() if "=" in line)


# ---- phase 1: what the function serves --------------------------------------------------


def test_the_live_alias_gives_the_version_and_image_it_serves(aws):
    aws.answers([{"when": ["get-function", "--qualifier live"], "out": f"7\t{IMAGE}\n"}])

    result = aws.run("live-release.sh", "lifestyle-api-dev")

    assert result.returncode == 0, result.stderr
    assert _outputs(result.stdout) == {"exists": "true", "version": "7", "image_uri": IMAGE}


def test_a_function_that_is_not_found_is_a_first_deploy(aws):
    aws.answers([{"when": ["get-function"], "err": NOT_FOUND, "status": 254}])

    result = aws.run("live-release.sh", "lifestyle-api-dev")

    assert result.returncode == 0, result.stderr
    assert _outputs(result.stdout) == {"exists": "false", "version": "", "image_uri": ""}
    assert len(aws.calls) == 2, "the alias, then the function itself"


def test_a_function_without_the_alias_yet_keeps_the_image_it_runs(aws):
    aws.answers(
        [
            {"when": ["--qualifier live"], "err": NOT_FOUND, "status": 254},
            {"when": ["get-function"], "out": f"{IMAGE}\n"},
        ]
    )

    result = aws.run("live-release.sh", "lifestyle-api-dev")

    assert result.returncode == 0, result.stderr
    assert _outputs(result.stdout) == {"exists": "true", "version": "", "image_uri": IMAGE}


@pytest.mark.parametrize(
    "scenario",
    [
        [{"when": ["get-function"], "err": DENIED, "status": 254}],
        [
            {"when": ["--qualifier live"], "err": NOT_FOUND, "status": 254},
            {"when": ["get-function"], "err": DENIED, "status": 254},
        ],
        [{"when": ["get-function"], "err": "Could not connect to the endpoint URL", "status": 255}],
    ],
    ids=["denied", "denied-after-no-alias", "network"],
)
def test_any_other_error_fails_instead_of_deciding(aws, scenario):
    aws.answers(scenario)

    result = aws.run("live-release.sh", "lifestyle-api-dev")

    assert result.returncode != 0
    assert "exists=" not in result.stdout
    assert "does not guess" in result.stderr


def test_an_image_not_by_digest_fails(aws):
    tagged = IMAGE.replace(f"@{DIGEST}", ":abc123")
    aws.answers([{"when": ["get-function"], "out": f"3\t{tagged}\n"}])

    result = aws.run("live-release.sh", "lifestyle-api-dev")

    assert result.returncode == 1
    assert "not an image by digest" in result.stderr


# ---- phase 2: the digest -------------------------------------------------------------------


def test_the_digest_of_a_pushed_image(aws):
    aws.answers([{"when": ["ecr describe-images", "imageTag=abc"], "out": f"{DIGEST}\n"}])

    result = aws.run("image-digest.sh", "lifestyle-api-dev", "abc")

    assert (result.returncode, result.stdout.strip()) == (0, DIGEST)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        ("An error occurred (ImageNotFoundException) when calling the DescribeImages", 3),
        ("An error occurred (AccessDeniedException) when calling the DescribeImages", 1),
    ],
)
def test_an_absent_image_is_told_from_a_failed_lookup(aws, error, status):
    aws.answers([{"when": ["describe-images"], "err": error, "status": 254}])

    result = aws.run("image-digest.sh", "lifestyle-api-dev", "abc")

    assert result.returncode == status
    assert result.stdout == ""


# ---- migrations ------------------------------------------------------------------------------

STATUS_HEAD = (
    "status: table 'lifestyle-api-dev' in us-east-1 at AWS\n"
    "table lifestyle-api-dev: ACTIVE, about 12 items, pay-per-request\n"
    "  keys: PK (HASH), SK (RANGE)\n"
    "  point-in-time recovery: ENABLED\n"
    "migrations:\n"
)
APPLIED = "  0001_backfill_goal_status_index  applied 2026-11-26T06:30:00.000Z: 3 goals\n"


@pytest.mark.parametrize(
    "migrations", [APPLIED, APPLIED + APPLIED.replace("0001", "0002"), "  none\n"]
)
def test_migrations_all_applied_pass(aws, migrations):
    result = aws.run("migrations-applied.sh", stdin=STATUS_HEAD + migrations)

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "line",
    [
        "  0002_goal_check_in_days  pending",
        "  0002_goal_check_in_days  being applied by runner:42 since 2026-11-26T06:30:00.000Z",
        "  0003 (no module)  something new",
    ],
)
def test_a_migration_not_applied_fails(aws, line):
    result = aws.run("migrations-applied.sh", stdin=STATUS_HEAD + APPLIED + line + "\n")

    assert result.returncode == 1
    assert f"not applied: {line.strip()}" in result.stderr


def test_a_status_without_migrations_fails(aws):
    result = aws.run("migrations-applied.sh", stdin="status: table 'x'\n")

    assert result.returncode == 1
    assert "no migrations section" in result.stderr


# ---- phase 3: the smoke test and the rollback ---------------------------------------------


class Api:
    """The API as the smoke test sees it; `answers` maps (method, path, token) to a status
    and body, token being "access", "id" or None."""

    def __init__(self) -> None:
        self.answers: dict[tuple[str, str, str | None], tuple[int, dict]] = {
            ("GET", "/health", None): (200, {"status": "ok"}),
            ("GET", "/openapi.json", None): (200, {"openapi": "3.1.0", "paths": {}}),
            ("GET", "/me", None): (401, {"error": "unauthorized"}),
            ("POST", "/auth/login", None): (
                200,
                {"accessToken": "access-token", "idToken": "id-token"},
            ),
            ("GET", "/me", "access"): (200, {"userId": "u1"}),
            ("GET", "/me", "id"): (401, {"message": "Unauthorized"}),
        }
        self.logins: list[dict] = []

    def handler(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                token = {
                    "Bearer access-token": "access",
                    "Bearer id-token": "id",
                }.get(self.headers.get("Authorization", ""))
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    api.logins.append(json.loads(self.rfile.read(length)))
                status, body = api.answers.get((self.command, self.path, token), (404, {}))
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = _answer
            do_POST = _answer

            def log_message(self, *args) -> None:
                pass

        return Handler


@pytest.fixture
def api() -> Iterator[tuple[Api, str]]:
    fake = Api()
    server = ThreadingHTTPServer(("127.0.0.1", 0), fake.handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _smoke(aws: Aws, url: str, previous: str = "6", **env: str):
    aws.answers([{"when": ["lambda update-alias"], "out": "{}"}])
    return aws.run(
        "smoke-test.sh",
        API_URL=url,
        FUNCTION_NAME="lifestyle-api-dev",
        PREVIOUS_VERSION=previous,
        SMOKE_ATTEMPTS="2",
        SMOKE_RETRY_SECONDS="0",
        **env,
    )


ROLLBACK = "lambda update-alias --function-name lifestyle-api-dev --name live --function-version 6"
USER = {"SMOKE_TEST_EMAIL": "smoke@example.com", "SMOKE_TEST_PASSWORD": "Smoke-Test-9"}


def test_a_healthy_release_passes_and_stays(aws, api):
    fake, url = api

    result = _smoke(aws, url, **USER)

    assert result.returncode == 0, result.stdout + result.stderr
    assert aws.calls == []
    assert fake.logins == [{"email": "smoke@example.com", "password": "Smoke-Test-9"}]
    assert "ok: GET /me with an ID token answered 401" in result.stdout


def test_without_a_smoke_test_user_the_round_trip_is_skipped(aws, api):
    fake, url = api

    result = _smoke(aws, url)

    assert result.returncode == 0, result.stderr
    assert fake.logins == []
    assert "authenticated round trip is skipped" in result.stdout


@pytest.mark.parametrize(
    ("key", "answer", "message"),
    [
        (("GET", "/health", None), (502, {"message": "Internal Server Error"}), "GET /health"),
        (("GET", "/openapi.json", None), (200, {"html": True}), "OpenAPI document"),
        (("GET", "/me", None), (200, {"userId": "anyone"}), "GET /me without a token"),
        (("POST", "/auth/login", None), (500, {}), "POST /auth/login"),
        (("GET", "/me", "access"), (500, {}), "GET /me with the access token"),
        (("GET", "/me", "id"), (200, {"userId": "u1"}), "with an ID token answered 200"),
    ],
    ids=["health", "openapi", "private-route-open", "login", "round-trip", "id-token-accepted"],
)
def test_a_failed_release_moves_the_alias_back_and_fails(aws, api, key, answer, message):
    fake, url = api
    fake.answers[key] = answer

    result = _smoke(aws, url, **USER)

    assert result.returncode == 1
    assert message in result.stderr
    assert aws.calls == [ROLLBACK]


def test_a_first_release_that_fails_has_nothing_to_go_back_to(aws, api):
    fake, url = api
    fake.answers[("GET", "/health", None)] = (500, {})

    result = _smoke(aws, url, previous="")

    assert result.returncode == 1
    assert "no previous version" in result.stderr
    assert aws.calls == []


def test_a_failed_rollback_says_so_and_fails(aws, api):
    fake, url = api
    fake.answers[("GET", "/health", None)] = (500, {})

    result = aws.run(
        "smoke-test.sh",
        API_URL=url,
        FUNCTION_NAME="lifestyle-api-dev",
        PREVIOUS_VERSION="6",
        SMOKE_ATTEMPTS="1",
    )

    assert result.returncode == 1
    assert "ROLLBACK FAILED" in result.stderr


def test_an_unreachable_api_fails_and_moves_the_alias_back(aws):
    result = _smoke(aws, "http://127.0.0.1:9/")

    assert result.returncode == 1
    assert aws.calls == [ROLLBACK]


# ---- the scripts themselves ----------------------------------------------------------------


def test_shellcheck_passes_on_every_deploy_script():
    scripts = sorted(str(path) for path in SCRIPTS.glob("*.sh"))

    result = run_tool("shellcheck", "--severity=style", *scripts)

    assert len(scripts) == 4
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_scripts_are_executable_and_used_by_the_workflow():
    workflow = (REPO_ROOT / ".github" / "workflows" / "deploy.yml").read_text()

    for path in SCRIPTS.glob("*.sh"):
        assert os.access(path, os.X_OK), path.name
        assert f".github/scripts/{path.name}" in workflow, path.name
