"""Sampling figures (食品安全抽检): the seeds' "完成食品安全监督抽检*批次，合格率97.67%" (004), "不合格食品核查处置率100%"
(001), 抽检 per 千人 (001, 004), 快检 at markets (001, 003, 004) and sampling in campaigns (003).

Batches. 批次 counts every sample taken in the period (by 抽样日期), whatever its type — 监督抽检, 风险监测 and
评价性抽检 together, as the national 4 批次/千人 target counts 抽检监测 — and whether or not its result is in;
`sampling.batches_by_type` splits them by type, so a report can quote 监督抽检 alone.

合格率 = 合格 ÷ (合格 + 不合格) × 100 over the period's samples with a result, 风险监测 left out: it makes no
合格 judgement (its findings are 问题样品). Results are read as now recorded: a result reported after the
period, or overturned by 复检 or 异议 (the sample is then 合格), counts as it stands.

Disposal. 核查处置率 = unqualified samples whose report date is in the period and whose disposal was completed
by its deadline (处置完成日期 ≤ 处置期限, 90 days from the report), ÷ all unqualified samples reported in
the period, as now recorded. 逾期未处置 is a stock on the as-of date: deadline before it, not disposed by it.

Scope. By the sampled business's subdistrict, which decides the station. A sample or quick test without
one (a seller outside the district, a stall not placed) belongs to the food department: it counts in the
bureau's figures only.

Passes: one over the samples (the period's batches and results, its reports and disposals, and the
overdue stock), one over the case leads opened by unqualified samples (by the sample's report date), one
over the quick tests, and one over a campaign's samples and one over its quick tests.
批次/千人 reads the population rule of the report's scope (one small query); see `core.indicators.population`.
"""


from django.db import models
from django.db.models import ExpressionWrapper, F, IntegerField, Q, Value, When

from jianguan.cases.choices import CaseStatus, LeadSource, LeadStatus
from jianguan.cases.models import Lead
from jianguan.core.indicators import Column, Dimension, Indicator, reference_choices, register
from jianguan.core.periods import Params

from .choices import QUICKTEST_ITEMS, Conclusion, QuickTestResult, SamplingType
from .models import BusinessFormat, FoodCategory, QuickTest, Sample

CAMPAIGN = ("campaign",)
POPULATION_RULE = "region.population"
_SCOPE = "按被抽样单位所属街道（决定承办监管所）统计范围；没有所属街道的（辖区外单位、未落位的摊贩等）只计入全局。"
_QT_SCOPE = "按受检单位或检测地点所属街道统计范围；没有所属街道的只计入全局。"
_JUDGED_TYPES = (SamplingType.SUPERVISION, SamplingType.EVALUATION)  # 风险监测 makes no 合格 judgement
_NOT_RISK = "风险监测样品不作合格判定（发现问题的为“问题样品”），不计入合格、不合格和合格率"

# ---------------------------------------------------------------- dimensions over the reference tables


# Grouped by the key + 0 (see _samples), not the foreign key's column: grouped by that column, SQLite walks
# the whole table in the column's index order instead of reading the period's rows (as in cases' CATEGORY).
FORMAT = Dimension("format_key", "业态", choices=reference_choices(BusinessFormat))
CATEGORY = Dimension("category_key", "食品大类", choices=reference_choices(FoodCategory))
TYPE = Dimension("sampling_type", "抽检类型", tuple(SamplingType.choices))
# 检测项目 is free text (a kit may test what the list does not name): anything off the list is 其他.
_NAMED_ITEMS = tuple(i for i in QUICKTEST_ITEMS if i != "其他")
ITEM = Dimension("item_key", "检测项目", tuple((i, i) for i in QUICKTEST_ITEMS))

# ---------------------------------------------------------------- records and columns


def _samples():
    return Sample.objects.select_related("subdistrict__station", "business_format", "food_category").annotate(
        format_key=ExpressionWrapper(F("business_format_id") + 0, output_field=IntegerField()),
        category_key=ExpressionWrapper(F("food_category_id") + 0, output_field=IntegerField()),
    )


def _quicktests():
    return QuickTest.objects.select_related("subdistrict__station").annotate(
        item_key=models.Case(When(item__in=_NAMED_ITEMS, then=F("item")), default=Value("其他"),
                             output_field=models.CharField()),
    )


PLACE = (Column("所属街道", "subdistrict.name"), Column("承办监管所", "subdistrict.station.name"))
SAMPLE_COLUMNS = (
    Column("抽样单编号", "number"),
    Column("抽样日期", "sampled_on"),
    Column("抽检类型", "get_sampling_type_display"),
    Column("被抽样单位名称", "business_name"),
    Column("统一社会信用代码", "business_uscc"),
    *PLACE,
    Column("业态", "business_format.name"),
    Column("食品大类", "food_category.name"),
    Column("样品名称", "sample_name"),
    Column("标称生产者名称", "producer_name"),
    Column("检验机构", "institution"),
    Column("报告日期", "report_on"),
    Column("检验结论", "get_conclusion_display"),
)
DISPOSAL_COLUMNS = (
    Column("抽样单编号", "number"),
    Column("被抽样单位名称", "business_name"),
    Column("统一社会信用代码", "business_uscc"),
    *PLACE,
    Column("样品名称", "sample_name"),
    Column("食品大类", "food_category.name"),
    Column("报告日期", "report_on"),
    Column("送达日期", "served_on"),
    Column("处置期限", "disposal_due"),
    Column("期限为暂定", "dues_provisional"),
    Column("处置完成日期", "disposed_on"),
    Column("处置状态", "get_disposal_status_display"),
    Column("不移交立案的理由", "no_case_reason"),
)
QUICKTEST_COLUMNS = (
    Column("检测日期", "tested_on"),
    Column("检测方式", "get_mode_display"),
    Column("检测地点", "place"),
    Column("统一社会信用代码", "business_uscc"),
    *PLACE,
    Column("样品名称", "product"),
    Column("检测项目", "item"),
    Column("检测结果", "get_result_display"),
)

# ---------------------------------------------------------------- conditions


def _in_period(field: str):
    return lambda p: Q(**{f"{field}__gte": p.period.start, f"{field}__lte": p.period.end})


def _const(q: Q):
    return lambda p: q


QUALIFIED = Q(conclusion=Conclusion.QUALIFIED, sampling_type__in=_JUDGED_TYPES)
UNQUALIFIED = Q(conclusion=Conclusion.UNQUALIFIED)  # 风险监测 is never 不合格 (a constraint of the table)
JUDGED = Q(conclusion__in=(Conclusion.QUALIFIED, Conclusion.UNQUALIFIED), sampling_type__in=_JUDGED_TYPES)


def _overdue_where(p: Params) -> Q:
    """Deadline before the date and not disposed by it (index-friendly: the disposal_due index)."""
    return Q(disposal_due__lt=p.as_of) & (Q(disposed_on__isnull=True) | Q(disposed_on__gt=p.as_of))


def _both(where, residual):
    if residual is None:
        return where
    return lambda p: where(p) & residual(p)


def _figure(key, label, unit, definition, *, source, queryset, where, residual=None, uses="period", columns, **extra):
    """A figure counted in a pass that reads only the rows `where` admits; condition = where & residual."""
    return register(
        Indicator(
            key=key, label=label, unit=unit, definition=definition, uses=uses, source=source, queryset=queryset,
            condition=_both(where, residual), where=where, residual=residual, columns=columns, **extra,
        )
    )


def _rate(key, label, definition, numerator, denominator, dimension=None):
    return register(
        Indicator(key=key, label=label, unit="%", definition=definition, uses="period", aggregate="rate",
                  numerator=numerator, denominator=denominator, dimension=dimension)
    )


# ---------------------------------------------------------------- the samples: one pass

_SAMPLES = {"source": "sampling.sample", "queryset": _samples, "columns": SAMPLE_COLUMNS}
_sampled = _in_period("sampled_on")
_BATCHES = "抽样日期在统计期间内的抽检样品批次，含监督抽检、风险监测和评价性抽检（按类型分项见“抽检批次（按抽检类型）”），不论是否已出具检验报告"
_figure(
    "sampling.batches", "食品抽检批次", "批次", f"{_BATCHES}，按被抽样单位的业态分项。{_SCOPE}",
    where=_sampled, dimension=FORMAT, **_SAMPLES,
)
_figure(
    "sampling.batches_by_category", "食品抽检批次（按食品大类）", "批次",
    f"与“食品抽检批次”为同一批样品，按食品大类（国家食品安全抽检实施细则的分类，另加食用农产品）分项。{_SCOPE}",
    where=_sampled, dimension=CATEGORY, **_SAMPLES,
)
_figure(
    "sampling.batches_by_type", "食品抽检批次（按抽检类型）", "批次",
    f"与“食品抽检批次”为同一批样品，按抽检类型（监督抽检、风险监测、评价性抽检）分项。{_SCOPE}",
    where=_sampled, dimension=TYPE, **_SAMPLES,
)
_figure(
    "sampling.qualified", "合格批次", "批次",
    f"抽样日期在统计期间内、检验结论为合格的监督抽检和评价性抽检批次，按业态分项；{_NOT_RISK}。检验结论按当前记录"
    f"（含期间结束后出具的报告，复检或异议改判的按改判后的结论）。{_SCOPE}",
    where=_sampled, residual=_const(QUALIFIED), dimension=FORMAT, **_SAMPLES,
)
_figure(
    "sampling.unqualified", "不合格批次", "批次",
    f"抽样日期在统计期间内、检验结论为不合格的监督抽检和评价性抽检批次，按业态分项（风险监测不作合格判定）。检验结论按当前"
    f"记录（复检或异议改判合格的不计入）。{_SCOPE}",
    where=_sampled, residual=_const(UNQUALIFIED), dimension=FORMAT, **_SAMPLES,
)
_figure(
    "sampling.judged", "已判定批次", "批次",
    f"抽样日期在统计期间内、已出具合格或不合格结论的监督抽检和评价性抽检批次，即合格批次加不合格批次，按业态分项；"
    f"{_NOT_RISK}，尚未出具结论的也不计入。{_SCOPE}",
    where=_sampled, residual=_const(JUDGED), dimension=FORMAT,
    derived=("+", "sampling.qualified", "sampling.unqualified"), **_SAMPLES,
)
_figure(
    "sampling.qualified_by_category", "合格批次（按食品大类）", "批次",
    f"与“合格批次”为同一批样品，按食品大类分项；{_NOT_RISK}。{_SCOPE}",
    where=_sampled, residual=_const(QUALIFIED), dimension=CATEGORY, **_SAMPLES,
)
_figure(
    "sampling.judged_by_category", "已判定批次（按食品大类）", "批次",
    f"与“已判定批次”为同一批样品（合格加不合格），按食品大类分项；{_NOT_RISK}。{_SCOPE}",
    where=_sampled, residual=_const(JUDGED), dimension=CATEGORY, **_SAMPLES,
)
_PASS_RATE = (
    "合格率＝抽样日期在统计期间内的监督抽检和评价性抽检样品中，合格批次÷（合格批次＋不合格批次）×100%，保留两位小数；"
    f"{_NOT_RISK}，尚未出具结论的样品也不计入；期间内没有已判定的样品时不计算。"
)
_rate("sampling.pass_rate", "食品抽检合格率", f"{_PASS_RATE}按业态分项时，各业态分别计算。",
      "sampling.qualified", "sampling.judged", dimension=FORMAT)
_rate("sampling.pass_rate_by_category", "食品抽检合格率（按食品大类）", f"{_PASS_RATE}按食品大类分别计算。",
      "sampling.qualified_by_category", "sampling.judged_by_category", dimension=CATEGORY)
register(
    Indicator(
        key="sampling.per_thousand", label="每千人食品抽检批次", unit="批次/千人",
        definition="批次/千人＝抽样日期在统计期间内的食品抽检批次（含监督抽检、风险监测和评价性抽检）÷常住人口×1000，保留两位小数。"
        f"人口取规则参数“{POPULATION_RULE}”（全局）、“{POPULATION_RULE}.监管所代码”（监管所辖区）或“{POPULATION_RULE}.街道代码”"
        "（街道）在统计期间最后一日施行的版本；未设置时不计算，由管理员在“规则参数”中添加（单位为“数量”）。",
        uses="period", aggregate="per_thousand", numerator="sampling.batches", denominator=POPULATION_RULE,
    )
)

# Disposal (核查处置) of unqualified samples, in the same pass.
_DISPOSAL = {**_SAMPLES, "columns": DISPOSAL_COLUMNS}
_reported = _in_period("report_on")
_figure(
    "sampling.disposal_required", "应核查处置不合格样品", "批次",
    f"报告日期在统计期间内、检验结论为不合格（按当前记录，复检或异议改判合格的不计入）的样品批次。{_SCOPE}",
    where=_reported, residual=_const(UNQUALIFIED), **_DISPOSAL,
)
_figure(
    "sampling.disposed_in_time", "按期完成核查处置", "批次",
    "报告日期在统计期间内的不合格样品中，处置完成日期不晚于处置期限（自报告日期起90日，期限末日为节假日的顺延；按样品当前"
    f"记录的期限）的批次。{_SCOPE}",
    where=_reported, residual=lambda p: UNQUALIFIED & Q(disposed_on__lte=F("disposal_due")), **_DISPOSAL,
)
_rate(
    "sampling.disposal_rate", "不合格食品核查处置率",
    "核查处置率＝报告日期在统计期间内的不合格样品中在处置期限（90日）内完成核查处置的批次÷报告日期在统计期间内的不合格样品"
    "批次×100%，保留两位小数；按当前记录，尚未处置或逾期处置的计入分母、不计入分子；期间内没有不合格报告时不计算。",
    "sampling.disposed_in_time", "sampling.disposal_required",
)
_figure(
    "sampling.disposed", "完成核查处置", "批次",
    f"处置完成日期在统计期间内的不合格样品批次（不论何时出具报告、是否逾期）。{_SCOPE}",
    where=_in_period("disposed_on"), residual=_const(UNQUALIFIED), **_DISPOSAL,
)
_figure(
    "sampling.disposal_overdue", "逾期未完成核查处置", "批次", uses="as_of",
    definition="截至日期时检验结论为不合格、处置期限（自报告日期起90日）早于截至日期、且截至日期前（含当日）尚未完成核查处置的"
    f"样品批次。{_SCOPE}",
    where=_overdue_where, residual=_const(UNQUALIFIED), **_DISPOSAL,
)

# ---------------------------------------------------------------- the case leads of unqualified samples: one pass
# Over the leads table (a few rows per unqualified sample), reaching the sample through its unique lead key:
# the seeds' "对不合格食品全部立案处理" (001) and "涉及我市不合格情况共*起，*起已结案处理" (004).


def _sample_leads():
    return Lead.objects.filter(source=LeadSource.SAMPLING, sample__isnull=False).select_related(
        "sample__subdistrict__station", "case")


LEAD_COLUMNS = (
    Column("抽样单编号", "sample.number"),
    Column("样品名称", "sample.sample_name"),
    Column("被抽样单位名称", "sample.business_name"),
    Column("所属街道", "sample.subdistrict.name"),
    Column("承办监管所", "sample.subdistrict.station.name"),
    Column("报告日期", "sample.report_on"),
    Column("线索受理日期", "received_on"),
    Column("线索状态", "get_status_display"),
    Column("案件编号", "case.number"),
    Column("案件状态", "case.get_status_display"),
    Column("结案日期", "case.closed_on"),
)
_LEADS = {"source": "sampling.sample_lead", "queryset": _sample_leads, "columns": LEAD_COLUMNS, "unit": "起",
          "scope_field": "sample__subdistrict", "where": _in_period("sample__report_on")}
_LEAD_DEF = "报告日期在统计期间内、已移交案件线索的不合格样品（每个样品只移交一次）"
_figure("sampling.leads", "不合格样品移交案件线索", definition=f"{_LEAD_DEF}。{_SCOPE}", **_LEADS)
_figure(
    "sampling.leads_filed", "不合格样品已立案", definition=f"{_LEAD_DEF}中，线索已决定立案的（按当前记录）。{_SCOPE}",
    residual=_const(Q(status=LeadStatus.FILED)), **_LEADS,
)
_figure(
    "sampling.cases_closed", "不合格样品案件已结案",
    definition=f"{_LEAD_DEF}中，立案后的案件截至日期前（含当日）已结案的。{_SCOPE}",
    residual=lambda p: Q(case__status=CaseStatus.CLOSED, case__closed_on__lte=p.as_of), **_LEADS,
)

# ---------------------------------------------------------------- quick tests: one pass

_QUICKTESTS = {"source": "sampling.quicktest", "queryset": _quicktests, "columns": QUICKTEST_COLUMNS,
               "where": _in_period("tested_on"), "dimension": ITEM}
_figure(
    "quicktests.count", "快检批次", "批次",
    f"检测日期在统计期间内的快检批次（农贸市场快检室和流动快检），按检测项目分项（未列名的项目计入“其他”）。{_QT_SCOPE}",
    **_QUICKTESTS,
)
_figure(
    "quicktests.positive", "快检阳性批次", "批次",
    f"检测日期在统计期间内、检测结果为阳性的快检批次，按检测项目分项。{_QT_SCOPE}",
    residual=_const(Q(result=QuickTestResult.POSITIVE)), **_QUICKTESTS,
)

# ---------------------------------------------------------------- a campaign's samples and quick tests
_C = "截至日期前专项行动内"


def _campaign_samples(p: Params) -> Q:
    return Q(campaign__code=p.campaign, sampled_on__lte=p.as_of)


def _campaign_quicktests(p: Params) -> Q:
    return Q(campaign__code=p.campaign, tested_on__lte=p.as_of)


_CAMPAIGN_SAMPLES = {"source": "sampling.campaign_sample", "queryset": _samples, "where": _campaign_samples,
                     "uses": "as_of", "columns": SAMPLE_COLUMNS, "requires": CAMPAIGN, "unit": "批次"}
_figure(
    "campaign.samples", "抽检批次", definition=f"{_C}抽样（抽样日期不晚于截至日期）、关联该专项行动的食品抽检批次（各抽检类型），"
    f"按食品大类分项。{_SCOPE}",
    dimension=CATEGORY, **_CAMPAIGN_SAMPLES,
)
_figure(
    "campaign.samples_unqualified", "抽检不合格批次",
    definition=f"{_C}抽样、关联该专项行动、检验结论为不合格的批次（按当前记录）。{_SCOPE}",
    residual=_const(UNQUALIFIED), **_CAMPAIGN_SAMPLES,
)
_CAMPAIGN_QUICKTESTS = {"source": "sampling.campaign_quicktest", "queryset": _quicktests, "where": _campaign_quicktests,
                        "uses": "as_of", "columns": QUICKTEST_COLUMNS, "requires": CAMPAIGN, "unit": "批次"}
_figure(
    "campaign.quicktests", "快检批次", definition=f"{_C}检测（检测日期不晚于截至日期）、关联该专项行动的快检批次。{_QT_SCOPE}",
    **_CAMPAIGN_QUICKTESTS,
)
_figure(
    "campaign.quicktests_positive", "快检阳性批次",
    definition=f"{_C}检测、关联该专项行动、检测结果为阳性的快检批次。{_QT_SCOPE}",
    residual=_const(Q(result=QuickTestResult.POSITIVE)), **_CAMPAIGN_QUICKTESTS,
)
