"""The document engine: numbered documents in the GB/T 9704 layout (see engine.py)."""
