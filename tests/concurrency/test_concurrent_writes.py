"""Twenty threads writing one goal at once, through the app, against moto in server mode:
no update is lost, every loser was told (409/412) or retried to success, and the final
state is the one the successful responses describe."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

from lifestyle_api.goals.models import CheckInItem
from lifestyle_api.goals.progress import habit_progress
from tests.concurrency.conftest import THREADS
from tests.support.required_routes import require_route
from tests.support.resources import days_ago, goal_body

ALICE = "alice-sub"
MAX_ATTEMPTS = 200
LOSING_STATUSES = {409, 412}


def run_in_threads(work) -> list:
    """`work(index)` on THREADS threads released together."""
    start = threading.Barrier(THREADS)

    def run(index: int):
        start.wait(timeout=30)
        return work(index)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(run, range(THREADS)))


def version(response) -> int:
    return int(response.headers["ETag"].strip('"'))


def test_read_modify_write_with_if_match_loses_nothing(caller):
    goal = caller(ALICE).post("/goals", json={**goal_body(), "description": ""}).json
    url = f"/goals/{goal['goalId']}"

    def append_my_mark(index: int) -> list[int]:
        client = caller(ALICE)
        statuses = []
        for _attempt in range(MAX_ATTEMPTS):
            current = client.get(url)
            assert current.status_code == 200
            description = (current.json["description"] or "") + f"<{index}>"
            response = client.patch(
                url,
                json={"description": description},
                headers={"If-Match": current.headers["ETag"]},
            )
            statuses.append(response.status_code)
            if response.status_code == 200:
                return statuses
            assert response.status_code in LOSING_STATUSES, response.get_json()
        raise AssertionError(f"thread {index} never got its write in: {statuses}")

    outcomes = run_in_threads(append_my_mark)

    final = caller(ALICE).get(url)
    marks = Counter(final.json["description"].replace(">", ">\n").split())
    assert marks == Counter(f"<{i}>" for i in range(THREADS)), "an update was lost"
    assert version(final) == 1 + THREADS
    assert all(statuses[-1] == 200 for statuses in outcomes)
    assert sum(len(statuses) - 1 for statuses in outcomes) > 0, "no thread ever lost a race"


def test_blind_patches_never_overwrite_each_other_silently(caller):
    goal = caller(ALICE).post("/goals", json=goal_body()).json
    url = f"/goals/{goal['goalId']}"

    def set_my_title(index: int):
        return caller(ALICE).patch(url, json={"title": f"title {index}"})

    responses = run_in_threads(set_my_title)

    assert {r.status_code for r in responses} <= {200, *LOSING_STATUSES}
    winners = [r for r in responses if r.status_code == 200]
    assert winners
    versions = [version(r) for r in winners]
    assert len(set(versions)) == len(versions), "two writes claimed the same version"
    final = caller(ALICE).get(url)
    assert version(final) == 1 + len(winners)
    last = max(winners, key=version)
    assert final.json["title"] == last.json["title"]
    for loser in (r for r in responses if r.status_code != 200):
        assert loser.json["error"] in {"Conflict", "Precondition Failed"}


def test_concurrent_check_ins_keep_progress_exact(server_app, caller):
    require_route(server_app, "POST", "/goals/<ulid:goal_id>/check-ins")
    goal = caller(ALICE).post("/goals", json=goal_body()).json
    url = f"/goals/{goal['goalId']}"
    days = [days_ago(index + 1) for index in range(THREADS)]

    def check_in(index: int) -> list[int]:
        client = caller(ALICE)
        statuses = []
        for _attempt in range(MAX_ATTEMPTS):
            response = client.post(f"{url}/check-ins", json={"date": days[index]})
            statuses.append(response.status_code)
            if response.status_code in (200, 201):
                return statuses
            assert response.status_code in LOSING_STATUSES, response.get_json()
        raise AssertionError(f"check-in {days[index]} never went in: {statuses}")

    outcomes = run_in_threads(check_in)
    assert all(statuses[-1] == 201 for statuses in outcomes)

    with server_app.app_context():
        stored = {
            item.day
            for item in CheckInItem.query(
                f"USER#{ALICE}", CheckInItem.sk.startswith(f"CHECKIN#{goal['goalId']}#")
            )
        }
    assert stored == {date.fromisoformat(day) for day in days}
    progress = caller(ALICE).get(url).json["progress"]
    expected = habit_progress(stored, datetime.now(UTC).date())
    assert progress == {
        "streakCurrent": expected.streak_current,
        "streakLongest": expected.streak_longest,
        "lastCheckInDate": expected.last_check_in_date.isoformat(),
        "checkInCount": expected.check_in_count,
    }
    assert progress["checkInCount"] == THREADS
