"""The engine: periods, as-of semantics, figures by type, constant query counts, the JSON format and its hash."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianguan.core.errors import DomainError
from jianguan.core.indicators import all_indicators, compute, drilldown
from jianguan.core.periods import Params, Period
from jianguan.reports import renderers
from jianguan.reports.engine import build_report, json_number, payload_sha256

from ..factories import BusinessFactory


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# ---------------------------------------------------------------- periods


@pytest.mark.parametrize(
    "code, start, end, label",
    [
        ("2026H1", "2026-01-01", "2026-06-30", "2026年上半年"),
        ("2026H2", "2026-07-01", "2026-12-31", "2026年下半年"),
        ("2026Q3", "2026-07-01", "2026-09-30", "2026年第3季度"),
        ("2026Q1", "2026-01-01", "2026-03-31", "2026年第1季度"),
        ("2026-08", "2026-08-01", "2026-08-31", "2026年8月"),
        ("2024-02", "2024-02-01", "2024-02-29", "2024年2月"),
        ("2026", "2026-01-01", "2026-12-31", "2026年"),
        ("2026-01-01..2026-06-30", "2026-01-01", "2026-06-30", "2026年1月1日至2026年6月30日"),
        (" 2026H1 ", "2026-01-01", "2026-06-30", "2026年上半年"),
    ],
)
def test_period_parsing(code, start, end, label):
    period = Period.parse(code)
    assert (period.start, period.end, period.label) == (d(start), d(end), label)


@pytest.mark.parametrize(
    "code, fragment",
    [
        ("2026H3", "无法识别的统计期间"),
        ("2026Q5", "无法识别的统计期间"),
        ("2026-13", "无法识别的统计期间"),
        ("26H1", "无法识别的统计期间"),
        ("", "无法识别的统计期间"),
        ("上半年", "无法识别的统计期间"),
        ("2026-02-30..2026-03-31", "日期不存在"),
        ("2026-06-30..2026-01-01", "结束日早于开始日"),
    ],
)
def test_bad_periods_give_a_chinese_error(code, fragment):
    with pytest.raises(DomainError) as exc:
        Period.parse(code)
    assert exc.value.code == "invalid_period" and fragment in exc.value.message


@pytest.mark.parametrize(
    "code, previous, last_year",
    [
        ("2026H1", "2025H2", "2025H1"),
        ("2026H2", "2026H1", "2025H2"),
        ("2026Q1", "2025Q4", "2025Q1"),
        ("2026Q3", "2026Q2", "2025Q3"),
        ("2026-01", "2025-12", "2025-01"),
        ("2026-03", "2026-02", "2025-03"),
        ("2024-02", "2024-01", "2023-02"),
        ("2026", "2025", "2025"),
        ("2026-01-01..2026-06-30", "2025-07-01..2025-12-31", "2025-01-01..2025-06-30"),
        ("2026-01-10..2026-01-19", "2025-12-31..2026-01-09", "2025-01-10..2025-01-19"),
    ],
)
def test_previous_and_same_last_year(code, previous, last_year):
    period = Period.parse(code)
    assert period.previous().code == previous
    assert period.same_last_year().code == last_year
    assert period.previous() == Period.parse(previous)
    assert period.same_last_year() == Period.parse(last_year)


def test_same_last_year_of_a_leap_february_ends_on_the_28th():
    period = Period.parse("2024-02").same_last_year()
    assert (period.start, period.end) == (d("2023-02-01"), d("2023-02-28"))
    assert Period.parse("2025-02").same_last_year().end == d("2024-02-29")


def test_params_as_of_only_is_year_to_date_and_bad_dates_are_chinese():
    params = Params.build(as_of="2026-05-20")
    assert (params.period.start, params.period.end, params.as_of) == (d("2026-01-01"), d("2026-05-20"), d("2026-05-20"))
    assert Params.build(period="2026H1").as_of == d("2026-06-30")
    with pytest.raises(DomainError, match="截至日期"):
        Params.build(as_of="2026-02-30")
    with pytest.raises(DomainError, match="统计期间"):
        Params.build()


# ---------------------------------------------------------------- figures


@pytest.mark.django_db
@pytest.mark.parametrize(
    "as_of, counted",
    [("2026-04-30", True), ("2026-05-01", False), ("2026-06-30", False), ("2019-12-31", False), ("2020-01-01", True)],
)
def test_active_as_of_semantics(org, as_of, counted):
    """Established on or before the date, and not deregistered by it: a later deregistration still counts."""
    BusinessFactory(subdistrict=org.subs["dongguan"], established_on=d("2020-01-01"),
                    reg_status="deregistered", status_date=d("2026-05-01"))
    params = Params.build(as_of=as_of)
    values = compute(["businesses.active"], params)
    assert values["businesses.active"] == (1 if counted else 0)
    assert drilldown("businesses.active", params).count() == values["businesses.active"]


@pytest.mark.django_db
def test_revoked_and_moved_out_end_activity_too(org):
    BusinessFactory(subdistrict=org.subs["dongguan"], reg_status="revoked", status_date=d("2026-03-01"))
    BusinessFactory(subdistrict=org.subs["dongguan"], reg_status="moved_out", status_date=d("2026-03-01"))
    BusinessFactory(subdistrict=org.subs["dongguan"])
    values = compute(["businesses.active", "businesses.revoked", "businesses.deregistered"], Params.build(period="2026H1"))
    assert values["businesses.active"] == 1
    assert values["businesses.revoked"] == 1 and values["businesses.deregistered"] == 0


@pytest.mark.django_db
def test_new_in_period_by_type(org):
    for entity_type, n in (("enterprise", 2), ("individual", 3)):
        BusinessFactory.create_batch(n, subdistrict=org.subs["dongguan"], entity_type=entity_type, established_on=d("2026-02-01"))
    BusinessFactory(subdistrict=org.subs["dongguan"], entity_type="cooperative", established_on=d("2025-12-31"))
    BusinessFactory(subdistrict=org.subs["dongguan"], entity_type="cooperative", established_on=d("2026-07-01"))
    params = Params.build(period="2026H1")
    values = compute(["businesses.new"], params)
    assert values["businesses.new"] == 5
    assert values["businesses.new[企业]"] == 2
    assert values["businesses.new[个体工商户]"] == 3
    assert values["businesses.new[农民专业合作社]"] == 0
    assert drilldown("businesses.new", params, part="个体工商户").count() == 3


@pytest.mark.django_db
def test_scope_and_actor_restrict_figures(org):
    BusinessFactory.create_batch(2, subdistrict=org.subs["dongguan"], established_on=d("2026-02-01"))
    BusinessFactory.create_batch(3, subdistrict=org.subs["xiguan"], established_on=d("2026-02-01"))
    assert compute(["businesses.new"], Params.build(period="2026H1", scope="station:S2"))["businesses.new"] == 3
    sub = org.subs["dongguan"].code
    assert compute(["businesses.new"], Params.build(period="2026H1", scope=f"subdistrict:{sub}"))["businesses.new"] == 2
    assert compute(["businesses.new"], Params.build(period="2026H1"), actor=org.users.east)["businesses.new"] == 2


def _business_keys() -> list[str]:
    return [i.key for i in all_indicators() if i.key.startswith("businesses.")]


@pytest.mark.django_db
@pytest.mark.parametrize("size", [5, 200])
def test_constant_query_count_whatever_the_number_of_businesses(org, django_assert_max_num_queries, size):
    subs = list(org.subs.values())
    for i in range(size):
        BusinessFactory(subdistrict=subs[i % 4], entity_type=("enterprise", "individual", "cooperative")[i % 3],
                        established_on=d("2026-01-01") + dt.timedelta(days=i % 170),
                        reg_status="deregistered" if i % 10 == 0 else "active",
                        status_date=d("2026-05-01") if i % 10 == 0 else None)
    params = Params.build(period="2026H1")
    keys = _business_keys()
    with django_assert_max_num_queries(1):
        values = compute(keys, params)
    assert values["businesses.new"] == size
    with django_assert_max_num_queries(1):
        compute(keys, params, actor=org.users.east)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_data(org):
    params = Params.build(period="2026H1")
    counts = []
    for extra in (5, 195):
        BusinessFactory.create_batch(extra, subdistrict=org.subs["jinan"], established_on=d("2026-03-01"))
        with CaptureQueriesContext(connection) as ctx:
            compute(_business_keys(), params)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == 1


# ---------------------------------------------------------------- JSON


@pytest.mark.django_db
def test_json_format_keys_and_hash(org):
    BusinessFactory.create_batch(2, subdistrict=org.subs["dongguan"], entity_type="individual", established_on=d("2026-02-01"))
    BusinessFactory(subdistrict=org.subs["xiguan"], established_on=d("2019-02-01"))
    params = Params.build(period="2026H1")
    report = build_report("work_summary", params)
    data = json.loads(renderers.render(report, "json"))
    assert set(data) == {"template", "parameters", "indicators", "text", "sha256"}
    assert data["template"] == "work_summary"
    assert data["parameters"] == {"as_of": "2026-06-30", "period": "2026H1", "period_start": "2026-01-01",
                                  "period_end": "2026-06-30", "scope": "bureau"}
    ind = data["indicators"]
    assert ind["businesses.active"] == 3
    assert ind["businesses.active[个体工商户]"] == 2 and ind["businesses.active[企业]"] == 1
    assert ind["businesses.new"] == 2 and ind["businesses.new[农民专业合作社]"] == 0
    assert all(isinstance(v, int | float) or v is None for v in ind.values())
    payload = {k: v for k, v in data.items() if k != "sha256"}
    assert data["sha256"] == payload_sha256(payload) == report.sha256
    again = json.loads(renderers.render(build_report("work_summary", params), "json"))
    assert again["sha256"] == data["sha256"]
    # the link maker (HTML) does not change the hash
    assert build_report("work_summary", params, link=lambda key, part: "/x").sha256 == data["sha256"]


@pytest.mark.django_db
def test_hash_changes_with_data_and_parameters(org):
    params = Params.build(period="2026H1")
    first = build_report("work_summary", params).sha256
    assert build_report("work_summary", Params.build(period="2026Q1")).sha256 != first
    BusinessFactory(subdistrict=org.subs["dongguan"], established_on=d("2026-02-01"))
    assert build_report("work_summary", params).sha256 != first


def test_rates_are_numbers_with_two_decimals():
    assert json_number(Decimal("97.666")) == 97.67
    assert json_number(Decimal("100")) == 100.0
    assert json_number(5) == 5 and json_number(None) is None


@pytest.mark.django_db
def test_an_upgrade_replaces_an_unmodified_copy_of_a_shipped_template_before_its_next_report(tmp_path):
    """A bureau upgrades: its database still holds last version's copy of the work summary. The next report,
    from the command line or the page, is built from the shipped template — unless the bureau edited it."""
    from jianguan.reports.engine import builtin_body
    from jianguan.reports.models import ReportTemplate

    build_report("work_summary", Params.build(period="2026H1"))
    ReportTemplate.objects.filter(key="work_summary").update(body="# 旧版本的工作总结\n旧模板的正文。")
    report = build_report("work_summary", Params.build(period="2026H1"))
    assert "旧模板" not in report.text and ReportTemplate.objects.get(key="work_summary").body == builtin_body("work_summary")
    ReportTemplate.objects.filter(key="work_summary").update(body="# 本局改写的工作总结\n本局的正文。", customized=True)
    report = build_report("work_summary", Params.build(period="2026H1"))
    assert "本局的正文" in report.text
