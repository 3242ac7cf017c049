"""Log filters used by settings.LOGGING."""

import logging


class RefusalsOneLine(logging.Filter):
    """A refused request (4xx: permission denied, not found, a suspicious Host) is logged as one line.

    Django logs a PermissionDenied or a SuspiciousOperation with its traceback, which buries the real
    errors (5xx, whose tracebacks are kept) under pages of refusals that are working as intended.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.name.startswith("django.security") or (status is not None and 400 <= status < 500):
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
