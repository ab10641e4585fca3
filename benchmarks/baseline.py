"""The floor for warm requests: a minimal Lambda handler on plain boto3 that makes the same
DynamoDB calls as the app for each benchmarked route (the same operations, options and
items; `warm_worker.signature` is checked for both), with no framework, no validation and
no models. The app's time over this one is what the framework costs."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from lifestyle_api.dayset import DaySet

STATUS_SHARDS = 16
# What the daily summary reads of each goal.
GOAL_SUMMARY_ATTRIBUTES = (
    "PK, SK, kind, goalId, title, #type, schedule, target, #status, startDate, endDate, "
    "checkInDays, checkInDates"
)
DAY_KINDS = (":checkin", ":activity", ":meal", ":metric")

_deserialize = TypeDeserializer().deserialize
_serialize = TypeSerializer().serialize


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _deserialize(v) for k, v in item.items()}


def _change_key(at: datetime, sk: str) -> str:
    """The item's key on the change index (LSI3), which the app writes with every change."""
    return f"CHANGE#{at.strftime('%Y-%m-%dT%H:%M:%S.')}{at.microsecond // 1000:03d}Z#{sk}"


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, set):
        return sorted(value)
    return str(value)


class PlainHandler:
    def __init__(self, endpoint_url: str, table: str) -> None:
        self.table = table
        self.client = boto3.client("dynamodb", endpoint_url=endpoint_url, region_name="us-east-1")
        self.routes = [
            ("GET", re.compile(r"^/goals/(?P<goal_id>[0-9A-Z]{26})$"), self.get_goal),
            ("GET", re.compile(r"^/goals$"), self.list_goals),
            ("POST", re.compile(r"^/goals$"), self.create_goal),
            ("POST", re.compile(r"^/goals/(?P<goal_id>[0-9A-Z]{26})/check-ins$"), self.check_in),
            ("GET", re.compile(r"^/summaries/daily$"), self.daily_summary),
        ]

    def __call__(self, event: dict[str, Any], _context: Any) -> dict[str, Any]:
        method = event["requestContext"]["http"]["method"]
        sub = event["requestContext"]["authorizer"]["jwt"]["claims"]["sub"]
        for route_method, pattern, view in self.routes:
            match = pattern.match(event["rawPath"])
            if match and route_method == method:
                body = json.loads(event["body"]) if event.get("body") else {}
                status, answer = view(sub, body, **match.groupdict())
                return {
                    "statusCode": status,
                    "headers": {"content-type": "application/json"},
                    "body": json.dumps(answer, default=_json_default),
                }
        return {"statusCode": 404, "body": "{}"}

    def _key(self, sub: str, sk: str) -> dict[str, Any]:
        return {"PK": {"S": f"USER#{sub}"}, "SK": {"S": sk}}

    def get_goal(self, sub, _body, goal_id):
        response = self.client.batch_get_item(
            RequestItems={
                self.table: {"Keys": [self._key(sub, f"GOAL#{goal_id}"), self._key(sub, "PROFILE")]}
            }
        )
        items = [_plain(i) for i in response["Responses"][self.table]]
        return 200, next(i for i in items if i["kind"] == "goal")

    def list_goals(self, sub, _body):
        response = self.client.query(
            TableName=self.table,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            FilterExpression="kind = :kind",
            ExpressionAttributeValues={
                ":pk": {"S": f"USER#{sub}"},
                ":prefix": {"S": "GOAL#"},
                ":kind": {"S": "goal"},
            },
            ScanIndexForward=False,
            Limit=20,
        )
        goals = [_plain(i) for i in response["Items"]]
        if any(g.get("checkInDays") for g in goals):
            self.client.get_item(TableName=self.table, Key=self._key(sub, "PROFILE"))
        return 200, {"items": goals, "nextCursor": None}

    def create_goal(self, sub, body):
        profile = self.client.get_item(TableName=self.table, Key=self._key(sub, "PROFILE"))
        timezone = _plain(profile.get("Item", {})).get("timezone", "UTC")
        moment = changed_at = datetime.now(UTC)
        now = moment.strftime("%Y-%m-%dT%H:%M:%S.%f+0000")  # PynamoDB's format
        goal_id = uuid.uuid4().hex[:26].upper()
        shard = int.from_bytes(hashlib.sha256(sub.encode()).digest()[:4], "big") % STATUS_SHARDS
        item = {
            "PK": f"USER#{sub}",
            "SK": f"GOAL#{goal_id}",
            "LSI3SK": _change_key(changed_at, f"GOAL#{goal_id}"),
            "kind": "goal",
            "goalId": goal_id,
            "title": body["title"],
            "category": body.get("category", "other"),
            "type": "habit",
            "status": "active",
            "schedule": {"frequency": "daily"},
            "startDate": moment.astimezone(ZoneInfo(timezone)).date().isoformat(),
            "GSI1PK": f"STATUS#ACTIVE#{shard:02d}",
            "GSI1SK": f"USER#{sub}#{moment.strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3]}Z",
            "version": 1,
            "createdAt": now,
            "updatedAt": now,
        }
        self.client.put_item(
            TableName=self.table,
            Item={k: _serialize(v) for k, v in item.items()},
            ConditionExpression="attribute_not_exists(version)",
        )
        return 201, item

    def check_in(self, sub, body, goal_id):
        response = self.client.batch_get_item(
            RequestItems={
                self.table: {
                    "Keys": [self._key(sub, f"GOAL#{goal_id}"), self._key(sub, "PROFILE")],
                    "ConsistentRead": True,
                }
            }
        )
        items = [_plain(i) for i in response["Responses"][self.table]]
        goal = next(i for i in items if i["kind"] == "goal")
        day = body["date"]
        days = DaySet.parse(goal.get("checkInDays", "")).with_day(date.fromisoformat(day))
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+0000")
        item = {
            "PK": f"USER#{sub}",
            "SK": f"CHECKIN#{goal_id}#{day}",
            "kind": "checkin",
            "goalId": goal_id,
            "date": day,
            "LSI2SK": f"DAY#{day}#CHECKIN#{goal_id}",
            "LSI3SK": _change_key(changed_at := datetime.now(UTC), f"CHECKIN#{goal_id}#{day}"),
            "version": 1,
            "createdAt": now,
            "updatedAt": now,
        }
        self.client.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": self.table,
                        "Item": {k: _serialize(v) for k, v in item.items()},
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                {
                    "Update": {
                        "TableName": self.table,
                        "Key": self._key(sub, f"GOAL#{goal_id}"),
                        "UpdateExpression": (
                            "SET checkInDays = :days, LSI3SK = :change REMOVE checkInDates"
                            " ADD version :one"
                        ),
                        "ConditionExpression": (
                            "attribute_exists(PK) AND #status = :active AND startDate <= :day"
                            " AND (attribute_not_exists(endDate) OR endDate >= :day)"
                            " AND version = :read"
                        ),
                        "ExpressionAttributeNames": {"#status": "status"},
                        "ExpressionAttributeValues": {
                            ":days": {"S": days.serialize()},
                            ":change": {"S": _change_key(changed_at, f"GOAL#{goal_id}")},
                            ":one": {"N": "1"},
                            ":read": {"N": str(goal["version"])},
                            ":active": {"S": "active"},
                            ":day": {"S": day},
                        },
                    }
                },
            ]
        )
        return 201, item

    def daily_summary(self, sub, _body):
        self.client.get_item(TableName=self.table, Key=self._key(sub, "PROFILE"))
        goals = self.client.query(
            TableName=self.table,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            FilterExpression="#status = :active AND kind = :goal",
            ProjectionExpression=GOAL_SUMMARY_ATTRIBUTES,
            ExpressionAttributeNames={"#status": "status", "#type": "type"},
            ExpressionAttributeValues={
                ":pk": {"S": f"USER#{sub}"},
                ":prefix": {"S": "GOAL#"},
                ":active": {"S": "active"},
                ":goal": {"S": "goal"},
            },
        )["Items"]
        today = date.today().isoformat()
        logs = self.client.query(
            TableName=self.table,
            IndexName="LSI2",
            KeyConditionExpression="PK = :pk AND LSI2SK BETWEEN :first AND :last",
            FilterExpression=f"kind IN ({', '.join(DAY_KINDS)})",
            ExpressionAttributeValues={
                ":pk": {"S": f"USER#{sub}"},
                ":first": {"S": f"DAY#{today}#"},
                ":last": {"S": f"DAY#{today}#~"},
                **{kind: {"S": kind[1:]} for kind in DAY_KINDS},
            },
        )["Items"]
        calories = sum(
            float(_deserialize(i["totals"])["caloriesKcal"]) for i in logs if "totals" in i
        )
        return 200, {"date": today, "goals": {"due": len(goals)}, "calories": calories}
