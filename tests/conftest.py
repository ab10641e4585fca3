"""Fixtures for every test layer, in the style of Flask's tutorial: `app`, `client`, and
callers. DynamoDB is moto, in-process, with a fresh table per test."""

from __future__ import annotations

from tests.support.aws import use_fake_credentials

use_fake_credentials()

import io  # noqa: E402
import sys  # noqa: E402
from contextlib import contextmanager  # noqa: E402

import pytest  # noqa: E402
from moto import mock_aws  # noqa: E402

from lifestyle_api import create_app  # noqa: E402
from lifestyle_api.db.table import create_table  # noqa: E402
from lifestyle_api.observability import logger  # noqa: E402
from tests.support.aws import counting_aws_calls  # noqa: E402
from tests.support.identity import TEST_CLIENT_ID, caller_of  # noqa: E402
from tests.support.process_state import forget_process_caches  # noqa: E402

TEST_SETTINGS = {
    "TABLE_NAME": "lifestyle-test",
    "AWS_REGION": "us-east-1",
    "AWS_ENDPOINT_URL": None,
    "CURSOR_SECRET": "test-cursor-secret",
    "CORS_ORIGIN": "https://app.example.com",
    "COGNITO_CLIENT_ID": TEST_CLIENT_ID,
}


@pytest.fixture(autouse=True)
def fresh_process_caches():
    """Every test starts with the caches a warm container fills empty (tests run in any
    order, and a test must not be answered from another test's set-up)."""
    forget_process_caches()


@pytest.fixture(autouse=True)
def app_log_of_this_test():
    """The app's logger starts each test as a fresh process has it, writing to the running
    session's stdout.

    It is module state: a Lambda invocation leaves its context (function ARN, request id) on
    it until the next invocation, and its handler keeps the stream it was given when the app
    was first imported, the capture of whichever session imported it first (a collection
    run, say, whose files are closed by now).
    """
    logger.clear_state()
    with swapped_log_stream(sys.stdout):
        yield


@pytest.fixture
def log_output():
    """What the app's JSON logger writes while the test runs, and nothing else."""
    buffer = io.StringIO()
    with swapped_log_stream(buffer):
        yield buffer


@contextmanager
def swapped_log_stream(stream):
    # Not `setStream`: it flushes the stream it replaces, which may be closed.
    handler = logger.registered_handler
    previous, handler.stream = handler.stream, stream
    try:
        yield
    finally:
        handler.stream = previous


@pytest.fixture
def aws():
    """Moto for every AWS service, with the single table created."""
    with mock_aws():
        yield


@pytest.fixture
def settings_overrides() -> dict:
    """Override in a test module to change the app's settings."""
    return {}


@pytest.fixture
def app(aws, settings_overrides):
    app = create_app({**TEST_SETTINGS, **settings_overrides})
    app.config["TESTING"] = True
    create_table(wait=False)
    return app


@pytest.fixture
def client(app):
    """A client with no identity."""
    return app.test_client()


@pytest.fixture
def make_client(app):
    """`make_client("alice")`: a client calling as that user, through authorizer claims."""

    def build(sub: str):
        test_client = app.test_client()
        test_client.environ_base.update(caller_of(app, sub))
        return test_client

    return build


@pytest.fixture
def alice(make_client):
    return make_client("alice-sub")


@pytest.fixture
def bob(make_client):
    return make_client("bob-sub")


@pytest.fixture
def aws_calls():
    """Counts AWS API calls made inside the test (`aws_calls.dynamodb["Query"]`)."""
    with counting_aws_calls() as counter:
        yield counter
