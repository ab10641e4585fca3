"""Run by `lifecycle.py` as `python -I -S lifecycle_probe.py TASK_ROOT REPEATS`: one new
container's life, from a task root laid out like the image, against the emulator.

Init (`import wsgi`), then the first request of each feature (`events.features`), then
`REPEATS` more of each. Wall and CPU milliseconds for each step, peak RSS after init and
after each first request, and the botocore clients the process holds at the end, by
service. Prints one JSON line, last.

The caller, its goal and the Cognito login come from the environment (`BENCH_SUB`,
`BENCH_GOAL_ID`, `BENCH_LOGIN`), set up by the parent.
"""

import gc
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

task_root = sys.argv[1]
repeats = int(sys.argv[2])
sys.path.insert(0, task_root)
sys.path.insert(1, str(Path(__file__).resolve().parent))


def _status_mib(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no {field} in /proc/self/status")


def peak_rss_mib() -> float:
    """The process's peak resident memory (Linux). Not getrusage's `ru_maxrss`: that one
    keeps the peak of the process this one was forked from, before its exec."""
    return _status_mib("VmHWM")


def rss_mib() -> float:
    """Resident memory now, beside the peak."""
    return _status_mib("VmRSS")


def call(handler, event, context) -> tuple[float, float]:
    started, started_cpu = time.perf_counter(), time.process_time()
    response = handler(event, context)
    elapsed = (time.perf_counter() - started) * 1000
    cpu = (time.process_time() - started_cpu) * 1000
    if response["statusCode"] >= 300:
        raise RuntimeError(f"{event['rawPath']} answered {response['statusCode']}: {response}")
    return round(elapsed, 2), round(cpu, 2)


started, started_cpu = time.perf_counter(), time.process_time()
import wsgi  # noqa: E402  (the init being measured)

init = {
    "ms": round((time.perf_counter() - started) * 1000, 2),
    "cpu_ms": round((time.process_time() - started_cpu) * 1000, 2),
    "rss_mib": peak_rss_mib(),
    "rss_now_mib": rss_mib(),
}

import events  # noqa: E402  (after the init: not part of it)

today = datetime.now(UTC).date()
steps = events.features(
    os.environ["BENCH_SUB"],
    os.environ["BENCH_GOAL_ID"],
    today,
    json.loads(os.environ["BENCH_LOGIN"]),
)
context = events.Context()
first = []
for name, build in steps:
    ms, cpu_ms = call(wsgi.handler, build(0), context)
    first.append(
        {
            "request": name,
            "ms": ms,
            "cpu_ms": cpu_ms,
            "rss_mib": peak_rss_mib(),
            "rss_now_mib": rss_mib(),
        }
    )

repeat = []
for name, build in steps:
    samples = [call(wsgi.handler, build(i), context) for i in range(1, repeats + 1)]
    repeat.append(
        {
            "request": name,
            "ms": round(statistics.median(ms for ms, _cpu in samples), 2),
            "cpu_ms": round(statistics.median(cpu for _ms, cpu in samples), 2),
        }
    )

import botocore.client  # noqa: E402

gc.unfreeze()  # what init built was frozen out of the collector's sight; count it too
gc.collect()
clients: dict[str, int] = {}
for thing in gc.get_objects():
    if isinstance(thing, botocore.client.BaseClient):
        service = thing.meta.service_model.service_name
        clients[service] = clients.get(service, 0) + 1

result = {"init": init, "first": first, "repeat": repeat, "clients": clients}
result["rss_after_all_mib"] = peak_rss_mib()
result["rss_now_after_all_mib"] = rss_mib()
print(json.dumps(result))
