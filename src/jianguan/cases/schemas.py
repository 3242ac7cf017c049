"""JSON shapes of /api/v1/cases/. Input fields are text where another system may send anything: the
service checks them and answers in Chinese with the field named. A person's name and ID number are
masked unless the caller may see them (the permission, or an officer of the case)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Field, Schema

from jianguan.core.masking import mask_id_number, mask_name

from .choices import PenaltyKind, RespondentKind
from .selectors import documents_of, may_see_personal


class RespondentOut(Schema):
    kind: str = Field(description="当事人类型代码：organisation 单位 / person 自然人")
    name: str = Field(description="当事人名称或姓名（自然人依权限脱敏）")
    uscc: str = Field(description="统一社会信用代码")
    id_no: str = Field(description="身份证件号码（依权限脱敏）")
    masked: bool = Field(description="是否已脱敏")


def respondent_of(record, context) -> dict:
    person = record.respondent_kind == RespondentKind.PERSON
    masked = person and not may_see_personal(context["request"].auth, record)
    return {
        "kind": record.respondent_kind,
        "name": mask_name(record.respondent_name) if masked else record.respondent_name,
        "uscc": record.respondent_uscc,
        "id_no": mask_id_number(record.respondent_id_no) if masked else record.respondent_id_no,
        "masked": masked,
    }


def _station(record) -> str | None:
    return record.subdistrict.station.name if record.subdistrict_id else None


# ---------------------------------------------------------------- leads


class LeadIn(Schema):
    """A lead sent by another system (a transfer from another agency, an assignment from above…)."""

    source: str = Field(description="线索来源：移送/上级交办/抽检/其他，或 transfer/assigned/sampling/other"
                                    "（投诉举报和监督检查的线索由本系统的记录移交，不经接口）")
    reference: str = Field("", max_length=200, description="来文文号或对方系统的编号；同一来源同一编号再次提交答 409")
    received_on: str = Field(description="受理日期，如 2026-09-21（也可写 2026/09/21 或 2026年9月21日）")
    summary: str = Field(description="线索内容")
    respondent_name: str = Field("", description="当事人名称或姓名（统一社会信用代码已登记的可不填）")
    respondent_kind: str = Field("", description="当事人类型：organisation/person 或 单位/自然人；缺省按所填内容判断")
    respondent_uscc: str = Field("", description="统一社会信用代码")
    respondent_id_no: str = Field("", description="身份证件号码（自然人）")
    subdistrict: str = Field("", description="所属街道：名称或代码（登记在册的主体按其街道）")
    category: str = Field("", description="案件类别：代码或名称，如 food 或 食品")


class LeadFilters(Schema):
    source: str | None = Field(None, description="线索来源代码")
    status: str | None = Field(None, description="状态代码：pending/filed/not_filed/transferred")
    received_from: dt.date | None = Field(None, description="受理日期起（含），YYYY-MM-DD")
    received_to: dt.date | None = Field(None, description="受理日期止（含），YYYY-MM-DD")


class LeadOut(Schema):
    id: int
    source: str = Field(description="线索来源代码")
    source_name: str = Field(description="线索来源")
    source_label: str = Field(description="来源说明（来源记录、来文文号）")
    received_on: dt.date = Field(description="受理日期")
    respondent: RespondentOut = Field(description="当事人")
    summary: str = Field(description="线索内容")
    category: str | None = Field(description="案件类别代码")
    subdistrict_code: str | None = Field(description="所属街道代码")
    station_name: str | None = Field(description="所属监管所")
    status: str = Field(description="状态代码")
    status_label: str = Field(description="状态")
    decision_due: dt.date | None = Field(description="立案决定期限")
    decision_due_provisional: bool = Field(description="期限为暂定：落在尚未公布节假日安排的年度")
    extended: bool = Field(description="已延长立案期限")
    paused_working_days: int = Field(description="检测鉴定等不计入的工作日")
    decided_on: dt.date | None = Field(description="决定日期")
    not_filed_reason: str = Field(description="不予立案理由代码")
    transfer_target: str = Field(description="移送对象代码：police/agency")
    transfer_body: str = Field(description="接收机关")
    case_number: str | None = Field(description="立案后的案件编号")
    version: int = Field(description="版本")

    @staticmethod
    def resolve_source_name(obj):
        return obj.get_source_display()

    @staticmethod
    def resolve_respondent(obj, context):
        return respondent_of(obj, context)

    @staticmethod
    def resolve_category(obj):
        return obj.category.code if obj.category_id else None

    @staticmethod
    def resolve_subdistrict_code(obj):
        return obj.subdistrict.code if obj.subdistrict_id else None

    @staticmethod
    def resolve_station_name(obj):
        return _station(obj)

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_case_number(obj):
        if hasattr(obj, "case_number"):  # annotated by the list (selectors.with_case_number)
            return obj.case_number
        case = getattr(obj, "case", None)  # (None when the lead was not filed)
        return case.number if case is not None else None


# ---------------------------------------------------------------- cases


class CaseFilters(Schema):
    status: str | None = Field(None, description="状态代码，如 filed、investigating、decided、closed")
    category: str | None = Field(None, description="案件类别代码")
    procedure: str | None = Field(None, description="程序类型代码：general/simple")
    year: int | None = Field(None, ge=1990, le=2200, description="立案年度")
    q: str | None = Field(None, max_length=100, description="案件编号、决定书文号、当事人名称或统一社会信用代码")


class CaseOut(Schema):
    id: int
    number: str = Field(description="案件编号")
    filed_on: dt.date = Field(description="立案日期")
    source: str = Field(description="案件来源代码")
    category: str = Field(description="案件类别代码")
    category_name: str = Field(description="案件类别")
    cause: str = Field(description="案由")
    procedure: str = Field(description="程序类型代码")
    respondent: RespondentOut = Field(description="当事人")
    subdistrict_code: str | None = Field(description="所属街道代码")
    station_name: str | None = Field(description="承办监管所")
    status: str = Field(description="状态代码")
    status_label: str = Field(description="状态")
    decision_due: dt.date | None = Field(description="办案期限（自立案起90日，加中止天数，延期另加30日，遇休息日顺延）")
    decision_due_provisional: bool = Field(description="办案期限为暂定")
    suspended_days: int = Field(description="中止天数")
    extended: bool = Field(description="已延长办案期限")
    decided_on: dt.date | None = Field(description="决定日期")
    decision_number: str = Field(description="处罚决定书文号")
    penalty_kinds: list[str] = Field(description="处罚种类代码")
    penalty_labels: list[str] = Field(description="处罚种类")
    fine_amount: Decimal = Field(description="罚款金额（元）")
    confiscated_income: Decimal = Field(description="没收违法所得金额（元）")
    penalty_amount: Decimal = Field(description="罚没款（罚款 + 没收违法所得，元）")
    exempt: bool = Field(description="不予行政处罚")
    exempt_reason: str = Field(description="不予处罚理由代码")
    closed_on: dt.date | None = Field(description="结案日期")
    version: int = Field(description="版本")

    @staticmethod
    def resolve_category(obj):
        return obj.category.code

    @staticmethod
    def resolve_category_name(obj):
        return obj.category.name

    @staticmethod
    def resolve_respondent(obj, context):
        return respondent_of(obj, context)

    @staticmethod
    def resolve_subdistrict_code(obj):
        return obj.subdistrict.code if obj.subdistrict_id else None

    @staticmethod
    def resolve_station_name(obj):
        return _station(obj)

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_penalty_labels(obj):
        return [PenaltyKind(k).label for k in obj.penalty_kinds or [] if k in PenaltyKind.values]


class StepOut(Schema):
    kind: str = Field(description="环节代码")
    label: str = Field(description="环节")
    on: dt.date = Field(description="日期")
    actor: str | None = Field(description="经办人")
    approved_by: str = Field(description="审批人")
    opinion: str = Field(description="意见")

    @staticmethod
    def resolve_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_actor(obj):
        return (obj.actor.full_name or obj.actor.username) if obj.actor_id else None


class SuspensionOut(Schema):
    reason: str = Field(description="中止事由代码")
    label: str = Field(description="中止事由")
    start: dt.date = Field(description="中止日期")
    end: dt.date | None = Field(description="恢复日期（仍中止时为空）")
    days: int | None = Field(description="中止天数")

    @staticmethod
    def resolve_label(obj):
        return obj.get_reason_display()


class DocumentOut(Schema):
    kind: str = Field(description="文书种类")
    title: str = Field(description="文书名称")
    number: str = Field(description="文号")
    created_at: dt.datetime = Field(description="生成时间")

    @staticmethod
    def resolve_created_at(obj):
        return timezone.localtime(obj.created_at)


class CaseDetailOut(CaseOut):
    violated_articles: str = Field(description="违反的条款")
    penalising_articles: str = Field(description="处罚依据")
    goods_value: Decimal | None = Field(description="货值（元）")
    officers: list[str] = Field(description="承办人员")
    served_on: dt.date | None = Field(description="送达日期")
    payment_due: dt.date | None = Field(description="缴款期限")
    paid_on: dt.date | None = Field(description="缴款日期")
    paid_amount: Decimal = Field(description="已缴金额（元）")
    surcharge: Decimal = Field(description="加处罚款（元）")
    transfer_target: str = Field(description="移送对象代码")
    transfer_body: str = Field(description="接收机关")
    published_on: dt.date | None = Field(description="公示日期")
    steps: list[StepOut] = Field(description="办案环节")
    suspensions: list[SuspensionOut] = Field(description="中止")
    documents: list[DocumentOut] = Field(description="文书")

    @staticmethod
    def resolve_officers(obj):
        return [u.full_name or u.username for u in obj.officers.order_by("full_name", "username")]

    @staticmethod
    def resolve_steps(obj):
        return list(obj.steps.select_related("actor").order_by("on", "pk"))

    @staticmethod
    def resolve_suspensions(obj):
        return list(obj.suspensions.order_by("start", "pk"))

    @staticmethod
    def resolve_documents(obj):
        return list(documents_of(obj))
