"""Helpers shared by the test layers: AWS fakes, identities, event builders, counters."""
