"""Issue 14's acceptance: a sample ledger this project has never seen — generated here with a seeded RNG,
unlike the demo's samples — imported through `jianguan import samples`, gives in `jianguan report
work_summary --format json` exactly the batches, 合格率 by 业态 and by 食品大类, and 处置率 that an independent
script (ledger_script.py: openpyxl and chinesecalendar, no jianguan) computes from the same file."""

import datetime as dt
import io
import json
import random
from decimal import Decimal

import pytest
from django.core.management import call_command

from jianguan.businesses.rules import with_check_digit
from jianguan.core.models import Rule
from jianguan.sampling.models import BusinessFormat, FoodCategory
from jianguan.sampling.resources import SAMPLE_HEADERS

from .. import sheets
from ..factories import BusinessFactory
from . import ledger_script

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)  # the generated ledger ends here; every date in it is in the past
SEED = 14_2026
POPULATION = 386_517
PERIODS = {  # as `--period`, and as the script's [start, end]
    "2025": (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    "2026H1": (dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
    "2026Q3": (dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
    "2026-10": (dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
    "2026": (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
}
# 业态 and 食品大类 unevenly used, a category with 、 in its name among them.
FORMAT_WEIGHTS = {"农贸市场": 14, "超市": 10, "餐饮": 8, "食杂店": 6, "批发": 4, "学校食堂": 3, "生产": 3, "网络销售": 2, "其他": 1}
CATEGORIES = ["食用农产品", "蔬菜制品", "糕点", "肉制品", "食用油、油脂及其制品", "酒类", "饮料", "调味品", "乳制品", "豆制品",
              "水产制品", "餐饮食品", "粮食加工品", "炒货食品及坚果制品", "蜂产品"]
ITEMS = ["铅（以Pb计）", "镉（以Cd计）", "毒死蜱", "腐霉利", "2,4-滴", "恩诺沙星", "苯甲酸及其钠盐（以苯甲酸计）", "二氧化硫残留量",
         "大肠菌群", "酸价（以脂肪计）（KOH）", "过氧化值（以脂肪计）", "甜蜜素（以环己基氨基磺酸计）"]
INSTITUTIONS = ["山东省食品药品检验研究院", "济南市食品药品检验检测中心", "谱尼测试集团股份有限公司", "华测检测认证集团股份有限公司"]


@pytest.fixture
def shops(org):
    return [BusinessFactory(subdistrict=sub, name=f"{sub.name}第{i}食品经营部") for i in range(6) for sub in org.subs.values()]


def _cell_date(rng: random.Random, day: dt.date | None):
    """Dates as people type them: real date cells, 2026/5/1, 2026年5月1日 or 2026-05-01."""
    if day is None:
        return ""
    return (day, f"{day.year}/{day.month}/{day.day}", f"{day.year}年{day.month}月{day.day}日", day.isoformat())[rng.randrange(4)]


def _report_day(rng: random.Random, sampled_on: dt.date) -> dt.date:
    return sampled_on + dt.timedelta(days=rng.randint(8, 45))


def _sampling_day(rng: random.Random) -> dt.date:
    """Any day of 2025–2026, with crowds whose 90 days of disposal end around National Day 2025 and 2026,
    and around the 2026 year end (into 2027, a year the calendar may not know: 暂定)."""
    bands = [
        (0.55, dt.date(2025, 1, 6), dt.date(2026, 11, 25)),
        (0.15, dt.date(2025, 6, 1), dt.date(2025, 6, 25)),  # reports ~ July 2025: + 90 days ~ early Oct 2025
        (0.15, dt.date(2026, 6, 1), dt.date(2026, 6, 25)),  # reports ~ July 2026: + 90 days ~ National Day 2026
        (0.15, dt.date(2026, 8, 20), dt.date(2026, 9, 20)),  # reports ~ Sept/Oct 2026: + 90 days ~ year end
    ]
    pick, total = rng.random(), 0.0
    for share, first, last in bands:
        total += share
        if pick <= total:
            return first + dt.timedelta(days=rng.randint(0, (last - first).days))
    return bands[0][2]


def generate_ledger(rng: random.Random, shops, n: int = 700) -> list[list]:
    formats = list(FORMAT_WEIGHTS)
    weights = list(FORMAT_WEIGHTS.values())
    rows = []
    for i in range(1, n + 1):
        sampled_on = _sampling_day(rng)
        kind = rng.choices(["监督抽检", "风险监测", "评价性抽检", ""], [60, 15, 15, 10])[0]  # empty: 监督抽检
        who = rng.random()
        if who < 0.4:
            shop = rng.choice(shops)
            name, uscc, sub = shop.name, shop.uscc, rng.choice(["", shop.subdistrict.name])
        elif who < 0.75:
            name, uscc, sub = f"{rng.choice(['东关', '西关', '泉城'])}市场{i}号摊位", "", rng.choice(["东关街道", "解放路街道", "西关街道", "泉城路街道"])
        else:
            name, uscc, sub = f"外地第{i}食品有限公司", with_check_digit(f"9137011{i:010d}"), ""
        report_on = _report_day(rng, sampled_on)
        conclusion, items, disposed_on = "", [], None
        if report_on > TODAY or rng.random() < 0.04:
            report_on = None  # still at the institution
        elif kind == "风险监测":
            conclusion = rng.choices(["合格", "问题样品"], [85, 15])[0]
        else:
            conclusion = rng.choices(["合格", "不合格"], [86, 14])[0]
        if conclusion in ("不合格", "问题样品"):
            items = rng.sample(ITEMS, rng.choice([1, 1, 1, 2, 3]))
        if conclusion == "不合格":
            fate = rng.random()
            if fate < 0.55:
                disposed_on = report_on + dt.timedelta(days=rng.randint(3, 88))  # on time
            elif fate < 0.65:
                disposed_on = report_on + dt.timedelta(days=rng.randint(89, 93))  # around the deadline itself
            elif fate < 0.8:
                disposed_on = report_on + dt.timedelta(days=rng.randint(95, 160))  # late
            if disposed_on is not None and disposed_on > TODAY:
                disposed_on = None  # not yet: missing
        batch = rng.choice([sampled_on - dt.timedelta(days=rng.randint(1, 60)), f"批号{rng.randint(10000, 99999)}", ""])
        rows.append([
            f"SC{sampled_on:%y}3701{i:08d}", _cell_date(rng, sampled_on), kind, name, uscc, sub,
            rng.choices(formats, weights)[0], rng.choice(CATEGORIES), rng.choice(["小白菜", "猪肉", "馒头", "花生油", "白酒", "酱油", "豆腐"]),
            rng.choice(["散装", "500g/袋", "1L/瓶", ""]), batch, rng.choice(["", "某某食品有限公司"]), rng.choice(INSTITUTIONS),
            _cell_date(rng, report_on), conclusion, "、".join(items), _cell_date(rng, disposed_on),
        ])
    return rows


def _work_summary(period: str) -> dict:
    out = io.StringIO()
    call_command("report", "work_summary", "--period", period, "--format", "json", "--no-snapshot", stdout=out)
    return json.loads(out.getvalue())


def _figures(period: str) -> dict:
    out = io.StringIO()
    call_command("figures", "sampling.*", "--period", period, stdout=out)
    return json.loads(out.getvalue())["indicators"]


def _as_number(value):
    return float(value) if isinstance(value, Decimal) else value


COUNTS = ("sampling.batches", "sampling.qualified", "sampling.unqualified", "sampling.judged", "sampling.disposal_required",
          "sampling.disposed_in_time")
RATES = ("sampling.pass_rate", "sampling.disposal_rate", "sampling.per_thousand")
# Keys with a part per reference row: (prefix, the reference table, what a part with no sample is worth).
PARTS = (("sampling.batches[", BusinessFormat, 0), ("sampling.pass_rate[", BusinessFormat, None),
         ("sampling.pass_rate_by_category[", FoodCategory, None), ("sampling.batches_by_category[", FoodCategory, 0))


def test_a_sample_ledger_never_seen_gives_the_scripts_figures(org, shops, tmp_path):
    Rule.objects.create(key="region.population", label="常住人口", value=str(POPULATION), unit="count",
                        valid_from=dt.date(2020, 1, 1), source_document="第七次全国人口普查公报")
    rows = generate_ledger(random.Random(SEED), shops)
    path = sheets.write_xlsx(tmp_path / "抽检台账.xlsx", rows, SAMPLE_HEADERS)
    script_rows = ledger_script.read_rows(path)
    # The ledger has what it must exercise.
    assert {r["业态"] for r in script_rows} == set(FORMAT_WEIGHTS)
    assert {r["食品大类"] for r in script_rows} == set(CATEGORIES)
    assert sum(1 for r in script_rows if r["抽检类型"] == "风险监测") >= 60
    assert sum(1 for r in script_rows if r["检验结论"] == "问题样品") >= 5
    unqualified = [r for r in script_rows if r["检验结论"] == "不合格"]
    deadline = {r["抽样单编号"]: ledger_script.disposal_deadline(ledger_script._date(r["报告日期"])) for r in unqualified}
    on_time = [r for r in unqualified if r["处置完成日期"] and ledger_script._date(r["处置完成日期"]) <= deadline[r["抽样单编号"]]]
    late = [r for r in unqualified if r["处置完成日期"] and ledger_script._date(r["处置完成日期"]) > deadline[r["抽样单编号"]]]
    missing = [r for r in unqualified if not r["处置完成日期"]]
    assert len(on_time) >= 30 and len(late) >= 8 and len(missing) >= 8, (len(on_time), len(late), len(missing))
    # A deadline moved off the holidays: a disposal after the 90th day is still on time (National Day 2025).
    day = ledger_script._date
    assert any(day(r["处置完成日期"]) > day(r["报告日期"]) + dt.timedelta(days=90) for r in on_time)
    assert sum(1 for r in script_rows if not r["报告日期"]) >= 10  # results not in yet

    out = io.StringIO()
    call_command("import", "samples", str(path), stdout=out)
    assert f"新增 {len(rows)}" in out.getvalue(), out.getvalue()

    for period, (start, end) in PERIODS.items():
        want = ledger_script.figures(script_rows, start, end, POPULATION)
        report = _work_summary(period)
        summary, got = report["indicators"], _figures(period)
        for key in (*COUNTS, *RATES):
            assert summary[key] == _as_number(want[key]), (period, key)
        for prefix, table, empty in PARTS:
            names = list(table.objects.values_list("name", flat=True))
            expected = {f"{prefix}{name}]": _as_number(want.get(f"{prefix}{name}]", empty)) for name in names}
            assert {k: got[k] for k in expected} == expected, (period, prefix)
            if prefix != "sampling.batches_by_category[":  # not a figure of the summary's text
                assert {k: summary[k] for k in expected} == expected, (period, prefix)
        # … and the sentences of its 抽检 section say them.
        text = report["text"]
        assert f"共完成食品抽检监测{want['sampling.batches']}批次" in text, period
        assert f"达{want['sampling.per_thousand']}批次/千人" in text, period
        if want["sampling.pass_rate"] is not None:
            assert f"合格{want['sampling.qualified']}批次、不合格{want['sampling.unqualified']}批次，合格率{want['sampling.pass_rate']}%" in text
        if want["sampling.disposal_rate"] is not None:
            assert f"不合格食品核查处置率{want['sampling.disposal_rate']}%" in text, period
    # The periods are not all alike: some disposals were late in the year, and every rate is not 100.
    year = ledger_script.figures(script_rows, *PERIODS["2026"])
    assert year["sampling.disposal_rate"] < 100 and year["sampling.pass_rate"] < 100
