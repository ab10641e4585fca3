"""Fixtures for concurrency tests: the app against moto in server mode (real HTTP, real
threads), one fresh table per test."""

from __future__ import annotations

import uuid

import pytest

from lifestyle_api import create_app
from lifestyle_api.db.table import create_table
from tests.support.identity import TEST_CLIENT_ID, authorizer_environ
from tests.support.moto_server import AtomicMotoServer

THREADS = 20


@pytest.fixture(scope="module")
def moto_server():
    server = AtomicMotoServer()
    server.start()
    yield server.endpoint_url
    server.stop()


@pytest.fixture
def server_app(moto_server):
    app = create_app(
        {
            "TABLE_NAME": f"concurrency-{uuid.uuid4().hex[:8]}",
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": moto_server,
            "CURSOR_SECRET": "test-cursor-secret",
            "COGNITO_CLIENT_ID": TEST_CLIENT_ID,
        }
    )
    app.config["TESTING"] = True
    create_table(wait=True, point_in_time_recovery=False)
    return app


@pytest.fixture
def caller(server_app):
    """`caller("alice-sub")`: a new test client for that user (one per thread)."""

    def build(sub: str):
        client = server_app.test_client()
        client.environ_base.update(authorizer_environ(sub))
        return client

    return build
