"""Factories shared by the suite: a small bureau with two stations, and businesses with valid USCCs."""

import datetime as dt
import itertools

import factory

from jianguan.businesses.models import Business
from jianguan.businesses.rules import with_check_digit
from jianguan.org.choices import OrgKind, Role
from jianguan.org.models import OrgUnit, Subdistrict, User

_serial = itertools.count(1)


def make_uscc(entity_digit: str = "1", n: int | None = None) -> str:
    n = next(_serial) if n is None else n
    return with_check_digit(f"9{entity_digit}370102{n:09d}")


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    kind = OrgKind.STATION
    code = factory.Sequence(lambda n: f"S{n:02d}")
    name = factory.Sequence(lambda n: f"第{n}市场监管所")


class SubdistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subdistrict
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"370102{n:03d}")
    name = factory.Sequence(lambda n: f"第{n}街道")
    station = factory.SubFactory(OrgUnitFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.STATION
    password = factory.django.Password("Jianguan#2026")


class BusinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Business

    uscc = factory.LazyFunction(make_uscc)
    name = factory.Sequence(lambda n: f"历下区测试商贸有限公司{n}")
    entity_type = "enterprise"
    legal_rep = "张三"
    address = "测试路1号"
    subdistrict = factory.SubFactory(SubdistrictFactory)
    established_on = dt.date(2020, 1, 1)
