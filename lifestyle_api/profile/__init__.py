"""The user's profile: timezone, unit system, daily targets (API.md "Profile")."""
