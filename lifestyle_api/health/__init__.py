"""`GET /health`: liveness, public."""
