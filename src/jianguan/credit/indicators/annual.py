"""Figures registered on import (see the package)."""
