"""The producer ledger (特种设备生产单位) through the engine and `jianguan import/export producers`."""

import datetime as dt
import importlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jianguan.core.errors import PermissionDenied
from jianguan.core.importing import get_ledger, run_export, run_import
from jianguan.core.models import ImportBatch
from jianguan.equipment.models import ProducerLicence
from jianguan.equipment.resources import PRODUCER_HEADERS, PRODUCER_LEDGER

from ..factories import BusinessFactory, make_uscc

pytestmark = pytest.mark.django_db


def write_csv(path, rows, encoding="utf-8", headers=PRODUCER_HEADERS):
    lines = [",".join(headers)] + [",".join(f'"{v}"' if "," in str(v) else str(v) for v in r) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def command(name: str):
    return importlib.import_module(f"jianguan.core.management.commands.{name}").Command()


def snapshot():
    return sorted(ProducerLicence.objects.values_list("number", "business_id", "items", "valid_until"))


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
    licences = {lic.number: lic for lic in ProducerLicence.objects.all()}
    assert licences["TS3337001-2027"].items == ["install", "modify", "repair"]
    assert licences["TS3337001-2027"].business == lifts
    assert licences["TS2137002-2026"].items == ["manufacture", "repair", "design"]
    assert licences["TS2137002-2026"].valid_until == dt.date(2026, 12, 31)
    assert licences["TS3337003-2028"].items == ["maintain"]
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
    ProducerLicence.objects.create(
        business=lifts, number="TS-OLD", items=["install"], valid_until=dt.date(2026, 1, 1)
    )
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
    licence = ProducerLicence.objects.get(number="TS1")
    assert (licence.items, licence.valid_until) == (["install", "modify", "repair"], dt.date(2031, 1, 1))
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
