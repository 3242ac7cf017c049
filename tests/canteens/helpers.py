"""Canteen licences for the tests, written directly as test data (the licences app's own factories are not ours)."""

import datetime as dt
import itertools

from jianguan.licences.models import Licence, LicenceKind, Sector

from ..factories import BusinessFactory

_serial = itertools.count(1)


def licence(subdistrict, sector="school_canteen", *, kind="food_business", business=None, issued_on=dt.date(2024, 1, 1),
            valid_until=dt.date(2029, 1, 1), **kw) -> Licence:
    business = business or BusinessFactory(subdistrict=subdistrict, entity_type=kw.pop("entity_type", "enterprise"))
    return Licence.objects.create(
        number=f"JY3370102{next(_serial):07d}", kind=LicenceKind.objects.get(code=kind), business=business,
        sector=Sector.objects.get(code=sector), issued_on=issued_on, valid_until=valid_until, **kw)
