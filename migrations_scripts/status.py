"""What `status` prints: the table as DynamoDB describes it (keys, indexes, TTL, point-in-time
recovery; an index the code needs and the table lacks is named MISSING) and each migration's
state."""

from __future__ import annotations

from lifestyle_api.db import GSI1, LSI1, LSI2, LSI3, TableItem
from lifestyle_api.timeutil import format_instant

from . import runner
from .records import APPLIED, MigrationItem


def table_lines() -> list[str]:
    description = TableItem.describe_table()
    client = TableItem._get_connection().connection.client
    name = description["TableName"]
    billing = description.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED")
    lines = [
        f"table {name}: {description['TableStatus']}, about {description.get('ItemCount', 0)} "
        f"items, {billing.lower().replace('_', '-')}",
        f"  keys: {key_schema(description['KeySchema'])}",
    ]
    present = set()
    for kind, key in (("local", "LocalSecondaryIndexes"), ("global", "GlobalSecondaryIndexes")):
        for index in sorted(description.get(key, []), key=lambda i: i["IndexName"]):
            present.add(index["IndexName"])
            state = f", {index['IndexStatus']}" if "IndexStatus" in index else ""
            lines.append(
                f"  index {index['IndexName']} ({kind}{state}): {key_schema(index['KeySchema'])}"
            )
    for missing in sorted({LSI1, LSI2, LSI3, GSI1} - present):
        lines.append(f"  index {missing}: MISSING (create-table makes it; LSIs only at creation)")
    ttl = client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    lines.append(
        f"  TTL: {ttl.get('AttributeName', '-')} ({ttl.get('TimeToLiveStatus', 'UNKNOWN')})"
    )
    backups = client.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    pitr = backups.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus")
    lines.append(f"  point-in-time recovery: {pitr or 'UNKNOWN'}")
    return lines


def migration_lines(
    migrations: list[runner.Migration], records: dict[str, MigrationItem]
) -> list[str]:
    lines = ["migrations:"]
    known = {migration.version: migration for migration in migrations}
    for version in sorted(set(known) | set(records)):
        migration = known.get(version)
        label = migration.label if migration else f"{version} (no module)"
        record = records.get(version)
        if record is None:
            lines.append(f"  {label}  pending")
        elif record.state == APPLIED:
            lines.append(
                f"  {label}  applied {format_instant(record.applied_at)}: {record.summary}"
            )
        else:
            lines.append(
                f"  {label}  being applied by {record.owner} since "
                f"{format_instant(record.claimed_at)} (heartbeat "
                f"{format_instant(record.heartbeat_at)})"
            )
    if len(lines) == 1:
        lines.append("  none")
    return lines


def key_schema(schema: list[dict]) -> str:
    return " / ".join(f"{key['AttributeName']} ({key['KeyType'].lower()})" for key in schema)
