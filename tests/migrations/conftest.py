"""Fixtures for the admin scripts: the single table on in-process moto, or on moto's server
mode when several threads must race over HTTP."""

from __future__ import annotations

import pytest
from moto import mock_aws

from lifestyle_api import db
from lifestyle_api.db.table import create_table
from tests.support.aws import TEST_REGION
from tests.support.emulator import moto_server, table_on

TABLE = "lifestyle-ops"


@pytest.fixture
def table():
    """In-process moto with the single table; the item models point at it."""
    with mock_aws():
        db.configure(TABLE, TEST_REGION, None)
        create_table(wait=False)
        yield TABLE


@pytest.fixture
def server_table():
    """A fresh table on moto's server mode; yields the endpoint URL."""
    with moto_server() as endpoint:
        table_on(endpoint)
        yield endpoint
