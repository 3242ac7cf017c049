"""Licences for the tests, written through the service as a page would."""

import datetime as dt
import itertools

from jianguan.licences.models import LicenceKind, Sector
from jianguan.licences.services import licence_save

_serial = itertools.count(1)


def licence(business, *, kind="food_business", sector="catering_small", issued=dt.date(2024, 1, 1), until=None,
            number=None, **fields):
    return licence_save(actor=None, number=number or f"JY{next(_serial):012d}", kind=LicenceKind.objects.get(code=kind),
                        business=business, sector=Sector.objects.get(code=sector) if sector else None, issued_on=issued,
                        valid_until=until, **fields)
