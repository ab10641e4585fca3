"""Summaries: what a day and a week add up to (API.md "Summaries")."""
