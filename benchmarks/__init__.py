"""Benchmarks: cold start, warm overhead, DynamoDB cost per route, scaling with history.

Run with `make bench` (or `python -m benchmarks`); `--quick` is the small run CI uses to
prove the suite works. Figures are printed as a table and written as JSON; nothing here is
ever a timed test.
"""
