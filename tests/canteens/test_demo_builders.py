"""The demo builders of canteens and 包保 on a small district, with canteen and food licences made here (the
demo's own licences come from demo/licences.py, which the full demo test checks with the same functions)."""

import datetime as dt

import pytest

from jianguan.demo.baobao import build_baobao
from jianguan.demo.canteens import build_canteens
from jianguan.demo.district import build_businesses, build_org
from jianguan.licences.models import Licence

from ..demo.baobao_checks import check_baobao_demo
from ..demo.canteens_checks import check_canteens_demo
from .helpers import licence

pytestmark = pytest.mark.django_db

SECTORS = ["school_canteen", "kindergarten_canteen", "unit_canteen", "care_canteen", "catering_large", "catering_medium",
           "catering_small", "supermarket", "grocery", "central_kitchen"]


def test_demo_builders(client):
    _, subdistricts, _ = build_org()
    build_businesses(subdistricts, 600, seed=5)
    from jianguan.businesses.models import Business

    if not Licence.objects.filter(sector__canteen="school").exists():
        for n, business in enumerate(Business.objects.order_by("pk")[:400]):
            licence(business.subdistrict, SECTORS[n % len(SECTORS)], business=business,
                    issued_on=dt.date(2020 + n % 5, 1 + n % 12, 1), valid_until=dt.date(2030, 1, 1))
    canteens = build_canteens(2026)
    baobao = build_baobao(2026)
    demo = f"{canteens.summary()}\n{baobao.summary()}"
    print(demo)
    assert canteens.school > 0 and canteens.evaluated > 0
    check_canteens_demo(client, demo)
    check_baobao_demo(client, demo)
