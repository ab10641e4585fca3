"""The coach: insights and goal suggestions from the user's own data (API.md "Coach")."""
