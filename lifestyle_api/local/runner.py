"""`python -m lifestyle_api.local [--port N] [--emulator-port N] [--debug]`: one command from
a fresh clone to the API serving on http://127.0.0.1:5000 with a demo user.

This process owns the AWS emulator and everything provisioned on it; Flask runs as a child in
its own process group, so `--debug` reloads restart only Flask (the data stays), and Ctrl-C,
SIGTERM or SIGHUP stop that whole group before this process exits.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Sequence
from contextlib import ExitStack, suppress
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.exceptions import PynamoDBException

from .emulator import EmbeddedEmulator, LocalRunError, check_endpoint, ensure_port_free
from .provision import LocalSetup, provision

DEFAULT_PORT = 5000
DEFAULT_EMULATOR_PORT = 5001
DEFAULT_TABLE = "lifestyle"
DEFAULT_REGION = "us-east-1"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
STOP_GRACE_SECONDS = 5
PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Stopped(BaseException):
    """Raised in the main thread by a stop signal; unwinds everything this run started."""


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    for signum in STOP_SIGNALS:
        signal.signal(signum, _stop)
    try:
        return run(args)
    except Stopped:
        return 0
    except LocalRunError as exc:
        print(f"error: {exc}", file=sys.stderr)
    except (PynamoDBException, BotoCoreError, ClientError) as exc:
        from migrations_scripts.cli import describe_aws_error

        print(f"error: the AWS endpoint failed: {describe_aws_error(exc)}", file=sys.stderr)
    return 1


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m lifestyle_api.local",
        description="Run the API locally on an embedded AWS emulator, with a demo user.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address Flask listens on")
    parser.add_argument(
        "--port",
        type=int,
        default=os.environ.get("PORT") or DEFAULT_PORT,
        help=f"Flask's port (PORT, default {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--emulator-port",
        type=int,
        default=os.environ.get("EMULATOR_PORT") or DEFAULT_EMULATOR_PORT,
        help=f"the embedded emulator's port (EMULATOR_PORT, default {DEFAULT_EMULATOR_PORT}; "
        "0 picks a free one); unused when AWS_ENDPOINT_URL is set",
    )
    parser.add_argument(
        "--debug", action="store_true", help="flask run --debug: reload on code changes"
    )
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> int:
    ensure_port_free(args.host, args.port, "the API", "choose another with --port or PORT=")
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION
    table_name = os.environ.get("TABLE_NAME") or DEFAULT_TABLE
    _use_local_credentials()
    with ExitStack() as running:
        endpoint = os.environ.get("AWS_ENDPOINT_URL")
        embedded = not endpoint
        if endpoint:
            check_endpoint(endpoint, region)
            _say(f"AWS endpoint {endpoint} (from AWS_ENDPOINT_URL)")
        else:
            emulator = EmbeddedEmulator("127.0.0.1", args.emulator_port)
            endpoint = emulator.start()
            running.callback(emulator.stop)
            _say(f"AWS emulator (moto) on {endpoint}")
        setup = provision(
            endpoint,
            region=region,
            table_name=table_name,
            jwks_url=os.environ.get("JWKS_URL"),
            report=_say,
        )
        environment = {
            **os.environ,
            **setup.app_environment(os.environ.get("CURSOR_SECRET") or secrets.token_urlsafe(32)),
        }
        _say(banner(setup, f"http://{args.host}:{args.port}", embedded=embedded))
        flask = start_flask(args, environment)
        running.callback(stop_process_group, flask)
        return flask.wait()


def start_flask(args: argparse.Namespace, environment: dict[str, str]) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "flask", "--app", "wsgi", "run",
        "--host", args.host, "--port", str(args.port),
    ]  # fmt: skip
    if args.debug:
        command.append("--debug")
    if not (PROJECT_ROOT / "wsgi.py").is_file():
        raise LocalRunError(f"wsgi.py not found in {PROJECT_ROOT}; run from a clone of the repo")
    # Its own process group: one signal reaches Flask, its reloader and the reloaded worker.
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env=environment, process_group=0)  # noqa: S603


def stop_process_group(process: subprocess.Popen) -> None:
    """SIGTERM the child's process group, SIGKILL whatever is left after a grace period."""
    _signal_group(process.pid, signal.SIGTERM)
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=STOP_GRACE_SECONDS)
    # The reloader's worker may outlive the reloader itself.
    _signal_group(process.pid, signal.SIGKILL)
    process.wait()


def banner(setup: LocalSetup, url: str, *, embedded: bool) -> str:
    login = (
        f"curl -s -X POST {url}/auth/login -H 'Content-Type: application/json' "
        f'-d \'{{"email": "{setup.demo_email}", "password": "{setup.demo_password}"}}\''
    )
    lifetime = "in memory until you stop this command" if embedded else "on that endpoint"
    settings = setup.settings
    reminders_settings = " ".join(
        f"{name}={settings[name]}"
        for name in (
            "AWS_ENDPOINT_URL",
            "TABLE_NAME",
            "SNS_IOS_PLATFORM_APPLICATION_ARN",
            "SNS_ANDROID_PLATFORM_APPLICATION_ARN",
        )
    )
    return "\n".join(
        [
            "",
            f"Lifestyle API: {url}  (reference: {url}/docs, OpenAPI: {url}/openapi.json)",
            f"  demo login   {setup.demo_email} / {setup.demo_password}",
            f"  AWS          {settings['AWS_ENDPOINT_URL']}, table {settings['TABLE_NAME']}, "
            f"data {lifetime}",
            f"  user pool    {settings['COGNITO_USER_POOL_ID']}, "
            f"app client {settings['COGNITO_CLIENT_ID']}",
            f"  try          {login}",
            f"  reminders    {reminders_settings} \\",
            f"{'':17}.venv/bin/python -m migrations_scripts run-reminders [--at <instant>]",
            "  stop         Ctrl-C",
            "",
        ]
    )


def _use_local_credentials() -> None:
    """Emulators accept any credentials, but botocore insists on having some."""
    if not os.environ.get("AWS_ACCESS_KEY_ID") and not os.environ.get("AWS_PROFILE"):
        os.environ["AWS_ACCESS_KEY_ID"] = "local"
        os.environ["AWS_SECRET_ACCESS_KEY"] = "local"


def _signal_group(pgid: int, signum: int) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def _stop(signum: int, _frame) -> None:
    # Further signals must not interrupt the cleanup this one starts.
    for stop_signal in STOP_SIGNALS:
        signal.signal(stop_signal, signal.SIG_IGN)
    raise Stopped(signum)


def _say(message: str) -> None:
    print(message, flush=True)
