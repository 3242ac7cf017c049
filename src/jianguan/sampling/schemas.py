"""JSON shapes of /api/v1/sampling/. Codes may be sent as themselves or as their Chinese names (抽检类型,
检验结论, 业态, 食品大类, 所属街道); the API resolves them and answers in Chinese with the field named."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


def _station(record) -> str | None:
    return record.subdistrict.station.name if record.subdistrict_id else None


# ---------------------------------------------------------------- samples


class ItemIn(Schema):
    name: str = Field(max_length=100, description="不合格项目（风险监测为问题项目）")
    measured: str = Field("", max_length=50, description="检验结果，如 0.12")
    standard: str = Field("", max_length=50, description="标准值，如 ≤0.05")
    unit: str = Field("", max_length=20, description="单位，如 mg/kg")


class ItemOut(Schema):
    name: str = Field(description="项目")
    measured: str = Field(description="检验结果")
    standard: str = Field(description="标准值")
    unit: str = Field(description="单位")


class SampleIn(Schema):
    """抽样单 as taken: a registered business by its code (its name and subdistrict follow), anyone else by name
    and subdistrict."""

    number: str = Field(max_length=60, description="抽样单编号（唯一；已登记的编号答 400 duplicate_number）")
    sampled_on: dt.date = Field(description="抽样日期，YYYY-MM-DD")
    sampling_type: str = Field("supervision", max_length=20, description="抽检类型：supervision/risk/evaluation 或 监督抽检/风险监测/评价性抽检")
    business_uscc: str = Field("", max_length=40, description="被抽样单位统一社会信用代码（登记在册的自动带出名称和所属街道）")
    business_name: str = Field("", max_length=200, description="被抽样单位名称（未登记的必填）")
    subdistrict: str = Field("", max_length=50, description="所属街道：名称或代码")
    business_format: str = Field(max_length=50, description="业态：代码或名称，如 03 或 超市")
    food_category: str = Field(max_length=50, description="食品大类：代码或名称，如 16 或 蔬菜制品")
    sample_name: str = Field(max_length=200, description="样品名称")
    specification: str = Field("", max_length=100, description="规格型号")
    batch: str = Field("", max_length=100, description="生产日期或批号")
    producer_name: str = Field("", max_length=200, description="标称生产者名称")
    producer_uscc: str = Field("", max_length=40, description="标称生产者统一社会信用代码")
    institution: str = Field("", max_length=200, description="检验机构")
    sent_on: dt.date | None = Field(None, description="送检日期（已送检的）")


class ResultIn(Schema):
    report_on: dt.date = Field(description="报告日期，YYYY-MM-DD")
    conclusion: str = Field(max_length=20, description="检验结论：qualified/unqualified/problem 或 合格/不合格/问题样品（风险监测）")
    items: list[ItemIn] = Field([], max_length=30, description="不合格项目（结论为不合格或问题样品时至少一项）")
    institution: str = Field("", max_length=200, description="检验机构（不填沿用已登记的）")
    version: int | None = Field(None, ge=0, le=2**31 - 1, description="读取时的版本；已被他人修改答 409")


class ServeIn(Schema):
    served_on: dt.date = Field(description="不合格检验结论送达被抽样单位的日期，YYYY-MM-DD")
    version: int | None = Field(None, ge=0, le=2**31 - 1, description="读取时的版本；已被他人修改答 409")


QTY = {"ge": 0, "max_digits": 14, "decimal_places": 2}


class DisposalIn(Schema):
    disposed_on: dt.date | None = Field(None, description="处置完成日期；不填为处置中（先记录已采取的措施）")
    cause: str = Field("", max_length=2000, description="原因排查情况（完成处置时必填）")
    removed_qty: Decimal | None = Field(None, description="下架数量", **QTY)
    recalled_qty: Decimal | None = Field(None, description="召回数量", **QTY)
    destroyed_qty: Decimal | None = Field(None, description="销毁数量", **QTY)
    qty_unit: str = Field("", max_length=10, description="数量单位，如 公斤、件、箱（填了数量时必填）")
    stopped_selling: bool = Field(False, description="已责令停止经营")
    note: str = Field("", max_length=2000, description="处置情况")
    open_lead: bool = Field(False, description="移交案件线索（每个样品只移交一次；已移交的沿用）")
    no_case_reason: str = Field("", max_length=200, description="不移交立案的理由（完成处置且不移交线索时必填）")
    version: int | None = Field(None, ge=0, le=2**31 - 1, description="读取时的版本；已被他人修改答 409")


class SampleFilters(Schema):
    q: str | None = Field(None, max_length=100, description="抽样单编号、被抽样单位、样品名称或统一社会信用代码")
    sampling_type: str | None = Field(None, max_length=20, description="抽检类型代码或名称")
    conclusion: str | None = Field(None, max_length=20, description="检验结论代码或名称")
    disposal_status: str | None = Field(None, max_length=20, description="处置状态代码：none/awaiting/disposing/disposed")
    business_format: str | None = Field(None, max_length=50, description="业态代码或名称")
    food_category: str | None = Field(None, max_length=50, description="食品大类代码或名称")
    year: int | None = Field(None, ge=1990, le=2200, description="抽样年度")
    sampled_from: dt.date | None = Field(None, description="抽样日期起（含）")
    sampled_to: dt.date | None = Field(None, description="抽样日期止（含）")


class SampleOut(Schema):
    id: int
    number: str = Field(description="抽样单编号")
    sampled_on: dt.date = Field(description="抽样日期")
    sampling_type: str = Field(description="抽检类型代码")
    sampling_type_label: str = Field(description="抽检类型")
    business_name: str = Field(description="被抽样单位名称")
    business_uscc: str = Field(description="被抽样单位统一社会信用代码")
    subdistrict_code: str | None = Field(description="所属街道代码")
    station_name: str | None = Field(description="所属监管所")
    business_format: str = Field(description="业态")
    food_category: str = Field(description="食品大类")
    sample_name: str = Field(description="样品名称")
    institution: str = Field(description="检验机构")
    sent_on: dt.date | None = Field(description="送检日期")
    report_on: dt.date | None = Field(description="报告日期")
    conclusion: str = Field(description="检验结论代码")
    conclusion_label: str = Field(description="检验结论")
    service_due: dt.date | None = Field(description="送达期限")
    served_on: dt.date | None = Field(description="送达日期")
    disposal_due: dt.date | None = Field(description="处置期限（自报告日期起90日）")
    dues_provisional: bool = Field(description="期限为暂定：落在尚未公布节假日安排的年度")
    disposal_status: str = Field(description="处置状态代码")
    disposal_status_label: str = Field(description="处置状态")
    disposed_on: dt.date | None = Field(description="处置完成日期")
    version: int = Field(description="版本")

    @staticmethod
    def resolve_sampling_type_label(obj):
        return obj.get_sampling_type_display()

    @staticmethod
    def resolve_subdistrict_code(obj):
        return obj.subdistrict.code if obj.subdistrict_id else None

    @staticmethod
    def resolve_station_name(obj):
        return _station(obj)

    @staticmethod
    def resolve_business_format(obj):
        return obj.business_format.name

    @staticmethod
    def resolve_food_category(obj):
        return obj.food_category.name

    @staticmethod
    def resolve_conclusion_label(obj):
        return obj.get_conclusion_display()

    @staticmethod
    def resolve_disposal_status_label(obj):
        return obj.get_disposal_status_display()


class SampleDetailOut(SampleOut):
    specification: str = Field(description="规格型号")
    batch: str = Field(description="生产日期或批号")
    producer_name: str = Field(description="标称生产者名称")
    producer_uscc: str = Field(description="标称生产者统一社会信用代码")
    items: list[ItemOut] = Field(description="不合格项目（风险监测为问题项目）")
    send_due: dt.date | None = Field(description="送检期限")
    report_due: dt.date | None = Field(description="报告期限")
    retest_due: dt.date | None = Field(description="复检申请期限")
    retest_requested_on: dt.date | None = Field(description="申请复检日期")
    retest_outcome: str = Field(description="复检结论代码")
    objection_due: dt.date | None = Field(description="异议期限")
    objection_on: dt.date | None = Field(description="提出异议日期")
    objection_outcome: str = Field(description="异议处理结果代码")
    lead_id: int | None = Field(description="移交的案件线索（/api/v1/cases/leads/{id}）")
    no_case_reason: str = Field(description="不移交立案的理由")

    @staticmethod
    def resolve_items(obj):
        return list(obj.items.all())


# ---------------------------------------------------------------- quick tests


class QuickTestIn(Schema):
    tested_on: dt.date = Field(description="检测日期，YYYY-MM-DD")
    place: str = Field(max_length=200, description="检测地点（市场快检室或经营场所）")
    product: str = Field(max_length=200, description="样品名称")
    item: str = Field(max_length=100, description="检测项目，如 农药残留")
    result: str = Field(max_length=10, description="检测结果：negative/positive 或 阴性/阳性")
    mode: str = Field("station", max_length=10, description="检测方式：station/mobile 或 快检室/流动快检")
    business_uscc: str = Field("", max_length=40, description="受检主体统一社会信用代码（登记在册的自动带出所属街道）")
    subdistrict: str = Field("", max_length=50, description="所属街道：名称或代码")
    note: str = Field("", max_length=200, description="备注")


class QuickTestFilters(Schema):
    q: str | None = Field(None, max_length=100, description="样品名称、检测地点或统一社会信用代码")
    result: str | None = Field(None, max_length=10, description="检测结果代码或名称")
    tested_from: dt.date | None = Field(None, description="检测日期起（含）")
    tested_to: dt.date | None = Field(None, description="检测日期止（含）")


class QuickTestOut(Schema):
    id: int
    tested_on: dt.date = Field(description="检测日期")
    mode: str = Field(description="检测方式代码")
    place: str = Field(description="检测地点")
    business_uscc: str = Field(description="受检主体统一社会信用代码")
    subdistrict_code: str | None = Field(description="所属街道代码")
    station_name: str | None = Field(description="所属监管所")
    product: str = Field(description="样品名称")
    item: str = Field(description="检测项目")
    result: str = Field(description="检测结果代码")
    result_label: str = Field(description="检测结果")
    sample_id: int | None = Field(description="跟进抽样的样品（阳性结果）")
    note: str = Field(description="备注")

    @staticmethod
    def resolve_subdistrict_code(obj):
        return obj.subdistrict.code if obj.subdistrict_id else None

    @staticmethod
    def resolve_station_name(obj):
        return _station(obj)

    @staticmethod
    def resolve_result_label(obj):
        return obj.get_result_display()
