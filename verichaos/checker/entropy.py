"""The entropy claims (not yet)."""
