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
