"""The single DynamoDB table: base item and indexes (`base`), every key format (`keys`),
one-request list pages (`query`), versioned updates and conditional deletes (`writes`),
and table creation (`table`)."""

from .base import GSI1, LSI1, LSI2, TTL_ATTRIBUTE, TableItem, configure, connection, transact_write

__all__ = [
    "GSI1",
    "LSI1",
    "LSI2",
    "TTL_ATTRIBUTE",
    "TableItem",
    "configure",
    "connection",
    "transact_write",
]
