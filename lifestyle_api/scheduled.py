"""Scheduled tasks the same Lambda function runs besides HTTP requests.

An EventBridge Scheduler schedule invokes the function with its own input as the event,
`{"task": "<name>", …}`; `wsgi.handler` sends such events here instead of to apig-wsgi.
Each task is a function `task(event, settings) -> dict` named in `TASKS` by its dotted
path, imported only when it runs, so HTTP cold starts never pay for it. The same
functions back `python -m migrations_scripts`, so a task run by hand and by the schedule
is the same code.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

from .config import Settings
from .observability import logger

TASK_KEY = "task"
# Task name -> "module:function".
TASKS: dict[str, str] = {
    # The second pass of an account deletion, scheduled by the deletion itself.
    "purge-deleted": "lifestyle_api.accounts.deletion:purge_deleted_task",
    "run-reminders": "lifestyle_api.reminders.service:run_reminders_task",
}

Task = Callable[[Mapping[str, Any], Settings], dict[str, Any]]


class UnknownTask(ValueError):
    """The event names a task this function does not run."""


def is_scheduled_task(event: Any) -> bool:
    """A scheduler's event (`{"task": …}`), not an HTTP one (which has a request context)."""
    return isinstance(event, Mapping) and TASK_KEY in event and "requestContext" not in event


def task_named(name: str) -> Task:
    if name not in TASKS:
        raise UnknownTask(f"No scheduled task is called {name!r}.")
    module_name, _, function_name = TASKS[name].partition(":")
    return getattr(importlib.import_module(module_name), function_name)


def run_scheduled_task(event: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    """Run the task the event names and answer its summary (logged as well)."""
    name = str(event[TASK_KEY])
    task = task_named(name)
    logger.info("Scheduled task started", extra={"task": name})
    result = task(event, settings)
    logger.info("Scheduled task finished", extra={"task": name, **result})
    return {"task": name, **result}
