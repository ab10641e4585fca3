"""Creating the single table: all four indexes from the start (local indexes cannot be
added later), on-demand billing, TTL on `expiresAt`, and point-in-time recovery."""

from __future__ import annotations

from pynamodb.constants import PAY_PER_REQUEST_BILLING_MODE

from .base import TableItem


def table_exists() -> bool:
    return TableItem.exists()


def create_table(*, wait: bool = True, point_in_time_recovery: bool = True) -> bool:
    """Create the table if it is missing; returns whether it was created. Idempotent."""
    if TableItem.exists():
        return False
    TableItem.create_table(billing_mode=PAY_PER_REQUEST_BILLING_MODE, wait=wait)
    if point_in_time_recovery:
        enable_point_in_time_recovery()
    return True


def enable_point_in_time_recovery() -> None:
    connection = TableItem._get_connection().connection
    connection.client.update_continuous_backups(
        TableName=TableItem.Meta.table_name,
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
    )


def describe_table() -> dict:
    return TableItem.describe_table()
