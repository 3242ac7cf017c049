import datetime as dt

import factory

from jianguan.equipment.models import CatalogueEntry, Equipment

from ..factories import BusinessFactory, SubdistrictFactory


class EquipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Equipment

    reg_code = factory.Sequence(lambda n: f"31103701{n:012d}")
    type = factory.LazyFunction(lambda: CatalogueEntry.objects.get(code="3000"))
    category = factory.LazyFunction(lambda: CatalogueEntry.objects.get(code="3100"))
    operator = factory.SubFactory(BusinessFactory)
    subdistrict = factory.SubFactory(SubdistrictFactory)
    address = "测试路1号"
    registered_on = dt.date(2020, 5, 1)
    status = "in_use"


def producer_licence(business, number: str, valid_until: dt.date, *, valid_from: dt.date | None = None,
                     items=("install",), **extra):
    """A 特种设备生产许可证 in the licence register, as `jianguan import producers` writes it."""
    from jianguan.equipment.choices import PRODUCER_LICENCE_KIND, LicenceItem
    from jianguan.licences.models import Licence, LicenceKind

    labels = dict(LicenceItem.choices)
    return Licence.objects.create(
        business=business, number=number, kind=LicenceKind.objects.get(code=PRODUCER_LICENCE_KIND),
        item_codes=list(items), items="、".join(labels[i] for i in items), valid_until=valid_until,
        issued_on=valid_from, **extra,
    )
