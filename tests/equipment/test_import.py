"""The equipment ledger through the engine and `jianguan import/export equipment`."""

import datetime as dt
import importlib
import itertools

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianguan.businesses.models import Business
from jianguan.core.errors import PermissionDenied
from jianguan.core.importing import get_ledger, run_export, run_import
from jianguan.core.models import ImportBatch
from jianguan.equipment.models import Equipment, Examination
from jianguan.equipment.resources import EQUIPMENT_HEADERS, EQUIPMENT_LEDGER, entity_type_from_uscc
from jianguan.equipment.services import estimated_due, examination_record

from .. import sheets
from ..factories import BusinessFactory, make_uscc
from .factories import EquipmentFactory

pytestmark = pytest.mark.django_db

_codes = itertools.count(1)


def reg_code() -> str:
    return f"3110370102{next(_codes):010d}"


def row(
    reg=None,
    kind="电梯",
    category="曳引与强制驱动电梯",
    variety="",
    uscc="",
    name="历下区示例物业有限公司",
    street="东关街道",
    registered="2020-05-01",
    status="",
    status_date="",
    exam="",
    conclusion="",
    next_due="",
    maintainer="",
    insured="",
):
    return [
        reg or reg_code(),
        kind,
        category,
        variety,
        uscc,
        name,
        "示例路1号",
        street,
        "梯11鲁A0001(20)",
        registered,
        status,
        status_date,
        exam,
        conclusion,
        next_due,
        maintainer,
        insured,
    ]


def write_xlsx(path, rows, headers=EQUIPMENT_HEADERS):
    return sheets.write_xlsx(path, rows, headers)


def write_csv(path, rows, encoding="utf-8", headers=EQUIPMENT_HEADERS):
    lines = [",".join(headers)] + [",".join("" if v is None else str(v) for v in r) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def command(name: str):
    return importlib.import_module(f"jianguan.core.management.commands.{name}").Command()


def snapshot():
    return (
        sorted(
            Equipment.objects.values_list(
                "reg_code",
                "type_id",
                "category_id",
                "operator_id",
                "status",
                "next_due",
                "last_conclusion",
                "version",
            )
        ),
        sorted(Examination.objects.values_list("equipment__reg_code", "date", "conclusion", "next_due")),
        sorted(Business.objects.values_list("uscc", "name")),
    )


@pytest.fixture
def units(org):
    operator = BusinessFactory(subdistrict=org.subs["dongguan"], name="东关物业有限公司")
    maintainer = BusinessFactory(subdistrict=org.subs["xiguan"], name="泉城电梯维保有限公司")
    return operator, maintainer


def test_valid_ledger_is_imported(org, units, tmp_path):
    operator, maintainer = units
    rows = [
        row(
            reg="31103701020000000001",
            uscc=operator.uscc,
            exam="2025-12-01",
            conclusion="合格",
            next_due="2026-12-01",
            maintainer=maintainer.uscc,
            insured="2026-12-31",
        ),
        row(
            reg="21103701020000000002",
            kind="2000",
            category="2100",
            variety="第三类压力容器",
            uscc=operator.uscc,
            street="370102003",
            status="停用",
            status_date="2025-03-01",
        ),
        row(
            reg="51103701020000000003",
            kind="场（厂）内专用机动车辆",
            category="",
            variety="叉车",
            uscc=operator.uscc,
            registered=dt.datetime(2024, 6, 1),
        ),
    ]
    result = run_import(EQUIPMENT_LEDGER, write_xlsx(tmp_path / "e.xlsx", rows), actor=org.users.dept)
    assert result.accepted, result.errors
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    lift = Equipment.objects.get(reg_code="31103701020000000001")
    assert (lift.type_id, lift.category_id, lift.variety_id) == ("3000", "3100", None)
    assert (lift.operator, lift.maintainer, lift.subdistrict) == (operator, maintainer, org.subs["dongguan"])
    assert (lift.next_due, lift.next_due_estimated, lift.last_conclusion) == (
        dt.date(2026, 12, 1),
        False,
        "passed",
    )
    assert lift.insurance_until == dt.date(2026, 12, 31)
    exam = Examination.objects.get()
    assert (exam.equipment, exam.date, exam.conclusion, exam.next_due) == (
        lift,
        dt.date(2025, 12, 1),
        "passed",
        dt.date(2026, 12, 1),
    )
    vessel = Equipment.objects.get(reg_code="21103701020000000002")
    assert (vessel.type_id, vessel.category_id, vessel.variety_id) == ("2000", "2100", "2130")
    assert (vessel.status, vessel.status_date, vessel.subdistrict) == (
        "idle",
        dt.date(2025, 3, 1),
        org.subs["xiguan"],
    )
    forklift = Equipment.objects.get(reg_code="51103701020000000003")
    # 类别 left empty is taken from the 品种.
    assert (forklift.category_id, forklift.variety_id, forklift.registered_on) == (
        "5100",
        "5110",
        dt.date(2024, 6, 1),
    )
    batch = ImportBatch.objects.get()
    assert (batch.ledger, batch.created_count, batch.actor) == ("equipment", 3, org.users.dept)


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (("3000", "3100", "3110"), ("3000", "3100", "3110")),
        (("电梯", "曳引与强制驱动电梯", "曳引驱动乘客电梯"), ("3000", "3100", "3110")),
        (("4000", "4a00", ""), ("4000", "4A00", None)),
        (("压力容器", "气瓶", "特种气瓶"), ("2000", "2300", "23T0")),
        (("起重机械", "", ""), ("4000", None, None)),
    ],
)
def test_catalogue_by_code_or_name(org, units, tmp_path, cells, expected):
    kind, category, variety = cells
    path = write_csv(
        tmp_path / "e.csv", [row(kind=kind, category=category, variety=variety, uscc=units[0].uscc)]
    )
    result = run_import(EQUIPMENT_LEDGER, path)
    assert result.accepted, result.errors
    device = Equipment.objects.get()
    assert (device.type_id, device.category_id, device.variety_id) == expected


def _bad_cases(operator_uscc, maintainer_uscc):
    duplicate = reg_code()
    stranger = make_uscc()
    wrong_digit = stranger[:-1] + ("0" if stranger[-1] != "0" else "1")
    u = operator_uscc
    return [
        ("unknown type code", [row(uscc=u, kind="3900")], 2, "设备种类", "设备种类“3900”不在特种设备目录中"),
        (
            "unknown type name",
            [row(uscc=u), row(uscc=u, kind="电扶梯")],
            3,
            "设备种类",
            "“电扶梯”不在特种设备目录中",
        ),
        (
            "category as type",
            [row(uscc=u, kind="3100")],
            2,
            "设备种类",
            "是设备类别（3100 曳引与强制驱动电梯），不是设备种类",
        ),
        ("unknown category", [row(uscc=u, category="9999")], 2, "设备类别", "不在特种设备目录中"),
        (
            "category of another type",
            [row(uscc=u, category="2100")],
            2,
            "设备类别",
            "“固定式压力容器”不属于设备种类“电梯”",
        ),
        (
            "category by name of another type",
            [row(uscc=u, category="叉车")],
            2,
            "设备类别",
            "是设备品种（5110 叉车），不是设备类别",
        ),
        (
            "variety of another category",
            [row(uscc=u, variety="3310")],
            2,
            "设备品种",
            "“自动扶梯”不属于设备类别“曳引与强制驱动电梯”",
        ),
        (
            "pressure piping element",
            [row(uscc=u, kind="7000", category="")],
            2,
            "设备种类",
            "压力管道元件不办理使用登记",
        ),
        (
            "pressure piping element by name",
            [row(uscc=u, kind="压力管道元件", category="7100")],
            2,
            "设备种类",
            "压力管道元件不办理使用登记",
        ),
        (
            "safety accessory",
            [row(uscc=u, kind="F000", category="")],
            2,
            "设备种类",
            "安全附件不办理使用登记",
        ),
        (
            "next due before exam",
            [row(uscc=u, exam="2025-12-01", conclusion="合格", next_due="2025-11-30")],
            2,
            "下次检验日期",
            "应晚于上次检验日期",
        ),
        (
            "next due on exam day",
            [row(uscc=u, exam="2025-12-01", conclusion="合格", next_due="2025-12-01")],
            2,
            "下次检验日期",
            "应晚于上次检验日期",
        ),
        (
            "conclusion without exam",
            [row(uscc=u, conclusion="合格", next_due="2026-12-01")],
            2,
            "上次检验日期",
            "填写检验结论时必须填写上次检验日期",
        ),
        (
            "exam without conclusion",
            [row(uscc=u, exam="2025-12-01", next_due="2026-12-01")],
            2,
            "检验结论",
            "必须填写检验结论",
        ),
        (
            "unknown conclusion",
            [row(uscc=u, exam="2025-12-01", conclusion="基本合格")],
            2,
            "检验结论",
            "“基本合格”不在可选值内",
        ),
        (
            "duplicate registration code",
            [row(reg=duplicate, uscc=u), row(uscc=u), row(reg=duplicate, uscc=u)],
            4,
            "设备注册代码",
            "与第 4 行重复（同一文件中不能出现两次）",
        ),
        (
            "operator not in registry",
            [row(uscc=stranger, name="无名物业")],
            2,
            "使用单位统一社会信用代码",
            "使用单位“无名物业”（" + stranger + "）不在市场主体台账中",
        ),
        ("operator uscc check digit", [row(uscc=wrong_digit)], 2, "使用单位统一社会信用代码", "校验位错误"),
        ("operator uscc empty", [row(uscc="")], 2, "使用单位统一社会信用代码", "不能为空"),
        (
            "maintainer not in registry",
            [row(uscc=u, maintainer=stranger)],
            2,
            "维保单位统一社会信用代码",
            "不在市场主体台账中",
        ),
        (
            "unknown status",
            [row(uscc=u, status="闲置")],
            2,
            "设备状态",
            "设备状态“闲置”不在可选值内（在用、停用、报废、注销）",
        ),
        (
            "status without date",
            [row(uscc=u, status="报废")],
            2,
            "状态日期",
            "设备状态为“报废”时必须填写状态日期",
        ),
        (
            "status date before registration",
            [row(uscc=u, status="停用", status_date="2019-01-01")],
            2,
            "状态日期",
            "早于登记日期",
        ),
        ("unknown subdistrict", [row(uscc=u, street="火星街道")], 2, "所属街道", "所属街道“火星街道”不存在"),
        ("bad registration date", [row(uscc=u, registered="2025-02-30")], 2, "登记日期", "没有2月30日"),
        ("empty registration date", [row(uscc=u, registered="")], 2, "登记日期", "登记日期不能为空"),
        ("empty registration code", [row(reg=" ", uscc=u)], 2, "设备注册代码", "设备注册代码不能为空"),
    ]


BAD_IDS = [case[0] for case in _bad_cases("X", "Y")]


@pytest.mark.parametrize("case", BAD_IDS)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_bad_row_rejects_the_whole_file(org, units, tmp_path, case, fmt):
    operator, maintainer = units
    _, rows, bad_row, column, reason = next(
        c for c in _bad_cases(operator.uscc, maintainer.uscc) if c[0] == case
    )
    existing = EquipmentFactory(
        operator=operator, subdistrict=org.subs["dongguan"], registered_on=dt.date(2020, 5, 1)
    )
    before = snapshot()
    # An update of an existing device and a new device with its examination, in the same file,
    # must be rolled back too (the bad row comes after them; the duplicate case counts them).
    good = [
        row(reg=existing.reg_code, uscc=operator.uscc, street="解放路街道"),
        row(uscc=operator.uscc, exam="2025-01-02", conclusion="合格", next_due="2026-01-02"),
    ]
    writer = write_xlsx if fmt == "xlsx" else write_csv
    result = run_import(EQUIPMENT_LEDGER, writer(tmp_path / f"e.{fmt}", [*good, *rows]))
    assert not result.accepted
    assert [(e.row, e.column) for e in result.errors] == [(bad_row + 2, column)], result.errors
    assert reason in result.errors[0].reason
    assert snapshot() == before
    assert not ImportBatch.objects.exists()


def test_every_error_of_the_file_is_reported(org, units, tmp_path):
    u = units[0].uscc
    rows = [row(uscc=u, kind="7000", category=""), row(uscc=u), row(uscc=u, category="2100", status="停用")]
    result = run_import(EQUIPMENT_LEDGER, write_csv(tmp_path / "e.csv", rows))
    assert [(e.row, e.column) for e in result.errors] == [(2, "设备种类"), (4, "设备类别"), (4, "状态日期")]
    assert not Equipment.objects.exists()


def test_missing_required_column(org, tmp_path):
    headers = [h for h in EQUIPMENT_HEADERS if h != "设备种类"]
    result = run_import(EQUIPMENT_LEDGER, write_xlsx(tmp_path / "e.xlsx", [row()[:1] + row()[2:]], headers))
    assert result.file_error.startswith("缺少必填列：设备种类。")
    assert "、".join(EQUIPMENT_HEADERS) in result.file_error


def test_optional_columns_may_be_left_out(org, units, tmp_path):
    headers = ["设备注册代码", "设备种类", "使用单位统一社会信用代码", "所属街道", "登记日期"]
    path = write_csv(
        tmp_path / "e.csv",
        [["41103701020000000009", "起重机械", units[0].uscc, "东关街道", "2025-01-10"]],
        headers=headers,
    )
    result = run_import(EQUIPMENT_LEDGER, path)
    assert result.accepted, result.errors
    device = Equipment.objects.get()
    assert (device.status, device.category_id, device.maintainer) == ("in_use", None, None)
    assert (device.next_due, device.next_due_estimated) == (dt.date(2027, 1, 10), True)


# ---- operators ------------------------------------------------------------------------------


def test_create_operators_makes_businesses_to_verify(org, tmp_path):
    enterprise, individual, coop = make_uscc("1"), make_uscc("2"), make_uscc("3")
    rows = [
        row(uscc=enterprise, name="新建物业有限公司", registered="2019-03-04"),
        row(uscc=enterprise, name="新建物业有限公司", street="西关街道"),
        row(
            uscc=individual,
            name="张三便利店",
            kind="场（厂）内专用机动车辆",
            category="5100",
            street="西关街道",
        ),
        row(uscc=coop, name="泉城农民专业合作社", kind="锅炉", category="1100"),
    ]
    path = write_csv(tmp_path / "e.csv", rows)
    assert not run_import(EQUIPMENT_LEDGER, path).accepted
    assert not Business.objects.exists()
    ledger = EQUIPMENT_LEDGER.for_run(create_operators=True)
    result = run_import(ledger, path)
    assert result.accepted, result.errors
    assert result.created == 4
    created = {b.uscc: b for b in Business.objects.all()}
    assert set(created) == {enterprise, individual, coop}
    first = created[enterprise]
    assert (first.name, first.entity_type, first.needs_verification) == (
        "新建物业有限公司",
        "enterprise",
        True,
    )
    assert (first.subdistrict, first.established_on) == (org.subs["dongguan"], dt.date(2019, 3, 4))
    assert created[individual].entity_type == "individual"
    assert created[individual].subdistrict == org.subs["xiguan"]
    assert created[coop].entity_type == "cooperative"
    assert Equipment.objects.filter(operator=first).count() == 2
    notes = ledger.notes()
    assert notes[0].startswith("新建待核实使用单位 3 家：")
    assert f"新建物业有限公司（{enterprise}）" in notes[0]


def test_entity_type_from_uscc():
    assert entity_type_from_uscc("91370102MA3C4X5Y6Z") == "enterprise"
    assert entity_type_from_uscc("92370102MA3C4X5Y6Z") == "individual"
    assert entity_type_from_uscc("93370102MA3C4X5Y6Z") == "cooperative"
    assert entity_type_from_uscc("99370102MA3C4X5Y6Z") == "enterprise"


def test_create_operators_needs_a_consistent_name(org, tmp_path):
    code = make_uscc()
    rows = [row(uscc=code, name="甲物业"), row(uscc=code, name="乙物业"), row(uscc=make_uscc(), name="")]
    result = run_import(EQUIPMENT_LEDGER.for_run(create_operators=True), write_csv(tmp_path / "e.csv", rows))
    assert [(e.row, e.column) for e in result.errors] == [(3, "使用单位名称"), (4, "使用单位名称")]
    assert "与本行不一致" in result.errors[0].reason and "必须填写使用单位名称" in result.errors[1].reason
    assert not Business.objects.exists()


def test_create_operators_does_not_create_maintainers(org, tmp_path):
    rows = [row(uscc=make_uscc(), name="甲物业", maintainer=make_uscc())]
    result = run_import(EQUIPMENT_LEDGER.for_run(create_operators=True), write_csv(tmp_path / "e.csv", rows))
    assert [e.column for e in result.errors] == ["维保单位统一社会信用代码"]
    assert not Business.objects.exists()


def test_command_create_operators_lists_them(org, tmp_path, capsys):
    code = make_uscc()
    path = write_csv(tmp_path / "e.csv", [row(uscc=code, name="待核实物业有限公司")])
    call_command(command("import"), "equipment", str(path), "--create-operators", "--dry-run")
    out = capsys.readouterr().out
    assert "新增 1" in out and f"将新建待核实使用单位 1 家：待核实物业有限公司（{code}）" in out
    assert not Business.objects.exists()
    call_command(command("import"), "equipment", str(path), "--create-operators")
    assert f"新建待核实使用单位 1 家：待核实物业有限公司（{code}）" in capsys.readouterr().out
    assert Business.objects.get().needs_verification


def test_command_without_create_operators_rejects(org, tmp_path, capsys):
    path = write_csv(tmp_path / "e.csv", [row(uscc=make_uscc(), name="无名物业")])
    with pytest.raises(CommandError):
        call_command(command("import"), "equipment", str(path))
    assert "--create-operators" in capsys.readouterr().err
    assert (tmp_path / "e.errors.xlsx").exists()


def test_create_operators_is_only_for_equipment(org, tmp_path):
    path = write_csv(tmp_path / "b.csv", [["x"]], headers=["统一社会信用代码"])
    with pytest.raises(CommandError, match="不支持 --create-operators"):
        call_command(command("import"), "businesses", str(path), "--create-operators")


# ---- examinations and due dates -------------------------------------------------------------


def test_examinations_are_upserted_and_reimport_is_idempotent(org, units, tmp_path):
    u = units[0].uscc
    code = reg_code()
    first = write_csv(
        tmp_path / "1.csv",
        [row(reg=code, uscc=u, exam="2024-12-01", conclusion="合格", next_due="2025-12-01")],
    )
    assert run_import(EQUIPMENT_LEDGER, first).accepted
    again = run_import(EQUIPMENT_LEDGER, first)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert Examination.objects.count() == 1
    # A newer report adds a record and moves the due date.
    newer = write_csv(
        tmp_path / "2.csv", [row(reg=code, uscc=u, exam="2025-11-20", conclusion="不合格", next_due="")]
    )
    result = run_import(EQUIPMENT_LEDGER, newer)
    assert (result.created, result.updated) == (0, 1)
    device = Equipment.objects.get()
    assert (device.next_due, device.last_conclusion, device.next_due_estimated) == (None, "failed", False)
    # The re-check report of the same day replaces that day's record, not adds one.
    fixed = write_csv(
        tmp_path / "3.csv",
        [row(reg=code, uscc=u, exam="2025-11-20", conclusion="复检合格", next_due="2026-11-20")],
    )
    assert run_import(EQUIPMENT_LEDGER, fixed).updated == 1
    assert sorted(Examination.objects.values_list("date", "conclusion")) == [
        (dt.date(2024, 12, 1), "passed"),
        (dt.date(2025, 11, 20), "passed_recheck"),
    ]
    device.refresh_from_db()
    assert (device.next_due, device.last_conclusion) == (dt.date(2026, 11, 20), "passed_recheck")
    # An older report is recorded but the latest one keeps deciding the due date.
    older = write_csv(
        tmp_path / "4.csv",
        [row(reg=code, uscc=u, exam="2023-12-01", conclusion="合格", next_due="2024-12-01")],
    )
    assert run_import(EQUIPMENT_LEDGER, older).accepted
    assert Examination.objects.count() == 3
    device.refresh_from_db()
    assert device.next_due == dt.date(2026, 11, 20)


def test_estimated_due_dates_follow_the_cycle_rules(org, units, tmp_path):
    u = units[0].uscc
    rows = [
        row(reg="A1", uscc=u, registered="2025-03-31"),  # elevator: 12 months
        row(
            reg="A2", uscc=u, kind="起重机械", category="塔式起重机", registered="2025-01-31"
        ),  # 12 (category)
        row(reg="A3", uscc=u, kind="起重机械", category="桥式起重机", registered="2025-01-31"),  # 24 (type)
        row(
            reg="A4",
            uscc=u,
            kind="场（厂）内专用机动车辆",
            category="非公路用旅游观光车辆",
            registered="2024-02-29",
        ),
        row(reg="A5", uscc=u, status="停用", status_date="2025-06-01"),
        row(reg="A6", uscc=u, next_due="2026-08-08"),  # a due date without a report is taken as given
    ]
    assert run_import(EQUIPMENT_LEDGER, write_csv(tmp_path / "e.csv", rows)).accepted
    got = {e.reg_code: (e.next_due, e.next_due_estimated) for e in Equipment.objects.all()}
    assert got == {
        "A1": (dt.date(2026, 3, 31), True),
        "A2": (dt.date(2026, 1, 31), True),
        "A3": (dt.date(2027, 1, 31), True),
        "A4": (dt.date(2025, 2, 28), True),
        "A5": (None, False),
        "A6": (dt.date(2026, 8, 8), False),
    }
    # The same as the service's one-device estimate.
    for device in Equipment.objects.filter(next_due_estimated=True):
        assert estimated_due(device, device.registered_on) == device.next_due
    assert not Examination.objects.exists()


def test_rule_lookups_are_not_per_row(org, units, tmp_path):
    rows = [row(uscc=units[0].uscc) for _ in range(30)] + [
        row(uscc=units[0].uscc, exam="2025-01-01", conclusion="合格") for _ in range(30)
    ]
    path = write_csv(tmp_path / "e.csv", rows)
    with CaptureQueriesContext(connection) as queries:
        assert run_import(EQUIPMENT_LEDGER, path).accepted
    assert len(queries) < 25, [q["sql"][:80] for q in queries]


def test_next_due_without_report_conflicting_with_a_report_on_file(org, units, tmp_path):
    device = EquipmentFactory(operator=units[0], subdistrict=org.subs["dongguan"])
    examination_record(
        actor=None,
        equipment=device,
        date=dt.date(2025, 5, 1),
        conclusion="passed",
        next_due=dt.date(2026, 5, 1),
    )
    path = write_csv(
        tmp_path / "e.csv", [row(reg=device.reg_code, uscc=units[0].uscc, next_due="2027-01-01")]
    )
    result = run_import(EQUIPMENT_LEDGER, path)
    assert [(e.row, e.column) for e in result.errors] == [(2, "下次检验日期")]
    assert "以检验报告为准" in result.errors[0].reason


# ---- status, scope, permissions -------------------------------------------------------------


def test_scrapped_device_cannot_come_back(org, units, tmp_path):
    device = EquipmentFactory(
        operator=units[0],
        subdistrict=org.subs["dongguan"],
        status="scrapped",
        status_date=dt.date(2025, 1, 1),
    )
    path = write_csv(tmp_path / "e.csv", [row(reg=device.reg_code, uscc=units[0].uscc)])
    result = run_import(EQUIPMENT_LEDGER, path)
    assert [(e.row, e.column) for e in result.errors] == [(2, "设备状态")]
    assert "最终状态" in result.errors[0].reason


def test_station_user_limited_to_own_subdistricts(org, units, tmp_path):
    u = units[0].uscc
    foreign = EquipmentFactory(operator=units[0], subdistrict=org.subs["xiguan"])
    rows = [row(uscc=u), row(uscc=u, street="西关街道"), row(reg=foreign.reg_code, uscc=u)]
    result = run_import(EQUIPMENT_LEDGER, write_csv(tmp_path / "e.csv", rows), actor=org.users.east)
    assert [(e.row, e.column) for e in result.errors] == [(3, "所属街道"), (4, "设备注册代码")]
    assert "不在您的辖区范围内" in result.errors[0].reason
    assert Equipment.objects.count() == 1
    assert run_import(
        EQUIPMENT_LEDGER, write_csv(tmp_path / "ok.csv", [row(uscc=u)]), actor=org.users.east
    ).accepted


def test_leadership_cannot_import(org, units, tmp_path):
    with pytest.raises(PermissionDenied, match="局领导"):
        run_import(
            EQUIPMENT_LEDGER, write_csv(tmp_path / "e.csv", [row(uscc=units[0].uscc)]), actor=org.users.leader
        )


def test_dry_run_writes_nothing(org, tmp_path):
    rows = [row(uscc=make_uscc(), name="甲物业", exam="2025-01-01", conclusion="合格")]
    result = run_import(
        EQUIPMENT_LEDGER.for_run(create_operators=True), write_csv(tmp_path / "e.csv", rows), dry_run=True
    )
    assert result.accepted and result.created == 1
    assert (
        not Equipment.objects.exists() and not Examination.objects.exists() and not Business.objects.exists()
    )


def test_update_is_audited_in_the_batch(org, units, tmp_path):
    u = units[0].uscc
    code = reg_code()
    run_import(EQUIPMENT_LEDGER, write_csv(tmp_path / "1.csv", [row(reg=code, uscc=u)]))
    changed = row(
        reg=code, uscc=u, street="解放路街道", exam="2025-06-01", conclusion="合格", next_due="2026-06-01"
    )
    result = run_import(EQUIPMENT_LEDGER, write_csv(tmp_path / "2.csv", [changed]), actor=org.users.dept)
    assert result.updated == 1
    batch = ImportBatch.objects.latest("pk")
    update = batch.changes["updated"][0]
    assert update["key"] == code
    assert (
        update["before"]["subdistrict_id"] == "东关街道" and update["after"]["subdistrict_id"] == "解放路街道"
    )
    assert update["after"]["next_due"] == "2026-06-01" and update["after"]["last_conclusion"] == "合格"
    device = Equipment.objects.get()
    assert device.version == 2


# ---- export ---------------------------------------------------------------------------------


def _ledger_with_history(org, units, tmp_path):
    operator, maintainer = units
    rows = [
        row(
            uscc=operator.uscc,
            exam="2025-12-01",
            conclusion="合格",
            next_due="2026-12-01",
            maintainer=maintainer.uscc,
            insured="2026-06-30",
        ),
        row(
            uscc=operator.uscc,
            kind="2000",
            category="2300",
            variety="23T0",
            status="停用",
            status_date="2025-03-01",
        ),
        row(uscc=operator.uscc, kind="4000", category="4A00"),
        row(uscc=operator.uscc, next_due="2026-02-03"),
        row(
            uscc=operator.uscc,
            status="注销",
            status_date="2024-01-01",
            exam="2023-01-01",
            conclusion="不合格",
        ),
    ]
    assert run_import(EQUIPMENT_LEDGER, write_csv(tmp_path / "in.csv", rows)).accepted
    device = Equipment.objects.get(reg_code=rows[0][0])
    examination_record(
        actor=None,
        equipment=device,
        date=dt.date(2024, 12, 1),
        conclusion="passed",
        next_due=dt.date(2025, 12, 1),
    )
    EquipmentFactory(
        operator=operator,
        subdistrict=org.subs["jinan"],
        next_due=dt.date(2027, 1, 1),
        registered_on=dt.date(2020, 5, 1),
    )


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_export_then_import_round_trips(org, units, tmp_path, suffix):
    _ledger_with_history(org, units, tmp_path)
    path = tmp_path / f"out.{suffix}"
    assert run_export(EQUIPMENT_LEDGER, path) == 6
    before = snapshot()
    result = run_import(EQUIPMENT_LEDGER, path)
    assert result.accepted, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 6)
    assert snapshot() == before


def test_export_shows_names_and_the_latest_examination(org, units, tmp_path):
    _ledger_with_history(org, units, tmp_path)
    path = tmp_path / "out.xlsx"
    call_command(command("export"), "equipment", str(path))
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert list(rows[0]) == list(EQUIPMENT_HEADERS)
    lift = next(r for r in rows[1:] if r[12] == "2025-12-01")
    assert lift[1:4] == ("电梯", "曳引与强制驱动电梯", None) or lift[1:4] == (
        "电梯",
        "曳引与强制驱动电梯",
        "",
    )
    assert (lift[4], lift[5], lift[7], lift[10]) == (units[0].uscc, "东关物业有限公司", "东关街道", "在用")
    assert (lift[13], lift[14], lift[15], lift[16]) == ("合格", "2026-12-01", units[1].uscc, "2026-06-30")
    cylinder = next(r for r in rows[1:] if r[3] == "特种气瓶")
    assert (cylinder[1], cylinder[2], cylinder[10], cylinder[11]) == (
        "压力容器",
        "气瓶",
        "停用",
        "2025-03-01",
    )


def test_station_export_is_scoped(org, units, tmp_path):
    EquipmentFactory(operator=units[0], subdistrict=org.subs["dongguan"])
    EquipmentFactory(operator=units[0], subdistrict=org.subs["xiguan"])
    assert run_export(EQUIPMENT_LEDGER, tmp_path / "e.csv", actor=org.users.east) == 1


def test_registered_in_the_engine():
    assert get_ledger("equipment") is EQUIPMENT_LEDGER
