"""Every write of credit supervision (see the modules). Importing this package registers the calendar
callback that moves provisional due dates, and the monthly risk scoring with the scheduler."""

from . import common, risk  # noqa: F401
