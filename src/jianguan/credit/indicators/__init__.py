"""The figures of credit supervision, one module per part (discovered through this package)."""

from . import annual, lists, risk  # noqa: F401
