"""Periodic jobs: each app registers its own in its `tasks.py` with @periodic; the scheduler run by
the worker (see `jianguan serve`) calls those that are due. The registry lives here, in the ground
floor, so that apps never learn about the process that runs them."""

import dataclasses
import datetime as dt
from collections.abc import Callable


@dataclasses.dataclass(frozen=True)
class PeriodicJob:
    key: str
    label: str
    every: dt.timedelta
    func: Callable[[], object]


PERIODIC: dict[str, PeriodicJob] = {}


def periodic(key: str, *, every: dt.timedelta, label: str) -> Callable:
    """Register `func` to run every `every` (at the earliest; a missed run happens once on start)."""

    def register(func: Callable[[], object]) -> Callable[[], object]:
        PERIODIC[key] = PeriodicJob(key=key, label=label, every=every, func=func)
        return func

    return register
