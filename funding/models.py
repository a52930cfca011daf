"""Models for this capability arrive with its own issue."""
