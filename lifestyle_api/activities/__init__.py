"""Activities: workouts and other sessions a user logs (API.md "Activities")."""
