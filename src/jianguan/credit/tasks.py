"""Periodic jobs of credit supervision (discovered by core.scheduler)."""

import datetime as dt

from jianguan.core.schedule import periodic


@periodic("credit.serious_expire", every=dt.timedelta(days=1), label="每日移出期满的严重违法失信名单记录")
def serious_expire_daily() -> int:
    # The public look-up filters by status: this keeps the stored status true the day after the period ends.
    from .services.serious import serious_expire

    return len(serious_expire())
