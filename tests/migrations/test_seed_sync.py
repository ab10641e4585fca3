"""The demo user's data is on the change feed: the seed writes through the item models,
which give every synced item its change key, so a first download holds all of it, each item
as its `GET` answers it."""

from __future__ import annotations

from lifestyle_api import create_app
from lifestyle_api.db import TableItem
from lifestyle_api.db.keys import user_pk
from migrations_scripts.cli import main
from tests.support.aws import TEST_REGION
from tests.support.identity import TEST_CLIENT_ID, authorizer_environ
from tests.support.sync import Clock, Replica, server_state

DEMO_SUB = "demo-user"
SYNCED = {"profile", "goal", "checkin", "activity", "meal", "metric"}


def test_a_first_download_of_the_demo_user_holds_everything(table, monkeypatch, capsys):
    clock = Clock()
    monkeypatch.setattr("lifestyle_api.db.changes.now", clock)
    assert main(["seed", "--demo", "--days", "5", "--table", table, "--region", TEST_REGION]) == 0
    capsys.readouterr()
    stored = list(TableItem.query(user_pk(DEMO_SUB)))
    synced = [item for item in stored if TableItem.kind.get_discriminator(type(item)) in SYNCED]

    app = create_app(
        {"TABLE_NAME": table, "AWS_REGION": TEST_REGION, "COGNITO_CLIENT_ID": TEST_CLIENT_ID}
    )
    demo = app.test_client()
    demo.environ_base.update(authorizer_environ(DEMO_SUB))
    clock.settle()
    device = Replica()
    device.pull_to_end(demo, limit=100)

    assert all(item.lsi3_sk for item in synced)
    assert len(device.items) == len(synced) > 50
    assert device.state() == server_state(demo)
