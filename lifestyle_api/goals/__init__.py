"""Goals: habits done by check-ins and targets reached from metrics (API.md "Goals")."""
