"""Terraform's table is the table the code expects: keys, attribute types, LSI1/LSI2/LSI3/GSI1
(names, keys, projections) and the TTL attribute equal the PynamoDB model's and what
`create_table()` makes (created on moto and described)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from lifestyle_api import db
from lifestyle_api.db.base import TableItem
from lifestyle_api.db.table import create_table
from tests.support.infra import load_module

TABLE = "table-parity"


def _projection(kind: str, non_key: list[str] | None = None) -> tuple[str, tuple[str, ...]]:
    return kind, tuple(sorted(non_key or ()))


def _keys(key_schema: list[dict[str, str]]) -> tuple[str, str | None]:
    by_type = {key["KeyType"]: key["AttributeName"] for key in key_schema}
    return by_type["HASH"], by_type.get("RANGE")


def terraform_schema() -> dict[str, Any]:
    table = load_module().resource("aws_dynamodb_table", "main")
    return {
        "keys": (table["hash_key"], table["range_key"]),
        "attributes": {a["name"]: a["type"] for a in table["attribute"]},
        "local_indexes": {
            index["name"]: (
                (table["hash_key"], index["range_key"]),
                _projection(index["projection_type"], index.get("non_key_attributes")),
            )
            for index in table["local_secondary_index"]
        },
        "global_indexes": {
            index["name"]: (
                (index["hash_key"], index.get("range_key")),
                _projection(index["projection_type"], index.get("non_key_attributes")),
            )
            for index in table["global_secondary_index"]
        },
        "ttl": table["ttl"][0]["attribute_name"] if table["ttl"][0]["enabled"] else None,
    }


def model_schema() -> dict[str, Any]:
    schema = TableItem._get_schema()

    def indexes(kind: str) -> dict[str, Any]:
        return {
            index["index_name"]: (
                _keys(index["key_schema"]),
                _projection(
                    index["projection"]["ProjectionType"],
                    index["projection"].get("NonKeyAttributes"),
                ),
            )
            for index in schema[kind]
        }

    return {
        "keys": _keys(schema["key_schema"]),
        "attributes": {
            a["AttributeName"]: a["AttributeType"] for a in schema["attribute_definitions"]
        },
        "local_indexes": indexes("local_secondary_indexes"),
        "global_indexes": indexes("global_secondary_indexes"),
        "ttl": TableItem._ttl_attribute().attr_name,
    }


def described_schema(client, table_name: str) -> dict[str, Any]:
    table = client.describe_table(TableName=table_name)["Table"]
    ttl = client.describe_time_to_live(TableName=table_name)["TimeToLiveDescription"]

    def indexes(kind: str) -> dict[str, Any]:
        return {
            index["IndexName"]: (
                _keys(index["KeySchema"]),
                _projection(
                    index["Projection"]["ProjectionType"],
                    index["Projection"].get("NonKeyAttributes"),
                ),
            )
            for index in table.get(kind, [])
        }

    return {
        "keys": _keys(table["KeySchema"]),
        "attributes": {
            a["AttributeName"]: a["AttributeType"] for a in table["AttributeDefinitions"]
        },
        "local_indexes": indexes("LocalSecondaryIndexes"),
        "global_indexes": indexes("GlobalSecondaryIndexes"),
        "ttl": ttl.get("AttributeName") if ttl["TimeToLiveStatus"] == "ENABLED" else None,
    }


@pytest.fixture
def created_table(aws):
    """The table as `create_table()` makes it, on moto."""
    db.configure(TABLE, "us-east-1", None)
    try:
        assert create_table(wait=False)
        yield boto3.client("dynamodb", region_name="us-east-1")
    finally:
        db.configure("lifestyle", "us-east-1", None)


def test_terraform_table_equals_the_pynamodb_model():
    assert terraform_schema() == model_schema()


def test_terraform_table_equals_what_create_table_makes(created_table):
    assert terraform_schema() == described_schema(created_table, TABLE)


def test_the_schema_is_the_one_design_describes():
    schema = terraform_schema()

    assert schema["keys"] == ("PK", "SK")
    assert set(schema["local_indexes"]) == {db.LSI1, db.LSI2, db.LSI3}
    assert schema["local_indexes"][db.LSI3] == (("PK", "LSI3SK"), ("ALL", ()))
    assert set(schema["global_indexes"]) == {db.GSI1}
    assert schema["global_indexes"][db.GSI1] == (
        ("GSI1PK", "GSI1SK"),
        ("INCLUDE", ("category", "kind", "reminder", "status", "type")),
    )
    assert schema["ttl"] == db.TTL_ATTRIBUTE == "expiresAt"


def test_billing_recovery_and_encryption_match_create_table(created_table):
    terraform = load_module()
    table = terraform.resource("aws_dynamodb_table", "main")
    described = created_table.describe_table(TableName=TABLE)["Table"]
    backups = created_table.describe_continuous_backups(TableName=TABLE)

    assert table["billing_mode"] == described["BillingModeSummary"]["BillingMode"]
    assert table["billing_mode"] == "PAY_PER_REQUEST"
    recovery = backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert recovery["PointInTimeRecoveryStatus"] == "ENABLED"
    assert table["point_in_time_recovery"] == [{"enabled": True}]
    assert table["server_side_encryption"] == [{"enabled": True}]


def test_deletion_protection_is_on_in_prod_only():
    terraform = load_module()

    assert terraform.resource("aws_dynamodb_table", "main")["deletion_protection_enabled"] == (
        "${local.is_prod}"
    )
    assert terraform.locals["is_prod"] == '${var.environment == "prod"}'
