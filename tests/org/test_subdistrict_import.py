"""The subdistrict ledger: `jianguan import/export subdistricts` with stations created when new."""

import importlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jianguan.core.errors import PermissionDenied
from jianguan.core.importing import run_export, run_import
from jianguan.core.models import ImportBatch
from jianguan.org.choices import OrgKind
from jianguan.org.models import OrgUnit, Subdistrict
from jianguan.org.resources import HEADERS, SUBDISTRICT_LEDGER, next_station_code

from .. import sheets

pytestmark = pytest.mark.django_db


def command(name: str):
    return importlib.import_module(f"jianguan.core.management.commands.{name}").Command()


def write_xlsx(path, rows, headers=HEADERS):
    return sheets.write_xlsx(path, rows, headers)


def snapshot():
    return sorted(Subdistrict.objects.values_list("code", "name", "station__name"))


def test_new_subdistricts_and_station(org, tmp_path):
    path = write_xlsx(
        tmp_path / "s.xlsx",
        [
            [370102005, "新华街道", "东关市场监管所"],
            ["370102006", "北园街道", "北园市场监管所"],
            ["370102007", "南郊镇", "北园市场监管所"],
            ["370102003", "西关街道", "北园市场监管所"],
        ],
    )
    result = run_import(SUBDISTRICT_LEDGER, path, actor=org.users.admin)
    assert result.accepted, result.errors
    assert (result.created, result.updated) == (3, 1)
    station = OrgUnit.objects.get(name="北园市场监管所")
    assert (station.kind, station.code, station.parent) == (OrgKind.STATION, "S3", org.bureau)
    assert Subdistrict.objects.get(code="370102005").station == org.east
    assert set(station.subdistricts.values_list("code", flat=True)) == {"370102006", "370102007", "370102003"}
    batch = ImportBatch.objects.get()
    assert batch.changes["updated"] == [
        {
            "key": "370102003",
            "before": {"station_id": "西关市场监管所"},
            "after": {"station_id": "北园市场监管所"},
        }
    ]


def test_station_codes_skip_taken_ones():
    assert next_station_code({"B", "S1", "S2"}) == "S3"
    assert next_station_code(set()) == "S1"
    assert next_station_code({"S9", "S10x"}) == "S10"


def test_bad_rows_reject_the_whole_file(org, tmp_path):
    before = (snapshot(), OrgUnit.objects.count())
    path = write_xlsx(
        tmp_path / "s.xlsx",
        [
            ["370102009", "新街道", "新监管所"],
            ["370102010", "东关街道", "东关市场监管所"],
            ["370102011", "某街道", "特种设备科"],
            ["370102009", "又一街道", "东关市场监管所"],
            ["370102012", "", "东关市场监管所"],
        ],
    )
    result = run_import(SUBDISTRICT_LEDGER, path)
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "街道名称"),
        (4, "所属监管所"),
        (5, "街道代码"),
        (6, "街道名称"),
    ]
    assert "已被街道代码 370102001 使用" in result.errors[0].reason
    assert "不是市场监管所" in result.errors[1].reason
    assert "与第 2 行重复" in result.errors[2].reason
    assert (snapshot(), OrgUnit.objects.count()) == before


def test_missing_column_lists_headers(org, tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", [["1", "x"]], headers=["街道代码", "街道名称"])
    result = run_import(SUBDISTRICT_LEDGER, path)
    assert (
        result.file_error == "缺少必填列：所属监管所。第 1 行应为表头，依次为：街道代码、街道名称、所属监管所"
    )


def test_only_administrators_import(org, tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", [["370102001", "东关街道", "东关市场监管所"]])
    with pytest.raises(PermissionDenied):
        run_import(SUBDISTRICT_LEDGER, path, actor=org.users.dept)


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_export_import_round_trip_and_twice_unchanged(org, tmp_path, suffix):
    path = tmp_path / f"s.{suffix}"
    assert run_export(SUBDISTRICT_LEDGER, path) == 4
    before = snapshot()
    result = run_import(SUBDISTRICT_LEDGER, path)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert snapshot() == before


def test_commands(org, tmp_path, capsys):
    path = tmp_path / "s.csv"
    call_command(command("export"), "subdistricts", str(path))
    with path.open("a", encoding="utf-8") as fh:
        fh.write("370102099,新区街道,新区市场监管所\r\n")
    call_command(command("import"), "subdistricts", str(path), "--dry-run")
    assert "新增 1，更新 0，未变 4" in capsys.readouterr().out
    assert not OrgUnit.objects.filter(name="新区市场监管所").exists()
    call_command(command("import"), "subdistricts", str(path))
    assert Subdistrict.objects.get(code="370102099").station.name == "新区市场监管所"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("370102100,,东关市场监管所\r\n")
    with pytest.raises(CommandError):
        call_command(command("import"), "subdistricts", str(path))
    assert "7\t街道名称\t街道名称不能为空" in capsys.readouterr().err
