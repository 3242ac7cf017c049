"""The producer ledger (特种设备生产单位) through the engine and `jianguan import/export producers`."""

import datetime as dt
import importlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jianguan.core.errors import PermissionDenied
from jianguan.core.importing import get_ledger, run_export, run_import
from jianguan.core.models import ImportBatch
from jianguan.equipment.resources import PRODUCER_HEADERS, PRODUCER_LEDGER
from jianguan.licences.models import Licence

from ..factories import BusinessFactory, make_uscc
from .factories import producer_licence

pytestmark = pytest.mark.django_db


def write_csv(path, rows, encoding="utf-8", headers=PRODUCER_HEADERS):
    lines = [",".join(headers)] + [",".join(f'"{v}"' if "," in str(v) else str(v) for v in r) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def command(name: str):
    return importlib.import_module(f"jianguan.core.management.commands.{name}").Command()


def snapshot():
    return sorted(Licence.objects.values_list("number", "business_id", "item_codes", "valid_until"))


@pytest.fixture
def producers(org):
    return (
        BusinessFactory(subdistrict=org.subs["dongguan"], name="泉城电梯安装有限公司"),
        BusinessFactory(subdistrict=org.subs["xiguan"], name="济南锅炉制造有限公司"),
    )


def test_producers_are_imported(org, producers, tmp_path):
    lifts, boilers = producers
    rows = [
        [lifts.uscc, lifts.name, "安装、改造、修理", "TS3337001-2027", "2027-03-01"],
        [boilers.uscc, boilers.name, "制造，设计; 修理", "TS2137002-2026", "2026年12月31日"],
        [lifts.uscc, lifts.name, "维护保养 维护保养", "TS3337003-2028", "2028/1/1"],
    ]
    result = run_import(PRODUCER_LEDGER, write_csv(tmp_path / "p.csv", rows, "gbk"), actor=org.users.dept)
    assert result.accepted, result.errors
    assert result.created == 3
    licences = {lic.number: lic for lic in Licence.objects.all()}
    assert licences["TS3337001-2027"].item_codes == ["install", "modify", "repair"]
    assert licences["TS3337001-2027"].business == lifts
    assert licences["TS2137002-2026"].item_codes == ["manufacture", "repair", "design"]
    assert licences["TS2137002-2026"].valid_until == dt.date(2026, 12, 31)
    assert licences["TS3337003-2028"].item_codes == ["maintain"]
    assert ImportBatch.objects.get().ledger == "producers"


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        ({"uscc": "unknown"}, "统一社会信用代码", "生产单位“无名制造厂”（"),
        ({"items": "安装、焊接"}, "许可项目", "许可项目“焊接”不在可选值内"),
        ({"items": ""}, "许可项目", "许可项目不能为空"),
        ({"number": ""}, "许可证编号", "许可证编号不能为空"),
        ({"number": "TS-DUP"}, "许可证编号", "与第 2 行重复"),
        ({"valid": "2027-02-30"}, "有效期至", "没有2月30日"),
        ({"valid": ""}, "有效期至", "有效期至不能为空"),
    ],
)
def test_a_bad_row_rejects_the_whole_file(org, producers, tmp_path, cells, column, reason):
    lifts, _ = producers
    producer_licence(lifts, "TS-OLD", dt.date(2026, 1, 1))
    before = snapshot()
    bad = {
        "uscc": lifts.uscc,
        "name": "无名制造厂",
        "items": "制造",
        "number": "TS-NEW",
        "valid": "2027-01-01",
    }
    bad.update(cells)
    if bad["uscc"] == "unknown":
        bad["uscc"] = make_uscc()
    rows = [
        [lifts.uscc, lifts.name, "安装、修理", "TS-DUP", "2027-01-01"],
        [lifts.uscc, lifts.name, "安装", "TS-OLD", "2030-01-01"],
        [bad["uscc"], bad["name"], bad["items"], bad["number"], bad["valid"]],
    ]
    result = run_import(PRODUCER_LEDGER, write_csv(tmp_path / "p.csv", rows))
    assert [(e.row, e.column) for e in result.errors] == [(4, column)], result.errors
    assert reason in result.errors[0].reason
    assert snapshot() == before
    assert not ImportBatch.objects.filter(ledger="producers").exists()


def test_upsert_by_number_and_round_trip(org, producers, tmp_path):
    lifts, boilers = producers
    rows = [
        [lifts.uscc, lifts.name, "安装、改造", "TS1", "2027-01-01"],
        [boilers.uscc, "", "制造", "TS2", "2026-06-30"],
    ]
    assert run_import(PRODUCER_LEDGER, write_csv(tmp_path / "p.csv", rows)).created == 2
    renewed = [[lifts.uscc, lifts.name, "改造、安装、修理", "TS1", "2031-01-01"]]
    result = run_import(PRODUCER_LEDGER, write_csv(tmp_path / "r.csv", renewed))
    assert (result.created, result.updated) == (0, 1)
    licence = Licence.objects.get(number="TS1")
    assert (licence.item_codes, licence.valid_until) == (["install", "modify", "repair"], dt.date(2031, 1, 1))
    assert ImportBatch.objects.latest("pk").changes["updated"][0]["after"]["items"] == "安装、改造、修理"
    for suffix in ("csv", "xlsx"):
        out = tmp_path / f"out.{suffix}"
        assert run_export(PRODUCER_LEDGER, out) == 2
        before = snapshot()
        again = run_import(PRODUCER_LEDGER, out)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
        assert snapshot() == before
    text = (tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()
    assert text[0] == ",".join(PRODUCER_HEADERS)
    assert text[1] == f"{lifts.uscc},{lifts.name},安装、改造、修理,TS1,2031-01-01"


def test_station_user_limited_to_own_producers(org, producers, tmp_path):
    lifts, boilers = producers
    rows = [
        [lifts.uscc, lifts.name, "安装", "TS1", "2027-01-01"],
        [boilers.uscc, boilers.name, "制造", "TS2", "2027-01-01"],
    ]
    result = run_import(PRODUCER_LEDGER, write_csv(tmp_path / "p.csv", rows), actor=org.users.east)
    assert [(e.row, e.column) for e in result.errors] == [(3, "统一社会信用代码")]
    with pytest.raises(PermissionDenied, match="局领导"):
        run_import(PRODUCER_LEDGER, write_csv(tmp_path / "q.csv", rows), actor=org.users.leader)


def test_commands(org, producers, tmp_path, capsys):
    lifts, _ = producers
    path = write_csv(tmp_path / "p.csv", [[lifts.uscc, lifts.name, "安装", "TS1", "2027-01-01"]])
    call_command(command("import"), "producers", str(path))
    assert "新增 1" in capsys.readouterr().out
    call_command(command("export"), "producers", str(tmp_path / "out.xlsx"))
    assert "已导出 1 条记录" in capsys.readouterr().out
    bad = write_csv(tmp_path / "bad.csv", [[make_uscc(), "无名厂", "安装", "TS9", "2027-01-01"]])
    with pytest.raises(CommandError):
        call_command(command("import"), "producers", str(bad))
    assert "生产单位“无名厂”" in capsys.readouterr().err
    assert get_ledger("producers") is PRODUCER_LEDGER


def test_producer_licences_are_licences_of_their_kind_in_the_register(org, producers, tmp_path):
    """Imported producer licences are 特种设备生产许可证 rows of the licence register, with their 许可项目 as codes
    and as names; a number the register holds for another kind is a row error, and the export lists only this kind."""
    from jianguan.licences.models import LicenceKind

    lifts, boilers = producers
    food = Licence.objects.create(number="JY13701990001", kind=LicenceKind.objects.get(code="food_business"),
                                  business=boilers, valid_until=dt.date(2030, 1, 1))
    rows = [[lifts.uscc, lifts.name, "修理、安装", "ts3337001-2027", "2027-03-01"]]
    assert run_import(PRODUCER_LEDGER, write_csv(tmp_path / "p.csv", rows)).created == 1
    licence = Licence.objects.get(number="TS3337001-2027")
    assert (licence.kind.code, licence.sector.code, licence.status) == ("special_equipment", "special_equipment", "valid")
    assert (licence.item_codes, licence.items) == (["install", "repair"], "安装、修理")

    clash = [[boilers.uscc, boilers.name, "制造", "JY13701990001", "2027-01-01"]]
    result = run_import(PRODUCER_LEDGER, write_csv(tmp_path / "c.csv", clash))
    assert [(e.row, e.column) for e in result.errors] == [(2, "许可证编号")]
    assert "已登记为食品经营许可证" in result.errors[0].reason
    food.refresh_from_db()
    assert (food.kind.code, food.valid_until, food.item_codes) == ("food_business", dt.date(2030, 1, 1), [])

    out = tmp_path / "out.csv"
    assert run_export(PRODUCER_LEDGER, out) == 1
    assert "JY13701990001" not in out.read_text(encoding="utf-8-sig")


def test_a_renewal_keeps_the_register_version_and_dates_in_order(org, producers, tmp_path):
    lifts, _ = producers
    licence = producer_licence(lifts, "TS7", dt.date(2027, 1, 1), valid_from=dt.date(2023, 1, 1))
    renewed = [[lifts.uscc, lifts.name, "安装、充装", "TS7", "2031-01-01"]]
    assert run_import(PRODUCER_LEDGER, write_csv(tmp_path / "r.csv", renewed)).updated == 1
    after = Licence.objects.get(pk=licence.pk)
    assert (after.item_codes, after.items, after.version) == (["install", "fill"], "安装、充装", licence.version + 1)
    assert after.issued_on == dt.date(2023, 1, 1)
    before = snapshot()
    early = [[lifts.uscc, lifts.name, "安装", "TS7", "2022-12-31"]]
    result = run_import(PRODUCER_LEDGER, write_csv(tmp_path / "e.csv", early))
    assert [(e.row, e.column) for e in result.errors] == [(2, "有效期至")] and "发证日期" in result.errors[0].reason
    assert snapshot() == before
