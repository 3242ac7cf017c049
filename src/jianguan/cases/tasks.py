"""Periodic jobs of cases (discovered by core.scheduler)."""

import datetime as dt

from jianguan.core.schedule import periodic


@periodic("cases.publication_expire", every=dt.timedelta(days=1), label="每日标记公示期满的行政处罚信息")
def publication_expire_daily() -> int:
    # The public page filters by date anyway; this keeps the stored status (and the timeline) true.
    from .services.publication import publication_expire

    return publication_expire()
