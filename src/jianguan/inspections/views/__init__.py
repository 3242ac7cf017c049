"""The inspections module's HTML pages, one module per page family (urls.py names each view)."""
