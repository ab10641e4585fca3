"""Drive `python -m lifestyle_api.local` as a developer would: in the background, on free
ports, over HTTP; then stop it and list any process it left behind."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Any

import boto3

from tests.support.aws import TEST_REGION
from tests.support.emulator import free_port

PROJECT_ROOT = Path(__file__).resolve().parents[2]
START_DEADLINE_SECONDS = 120
PASS_TIMEOUT_SECONDS = 120


class LocalRun:
    """One background run of the local command, in its own session so that every process it
    starts can be found afterwards by session id."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.emulator_port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = tempfile.NamedTemporaryFile(prefix="local-run-", suffix=".log")  # noqa: SIM115
        command = [
            sys.executable, "-m", "lifestyle_api.local",
            "--port", str(self.port), "--emulator-port", str(self.emulator_port), *args,
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env={**os.environ, **(env or {})},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def emulator_url(self) -> str:
        return f"http://127.0.0.1:{self.emulator_port}"

    def output(self) -> str:
        return Path(self._log.name).read_text(errors="replace")

    def wait_for_health(self) -> dict[str, Any]:
        deadline = time.monotonic() + START_DEADLINE_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the local run exited early:\n{self.output()}")
            try:
                status, body, _ = self.request("GET", "/health")
            except OSError:
                time.sleep(0.3)
                continue
            if status == 200:
                return body
        raise AssertionError(f"/health never answered:\n{self.output()}")

    def wait_for_output(self, text: str, count: int = 1) -> None:
        deadline = time.monotonic() + START_DEADLINE_SECONDS
        while self.output().count(text) < count:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"never printed {text!r}:\n{self.output()}")
            time.sleep(0.2)

    def request(
        self, method: str, path: str, body: Any = None, token: str | None = None
    ) -> tuple[int, Any, dict[str, str]]:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data, headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, _json(response.read()), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, _json(error.read()), dict(error.headers)

    def reminder_settings(self) -> dict[str, str]:
        """The settings the banner's `reminders` line names, as environment variables."""
        line = next(
            line for line in self.output().splitlines() if line.strip().startswith("reminders")
        )
        words = shlex.split(line.strip().removeprefix("reminders").rstrip("\\"))
        return dict(word.split("=", 1) for word in words)

    def run_reminders(self, at: datetime) -> subprocess.CompletedProcess[str]:
        """One reminders pass at `at`, run as the banner says, against this run's data."""
        return subprocess.run(
            [sys.executable, "-m", "migrations_scripts", "run-reminders", "--at", at.isoformat()],
            cwd=PROJECT_ROOT,
            env={**os.environ, **self.reminder_settings(), "AWS_REGION": TEST_REGION},
            capture_output=True,
            text=True,
            timeout=PASS_TIMEOUT_SECONDS,
            check=False,
        )

    def demo_access_token(self, endpoint: str | None = None) -> str:
        """Sign the demo user in directly against the emulator, as a client of its pool."""
        from lifestyle_api.local.provision import CLIENT_NAME, POOL_NAME
        from migrations_scripts.seed import DEMO_EMAIL, DEMO_PASSWORD

        cognito = boto3.client(
            "cognito-idp", region_name=TEST_REGION, endpoint_url=endpoint or self.emulator_url
        )
        pool = next(
            p for p in cognito.list_user_pools(MaxResults=60)["UserPools"] if p["Name"] == POOL_NAME
        )
        client = next(
            c
            for c in cognito.list_user_pool_clients(UserPoolId=pool["Id"])["UserPoolClients"]
            if c["ClientName"] == CLIENT_NAME
        )
        return cognito.initiate_auth(
            ClientId=client["ClientId"],
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": DEMO_EMAIL, "PASSWORD": DEMO_PASSWORD},
        )["AuthenticationResult"]["AccessToken"]

    def stop(self, signum: int = signal.SIGTERM, *, whole_group: bool = False) -> int:
        """Signal the run (or, like Ctrl-C in a terminal, its whole foreground group)."""
        if whole_group:
            os.killpg(self.process.pid, signum)
        else:
            self.process.send_signal(signum)
        return self.process.wait(timeout=60)

    def leftover_processes(self) -> list[str]:
        """Live processes of the run's session (zombies are already dead)."""
        leftovers = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            state, session = fields[0], int(fields[3])
            if session == self.process.pid and state != "Z":
                leftovers.append(f"{entry.name} {cmdline}")
        return leftovers

    def close(self) -> None:
        """Never leave a run behind, even when a test fails half-way."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        for leftover in self.leftover_processes():
            os.kill(int(leftover.split()[0]), signal.SIGKILL)
        self._log.close()


def _json(raw: bytes) -> Any:
    return json.loads(raw) if raw else None
