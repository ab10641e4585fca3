"""Meals with their items and server-computed nutrition totals (API.md "Meals")."""
