"""Items of the accounts feature: the recent attempts behind the abuse limits."""

from __future__ import annotations

from pynamodb.attributes import ListAttribute, NumberAttribute

from ..db import TableItem
from ..db.keys import attempt_log_key


class AttemptLogItem(TableItem, discriminator="attempts"):
    """`LIMIT#<email digest>` / `LIMIT#<action>`: when one action was last attempted for one
    email (epoch seconds, oldest first, only those still inside the limit's window); expires
    with the window after the newest attempt."""

    attempts = ListAttribute(of=NumberAttribute, default=list)

    @classmethod
    def key(cls, email_digest: str, action: str) -> tuple[str, str]:
        return attempt_log_key(email_digest, action)
