"""The licence ledger through `jianguan import/export licences`: a bad row says what is wrong in Chinese and
keeps the whole file out; the export has the import's headers and reads back unchanged."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from jianguan.core.importing import run_export, run_import
from jianguan.core.models import ImportBatch
from jianguan.licences.models import Licence
from jianguan.licences.resources import HEADERS, LICENCE_LEDGER

from .. import sheets
from ..factories import BusinessFactory, make_uscc
from .factories import licence

pytestmark = pytest.mark.django_db


def snapshot():
    return sorted(Licence.objects.values_list("number", "kind__code", "business_id", "sector__code", "items", "issued_on",
                                              "valid_until", "status", "status_date", "version"))


@pytest.fixture
def holders(org):
    return (BusinessFactory(subdistrict=org.subs["dongguan"], name="东关小吃店"),
            BusinessFactory(subdistrict=org.subs["xiguan"], name="西关大药房"))


def _row(b, number="JY001", kind="食品经营许可证", sector="小型餐饮", issued="2024-01-01", until="2029-01-01", status="有效",
         name=None):
    return [number, kind, b.uscc, b.name if name is None else name, sector, "热食类食品制售", issued, until, status]


def test_import_creates_and_updates_by_number(org, holders, tmp_path):
    shop, pharmacy = holders
    rows = [_row(shop), _row(pharmacy, "YP001", "药品经营许可证（零售）", "药品零售", name=""),
            _row(shop, "JY002", "仅销售预包装食品备案", "便利店", until="", status="")]
    result = run_import(LICENCE_LEDGER, sheets.write_xlsx(tmp_path / "a.xlsx", rows, HEADERS), actor=org.users.dept)
    assert result.accepted, result.errors
    assert result.created == 3
    filing = Licence.objects.get(number="JY002")
    assert (filing.kind.code, filing.sector.code, filing.valid_until, filing.status) == ("food_prepack_filing", "convenience", None, "valid")
    # The same number again is an update; 注销 is dated the day of the import.
    rows = [_row(shop, status="注销")]
    result = run_import(LICENCE_LEDGER, sheets.write_xlsx(tmp_path / "b.xlsx", rows, HEADERS), actor=org.users.dept)
    assert (result.created, result.updated) == (0, 1)
    ended = Licence.objects.get(number="JY001")
    assert (ended.status, ended.status_date, ended.version) == ("cancelled", timezone.localdate(), 2)


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        ({"uscc": "unknown"}, "统一社会信用代码", "不在市场主体台账中"),
        ({"kind": "烟草专卖许可证"}, "许可种类", "许可种类“烟草专卖许可证”不在可选值内"),
        ({"sector": "网吧"}, "主体业态", "主体业态“网吧”不在可选值内"),
        ({"name": "别的名称"}, "主体名称", "与市场主体台账中该代码的名称“东关小吃店”不一致"),
        ({"until": "2023-12-31"}, "有效期至", "早于发证日期"),
        ({"status": "暂停"}, "状态", "状态“暂停”不在可选值内"),
        ({"status": "过期", "until": "2099-01-01"}, "状态", "有效期至须早于今天"),
        ({"issued": ""}, "发证日期", "不能为空"),
        ({"number": "JY-DUP"}, "许可证编号", "与第 2 行重复"),
    ],
)
def test_a_bad_row_rejects_the_whole_file(org, holders, tmp_path, cells, column, reason):
    shop, _ = holders
    licence(shop, number="JY-OLD")
    before = snapshot()
    bad = {"number": "JY-NEW", "kind": "食品经营许可证", "sector": "小型餐饮", "issued": "2024-01-01", "until": "2029-01-01",
           "status": "有效", "name": None, **cells}
    target = shop
    if bad.pop("uscc", None) == "unknown":
        target = BusinessFactory.build(uscc=make_uscc(), name="无名小店")
    rows = [_row(shop, "JY-DUP"), _row(shop, "JY-OLD", until="2030-01-01"), _row(target, **bad)]
    result = run_import(LICENCE_LEDGER, sheets.write_xlsx(tmp_path / "bad.xlsx", rows, HEADERS), actor=org.users.dept)
    assert [(e.row, e.column) for e in result.errors] == [(4, column)], result.errors
    assert reason in result.errors[0].reason
    assert snapshot() == before  # nothing of the file was written, not even its good rows
    assert not ImportBatch.objects.filter(ledger="licences").exists()


def test_command_line_import_refuses_a_bad_file(org, holders, tmp_path):
    shop, _ = holders
    path = sheets.write_xlsx(tmp_path / "bad.xlsx", [_row(shop), _row(shop, "JY2", kind="无此种类")], HEADERS)
    with pytest.raises(Exception):  # noqa: B017 — the command fails, whatever its class of error
        call_command("import", "licences", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert not Licence.objects.exists()


def test_station_imports_only_its_jurisdiction(org, holders, tmp_path):
    shop, pharmacy = holders
    rows = [_row(shop), _row(pharmacy, "YP001", "药品经营许可证（零售）", "药品零售")]
    result = run_import(LICENCE_LEDGER, sheets.write_xlsx(tmp_path / "s.xlsx", rows, HEADERS), actor=org.users.east)
    assert [(e.row, e.column) for e in result.errors] == [(3, "统一社会信用代码")]
    assert "其他监管所辖区" in result.errors[0].reason
    assert not Licence.objects.exists()


def test_export_has_the_import_headers_and_round_trips(org, holders, tmp_path):
    shop, pharmacy = holders
    licence(shop, number="JY1", until=dt.date(2029, 1, 1), items="热食类食品制售")
    licence(shop, number="JY2", kind="food_prepack_filing", sector="", until=None)
    licence(pharmacy, number="YP1", kind="drug_retail", sector="drug_retail", until=dt.date(2025, 1, 1))
    ended = licence(pharmacy, number="YP2", kind="drug_retail", sector="drug_retail", until=dt.date(2030, 1, 1))
    from jianguan.licences.services import licence_end

    licence_end(actor=None, pk=ended.pk, status="revoked", on=dt.date(2025, 6, 1))
    for suffix in ("xlsx", "csv"):
        out = tmp_path / f"out.{suffix}"
        assert run_export(LICENCE_LEDGER, out) == 4
        before = snapshot()
        again = run_import(LICENCE_LEDGER, out)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 4), again.errors
        assert snapshot() == before  # the revocation keeps its own date
    lines = (tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == ",".join(HEADERS)
    assert f"YP2,药品经营许可证（零售）,{pharmacy.uscc},{pharmacy.name},药品零售,,2024-01-01,2030-01-01,吊销" in lines
    # A station exports its jurisdiction only.
    assert run_export(LICENCE_LEDGER, tmp_path / "east.csv", actor=org.users.east) == 2
