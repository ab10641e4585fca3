"""Conditional writes as the admin scripts make them: whether a write's condition held.

A migration or a seed that finds its condition failed has lost a race it is meant to lose
(the item changed, went, or already exists), so that is an answer, not an error.
"""

from __future__ import annotations

from collections.abc import Callable

from pynamodb.exceptions import PynamoDBException
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from lifestyle_api.db import TableItem
from lifestyle_api.db.errors import is_condition_failure


def condition_held(write: Callable[[], object]) -> bool:
    """Run one conditional write; `False` when its condition did not hold."""
    try:
        write()
    except PynamoDBException as exc:
        if is_condition_failure(exc):
            return False
        raise
    return True


def update_keeping_version(item: TableItem, actions: list[Action], condition: Condition) -> bool:
    """One UpdateItem on `item`'s key that leaves its version alone, so nothing a client sees
    changes (`Model.update` would bump it); `False` when `condition` did not hold."""
    model = type(item)
    return condition_held(
        lambda: model._get_connection().update_item(
            item.pk, item.sk, actions=actions, condition=condition
        )
    )
