"""`copy-table`: a table made before the change index (two local indexes) moves to the
current layout: every item is copied into a table `create-table` made, the items the sync
feed serves get a change key on the way, and a first download from the new table holds
them all."""

from __future__ import annotations

import boto3
from moto import mock_aws

from lifestyle_api import create_app
from lifestyle_api.db.keys import user_pk
from migrations_scripts.cli import main
from tests.support.aws import TEST_REGION
from tests.support.identity import TEST_CLIENT_ID, authorizer_environ
from tests.support.sync import Clock, Replica

OLD, NEW = "lifestyle-before", "lifestyle-after"
ALICE = "alice-sub"


def old_table(client) -> None:
    """The table as `create-table` made it before the change index."""
    keys = ("PK", "SK", "LSI1SK", "LSI2SK")
    client.create_table(
        TableName=OLD,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"} for key in keys],
        KeySchema=[
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": name,
                "KeySchema": [
                    {"AttributeName": "PK", "KeyType": "HASH"},
                    {"AttributeName": key, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for name, key in (("LSI1", "LSI1SK"), ("LSI2", "LSI2SK"))
        ],
    )


def item(sk: str, kind: str, **attributes: str) -> dict:
    raw = {"PK": {"S": user_pk(ALICE)}, "SK": {"S": sk}, "kind": {"S": kind}}
    raw["version"] = {"N": "2"}
    return raw | {name: {"S": value} for name, value in attributes.items()}


OLD_ITEMS = [
    item("PROFILE", "profile", userId=ALICE, email="", timezone="UTC", unitSystem="metric"),
    item(
        "ACTIVITY#01M8B3NJKH29GSA41PSCXE3J1T",
        "activity",
        activityId="01M8B3NJKH29GSA41PSCXE3J1T",
        type="run",
        startedAt="2026-11-26T07:30:00.000000+0000",
        day="2026-11-26",
        LSI1SK="ACTIVITY#2026-11-26T07:30:00.000Z#01M8B3NJKH29GSA41PSCXE3J1T",
    )
    | {"durationMinutes": {"N": "30"}},
    item("SOURCE#garmin#w-1", "metric-source", metricId="01M8B3NJKH29GSA41PSCXE3J1V"),
]


def test_copy_table_moves_every_item_and_gives_synced_ones_a_change_key(capsys, monkeypatch):
    clock = Clock()
    monkeypatch.setattr("lifestyle_api.db.changes.now", clock)
    with mock_aws():
        client = boto3.client("dynamodb", region_name=TEST_REGION)
        old_table(client)
        for raw in OLD_ITEMS:
            client.put_item(TableName=OLD, Item=raw)
        assert main(["create-table", "--table", NEW, "--region", TEST_REGION]) == 0

        code = main(["copy-table", "--from", OLD, "--table", NEW, "--region", TEST_REGION])

        out, err = capsys.readouterr()
        assert code == 0, err
        assert "3 items copied in 1 pages; 2 given a change key" in out
        copied = {raw["SK"]["S"]: raw for raw in client.scan(TableName=NEW)["Items"]}
        assert set(copied) == {raw["SK"]["S"] for raw in OLD_ITEMS}
        assert "LSI3SK" not in copied["SOURCE#garmin#w-1"]
        for raw in OLD_ITEMS[:2]:
            assert {k: v for k, v in copied[raw["SK"]["S"]].items() if k != "LSI3SK"} == raw

        app = create_app(
            {"TABLE_NAME": NEW, "AWS_REGION": TEST_REGION, "COGNITO_CLIENT_ID": TEST_CLIENT_ID}
        )
        alice = app.test_client()
        alice.environ_base.update(authorizer_environ(ALICE))
        clock.settle()
        device = Replica()
        device.pull_to_end(alice)
        assert set(device.items) == {
            ("profile", ALICE),
            ("activity", "01M8B3NJKH29GSA41PSCXE3J1T"),
        }


def test_copying_into_the_same_table_is_refused(capsys):
    with mock_aws():
        assert main(["create-table", "--table", NEW, "--region", TEST_REGION]) == 0
        code = main(["copy-table", "--from", NEW, "--table", NEW, "--region", TEST_REGION])
    assert code == 1
    assert "the source and the target are the same table" in capsys.readouterr().err
