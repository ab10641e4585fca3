"""Admin scripts operators run against a real table: `python -m migrations_scripts <command>`.

`create-table`, `migrate [--dry-run] [--segments N]`, `seed --demo`, `status` and
`report active-goals` (API.md "Operations"). Each takes `--table`, `--endpoint-url` and
`--region`, prints what it will touch before touching it, and exits non-zero with a
one-line message when it fails.
"""
