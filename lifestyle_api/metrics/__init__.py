"""Health metrics in canonical units, deduplicated by source (API.md "Health metrics")."""
