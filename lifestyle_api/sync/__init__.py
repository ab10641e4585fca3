"""The sync feed of offline-first clients (`GET /sync`)."""
