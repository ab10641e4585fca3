"""Fixtures for the local run: background runs that are always cleaned up."""

from __future__ import annotations

import pytest

from tests.support.local_run import LocalRun


@pytest.fixture
def local_run():
    """`local_run(*args, env=...)` starts the local command; every run is closed afterwards."""
    runs: list[LocalRun] = []

    def start(*args: str, env: dict[str, str] | None = None) -> LocalRun:
        run = LocalRun(*args, env=env)
        runs.append(run)
        return run

    yield start
    for run in runs:
        run.close()
