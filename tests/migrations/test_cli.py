"""`python -m migrations_scripts`: each command's output, its target flags, and failures as
one line and a non-zero exit."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import boto3
import pytest
from moto import mock_aws

from lifestyle_api.db import TableItem
from lifestyle_api.db.keys import user_pk
from lifestyle_api.goals.models import GoalItem
from migrations_scripts.cli import main
from migrations_scripts.records import APPLIED, MigrationItem
from migrations_scripts.seed import DEMO_EMAIL, DEMO_PASSWORD
from tests.support.aws import TEST_REGION
from tests.support.emulator import closed_endpoint

TARGET = ["--table", "lifestyle-ops", "--region", TEST_REGION]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_create_table_says_what_it_makes_and_is_idempotent(capsys):
    with mock_aws():
        code, out, err = run(capsys, "create-table", "--table", "fresh", "--region", "eu-west-1")
        assert (code, err) == (0, "")
        assert out.splitlines() == [
            "create-table: table 'fresh' in eu-west-1 at AWS with indexes LSI1, LSI2, LSI3, GSI1, "
            "TTL on expiresAt, on-demand billing, point-in-time recovery",
            "created",
        ]
        client = boto3.client("dynamodb", region_name="eu-west-1")
        assert client.describe_table(TableName="fresh")["Table"]["TableStatus"] == "ACTIVE"

        code, out, _ = run(capsys, "create-table", "--table", "fresh", "--region", "eu-west-1")
        assert code == 0
        assert out.splitlines()[-1] == "already exists; nothing changed"


def test_status_shows_the_table_its_indexes_and_the_migrations(table, capsys):
    code, out, err = run(capsys, "status", *TARGET)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "status: table 'lifestyle-ops' in us-east-1 at AWS"
    assert lines[1].startswith("table lifestyle-ops: ACTIVE, about 0 items, pay-per-request")
    assert "  keys: PK (hash) / SK (range)" in lines
    assert "  index LSI1 (local): PK (hash) / LSI1SK (range)" in lines
    assert "  index LSI2 (local): PK (hash) / LSI2SK (range)" in lines
    assert "  index LSI3 (local): PK (hash) / LSI3SK (range)" in lines
    assert any(line.startswith("  index GSI1 (global") for line in lines)
    assert "  TTL: expiresAt (ENABLED)" in lines
    assert "  point-in-time recovery: ENABLED" in lines
    assert lines[-3:] == [
        "migrations:",
        "  0001_backfill_goal_status_index  pending",
        "  0002_goal_check_in_days  pending",
    ]

    run(capsys, "migrate", *TARGET)
    _, out, _ = run(capsys, "status", *TARGET)
    assert out.splitlines()[-2].startswith("  0001_backfill_goal_status_index  applied ")
    assert out.splitlines()[-1].startswith("  0002_goal_check_in_days  applied ")


def test_migrate_dry_run_previews_and_changes_nothing(table, capsys):
    GoalItem(
        *GoalItem.key("old-user", "01J00000000000000000000001"),
        goal_id="01J00000000000000000000001",
        title="Old goal",
        category="sleep",
        goal_type="habit",
        status="active",
        start_date=date(2026, 1, 5),
    ).save()

    code, out, err = run(capsys, "migrate", "--dry-run", *TARGET)

    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "migrate: table 'lifestyle-ops' in us-east-1 at AWS; 2 migrations known, "
        "listing the pending ones (dry run)",
        "would apply 0001_backfill_goal_status_index: Write the status index keys (GSI1) on "
        "goals created without them.",
        "  1 goals lack status index keys (1 items scanned)",
        "would apply 0002_goal_check_in_days: Rewrite each goal's check-in days from a string "
        "set into the compact day set.",
        "  0 goals keep check-in days as a string set (1 items scanned)",
        "dry run: 2 pending; nothing was changed",
    ]
    assert MigrationItem.all_records() == {}
    assert GoalItem.get(*GoalItem.key("old-user", "01J00000000000000000000001")).gsi1_pk is None


def test_migrate_applies_with_progress_then_has_nothing_to_do(table, capsys):
    code, out, _ = run(capsys, "migrate", "--segments", "2", "--page-size", "3", *TARGET)
    assert code == 0
    assert "applying 0001_backfill_goal_status_index" in out
    assert "  segment 1/2 page 1:" in out
    assert "applying 0002_goal_check_in_days" in out
    assert out.splitlines()[-1] == "2 applied"
    assert MigrationItem.all_records()["0001"].state == APPLIED

    code, out, _ = run(capsys, "migrate", *TARGET)
    assert code == 0
    assert out.splitlines()[-2:] == [
        "already applied: 0001_backfill_goal_status_index, 0002_goal_check_in_days",
        "nothing to apply",
    ]


def test_seed_demo_in_a_user_pool_is_idempotent_and_the_user_can_sign_in(table, capsys):
    cognito = boto3.client("cognito-idp", region_name=TEST_REGION)
    pool = cognito.create_user_pool(PoolName="ops", UsernameAttributes=["email"])["UserPool"]
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool["Id"], ClientName="web", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]

    code, out, err = run(
        capsys, "seed", "--demo", "--days", "3", "--user-pool-id", pool["Id"], *TARGET
    )
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == (
        f"seed --demo: {DEMO_EMAIL} in user pool {pool['Id']}, 3 days; "
        "table 'lifestyle-ops' in us-east-1 at AWS"
    )
    sub = cognito.admin_get_user(UserPoolId=pool["Id"], Username=DEMO_EMAIL)["Username"]
    count = TableItem.count(user_pk(sub))
    assert count > 50
    assert out.splitlines()[-1].endswith(f"the demo user now has {count} items")

    code, out, _ = run(
        capsys, "seed", "--demo", "--days", "3", "--user-pool-id", pool["Id"], *TARGET
    )
    assert code == 0
    assert TableItem.count(user_pk(sub)) == count
    assert len(cognito.list_users(UserPoolId=pool["Id"])["Users"]) == 1
    tokens = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": DEMO_EMAIL, "PASSWORD": DEMO_PASSWORD},
    )
    assert tokens["AuthenticationResult"]["AccessToken"]


def test_report_active_goals_counts_by_category(table, capsys):
    run(capsys, "seed", "--demo", "--days", "2", *TARGET)

    code, out, err = run(capsys, "report", "active-goals", *TARGET)

    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "report active-goals: index GSI1 of table 'lifestyle-ops' in us-east-1 at AWS, 16 shards",
        "active goals by category",
        "  fitness           2",
        "  hydration         1",
        "  mindfulness       1",
        "  nutrition         1",
        "  sleep             1",
        "  weight            1",
        "  total             7",
    ]


@pytest.mark.parametrize(
    "command", [["status"], ["migrate"], ["seed", "--demo"], ["report", "active-goals"]]
)
def test_commands_on_a_missing_table_fail_with_one_line(table, capsys, command):
    code, out, err = run(capsys, *command, "--table", "nowhere")
    assert code == 1
    assert err == (
        "error: table 'nowhere' in us-east-1 at AWS does not exist; "
        "run `python -m migrations_scripts create-table` first\n"
    )
    assert out.startswith(f"{command[0]}")


def test_an_unreachable_endpoint_fails_with_one_line_and_no_traceback():
    endpoint = closed_endpoint()
    finished = subprocess.run(
        [sys.executable, "-m", "migrations_scripts", "status", "--endpoint-url", endpoint],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 1
    assert finished.stdout == f"status: table 'lifestyle' in us-east-1 at {endpoint}\n"
    assert finished.stderr.count("\n") == 1
    assert finished.stderr.startswith("error: ")
    assert f'Could not connect to the endpoint URL: "{endpoint}/"' in finished.stderr
    assert "Traceback" not in finished.stderr


def test_bad_arguments_are_refused_by_argparse(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["migrate", "--segments", "0"])
    assert exit_.value.code == 2
    assert "--segments: must be at least 1" in capsys.readouterr().err
