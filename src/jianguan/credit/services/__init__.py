"""Every write of credit supervision (see the modules). Importing this package registers the calendar
callback that moves provisional due dates."""

from . import common  # noqa: F401
