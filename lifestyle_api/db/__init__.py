"""The single DynamoDB table: base item, indexes, key formats and table creation."""

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
