"""Fixtures for the reminders pass: the app with SNS platform applications on moto, and
passes run at injected instants over the shards of the users a test names."""

from __future__ import annotations

import pytest

from tests.support.reminders import Passes, create_push_applications


@pytest.fixture
def settings_overrides(aws):
    return create_push_applications()


@pytest.fixture
def passes(app):
    """`passes("alice-sub", …)`: a `Passes` over those users' shards."""
    return lambda *subs: Passes(app, subs)
