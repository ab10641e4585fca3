"""The reminders pass: `reminder` and `streak_at_risk` notifications at the right moment of
each user's own day, sent once per goal, kind and local day (API.md "Reminders and
nudges"). It runs on a schedule and from the command line; it has no routes."""
