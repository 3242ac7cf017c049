"""The seed-000 ledger paragraph from data: `equipment_ledger`, and section 二 of `work_summary`."""

import re

import pytest

from jianguan.core.periods import Params
from jianguan.equipment import indicators as equipment_indicators
from jianguan.reports.engine import build_report, builtin_body
from jianguan.reports.templating import check_template

from .test_indicators import build_ledger

pytestmark = pytest.mark.django_db

PARAGRAPH = (
    "截至2026年8月31日，全区共有特种设备生产单位2家，使用单位4家，注册登记特种设备13台(套)，"
    "其中锅炉3台，压力容器3台，电梯5台，大型游乐设施2台（均已停用），停用设备4台。"
    "在用特种设备9台(套)，其中锅炉2台，压力容器3台，电梯4台。"
)
NAMES = {"1000": "锅炉", "2000": "压力容器", "3000": "电梯", "4000": "起重机械", "6000": "大型游乐设施"}


@pytest.fixture
def ledger(org):
    equipment_indicators.clear_type_cache()
    return build_ledger(org)


def _json(template="equipment_ledger", **params):
    return build_report(template, Params.build(**params)).as_json()


def test_builtin_templates_check_clean():
    for key in ("equipment_ledger", "work_summary"):
        problems, used = check_template(builtin_body(key))
        assert problems == [], key
        assert {"equipment.registered", "equipment.idle", "equipment.exam_rate", "equipment.overdue"} <= used


def test_the_paragraph_from_data(ledger):
    report = _json(as_of="2026-08-31")
    text = report["text"]
    assert text.startswith("# 测试区市场监督管理局特种设备台账\n")
    assert PARAGRAPH in text
    assert "在用特种设备定检率为88.89%，超期未检设备1台（压力容器1台）。定检率＝" in text
    assert "2026年1月1日至2026年8月31日到期应检设备的按期检验率为33.33%。期内按期检验率＝" in text
    assert "在用电梯4台，其中电梯安全责任保险在有效期内的2台，覆盖率为50.00%。" in text


def test_the_paragraph_carries_exactly_the_numbers_of_the_json(ledger):
    report = _json(as_of="2026-08-31")
    v = report["indicators"]
    registered = "".join(
        f"{NAMES[code]}{v[f'equipment.registered[{code}]']}台"
        + ("（均已停用）" if v[f"equipment.idle[{code}]"] == v[f"equipment.registered[{code}]"] else "") + "，"
        for code in NAMES if v[f"equipment.registered[{code}]"]
    )
    in_use = "，".join(f"{NAMES[code]}{v[f'equipment.in_use[{code}]']}台" for code in NAMES if v[f"equipment.in_use[{code}]"])
    expected = (
        f"截至2026年8月31日，全区共有特种设备生产单位{v['equipment.producers']}家，使用单位{v['equipment.operators']}家，"
        f"注册登记特种设备{v['equipment.registered']}台(套)，其中{registered}停用设备{v['equipment.idle']}台。"
        f"在用特种设备{v['equipment.in_use']}台(套)，其中{in_use}。"
    )
    assert expected == PARAGRAPH
    assert expected in report["text"]
    assert f"定检率为{v['equipment.exam_rate']:.2f}%，超期未检设备{v['equipment.overdue']}台" in report["text"]
    assert f"覆盖率为{v['equipment.elevator_insured_rate']:.2f}%" in report["text"]
    # Every number in the text is a value of the JSON (or part of the as-of date and the period).
    numbers = set(re.findall(r"\d+(?:\.\d+)?", report["text"].split("定检率＝")[0]))
    quoted = {str(x) for x in v.values() if x is not None} | {f"{x:.2f}" for x in v.values() if isinstance(x, float)}
    assert numbers - quoted <= {"2026", "8", "31"}, numbers - quoted


def test_zero_types_are_omitted_and_only_the_all_idle_type_is_marked(ledger):
    text = _json(as_of="2026-08-31")["text"]
    assert "起重机械" not in text and "客运索道" not in text
    assert text.count("（均已停用）") == 1
    assert "大型游乐设施2台（均已停用）" in text
    assert "锅炉3台，" in text and "锅炉3台（" not in text  # one of three idle
    assert "电梯5台，" in text  # one of five idle


def test_scope_and_an_empty_ledger(ledger, org):
    west = _json(as_of="2026-08-31", scope="station:S2")["text"]
    assert "西关市场监管所辖区共有特种设备生产单位0家，使用单位2家，注册登记特种设备6台(套)，" in west
    assert "其中电梯4台（" not in west and "电梯4台，大型游乐设施2台（均已停用），停用设备3台。" in west
    before = _json(as_of="2019-12-31")["text"]
    assert "注册登记特种设备0台(套)，停用设备0台。在用特种设备0台(套)。" in before
    assert "暂无应定期检验的在用特种设备，超期未检设备0台。" in before
    assert "在用电梯" not in before


def test_work_summary_has_the_same_section(ledger):
    text = _json("work_summary", period="2026-01-01..2026-08-31")["text"]
    assert "## 一、市场主体发展情况" in text
    section = text.split("## 二、特种设备安全监管\n", 1)[1]
    assert section.startswith(PARAGRAPH)


@pytest.mark.parametrize("query", [{"as_of": "2026-08-31"}, {"period": "2026H1"}, {"as_of": "2026-08-31", "scope": "station:S2"}])
def test_every_figure_links_to_its_records_on_the_ledger(client, ledger, org, query):
    from tests.reports.test_links import _check_every_figure

    client.force_login(org.users.dept)
    assert _check_every_figure(client, "equipment_ledger", query) >= 12
    client.force_login(org.users.west)
    assert _check_every_figure(client, "equipment_ledger", {**query, "scope": "station:S2"}) >= 10
