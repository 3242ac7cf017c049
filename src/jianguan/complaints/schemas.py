"""JSON shapes of /api/v1/complaints/. Input fields are kept as text where a platform may send
anything: the intake service checks them and answers in Chinese with the field named."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Field, Schema

from jianguan.core.middleware import client_ip

from .choices import Kind
from .privacy import personal_info
from .selectors import running_due_of

CLOCKS = [
    ("accept_due", "受理期限"),
    ("mediation_due", "调解期限"),
    ("filing_due", "立案决定期限"),
    ("notify_due", "告知期限"),
]


class ComplaintIn(Schema):
    number: str = Field("", description="登记编号（平台的编号，唯一；同一编号再次提交答 409）")
    received_at: str | None = Field(
        None, description="登记时间，如 2026-09-30 10:15:00 或 ISO 8601（2026-09-30T10:15:00+08:00）；缺省为接收时间"
    )
    kind: str = Field("", description="类型：投诉/举报/咨询，或 complaint/report/inquiry")
    respondent_name: str = Field("", description="被投诉举报对象名称")
    respondent_uscc: str = Field("", description="统一社会信用代码（被投诉举报对象的）")
    respondent_address: str = Field("", description="对象地址（经营场所）")
    subdistrict: str = Field("", description="所属街道：名称或代码")
    content: str = Field("", description="诉求内容")
    amount: str | float | int | None = Field(None, description="涉及金额（元）")
    complainant_name: str = Field("", description="投诉举报人姓名")
    complainant_phone: str = Field("", description="联系电话")
    channel_text: str = Field("", description="来源渠道（平台上的原文，如“全国12315平台”“12345转办”）")


class ComplaintFilters(Schema):
    kind: str | None = Field(None, description="类型：complaint/report/inquiry 或 投诉/举报/咨询")
    status: str | None = Field(None, description="处理状态代码，如 received、accepted、closed")
    received_from: dt.date | None = Field(None, description="登记日期起（含），YYYY-MM-DD")
    received_to: dt.date | None = Field(None, description="登记日期止（含），YYYY-MM-DD")


class PersonOut(Schema):
    name: str = Field(description="投诉举报人姓名（无权查看时脱敏）")
    phone: str = Field(description="联系电话（无权查看时脱敏）")
    masked: bool = Field(description="是否已脱敏")


class ClockOut(Schema):
    field: str = Field(description="期限字段")
    label: str = Field(description="期限名称")
    due: dt.date = Field(description="期限日期")
    provisional: bool = Field(description="暂定：期限落在尚未公布节假日安排的年度")


class EventOut(Schema):
    at: dt.datetime = Field(description="记录时间")
    on: dt.date = Field(description="业务日期")
    action: str = Field(description="环节")
    from_status: str = Field(description="原状态")
    to_status: str = Field(description="新状态")
    from_station: str | None = Field(description="原承办单位")
    to_station: str | None = Field(description="新承办单位")
    actor: str | None = Field(description="操作人")
    note: str = Field(description="说明")

    @staticmethod
    def resolve_at(obj):
        return timezone.localtime(obj.at)

    @staticmethod
    def resolve_from_station(obj):
        return obj.from_station.name if obj.from_station_id else None

    @staticmethod
    def resolve_to_station(obj):
        return obj.to_station.name if obj.to_station_id else None

    @staticmethod
    def resolve_actor(obj):
        return (obj.actor.full_name or obj.actor.username) if obj.actor_id else None


class ComplaintOut(Schema):
    id: int
    number: str = Field(description="登记编号")
    kind: str = Field(description="类型代码")
    kind_label: str = Field(description="类型")
    channel: str = Field(description="来源渠道代码")
    channel_label: str = Field(description="来源渠道")
    channel_text: str = Field(description="来源渠道（原文）")
    received_at: dt.datetime = Field(description="登记时间")
    received_on: dt.date = Field(description="登记日期")
    status: str = Field(description="处理状态代码")
    status_label: str = Field(description="处理状态")
    category: str = Field(description="所属领域代码")
    category_label: str = Field(description="所属领域")
    respondent_name: str = Field(description="被投诉举报对象名称")
    respondent_uscc: str = Field(description="统一社会信用代码")
    subdistrict_code: str | None = Field(description="所属街道代码（未分派时为空）")
    subdistrict_name: str | None = Field(description="所属街道")
    station_name: str | None = Field(description="承办单位")
    amount: Decimal | None = Field(description="涉及金额（元）")
    complainant: PersonOut = Field(description="投诉举报人（个人信息，依权限脱敏）")
    due: dt.date | None = Field(description="当前运行中的期限")
    due_provisional: bool = Field(description="当前期限为暂定")
    duplicate_of: str | None = Field(description="疑似重复的原件登记编号")
    closed_on: dt.date | None = Field(description="办结日期")
    version: int = Field(description="版本（办理时须带回）")

    @staticmethod
    def resolve_received_at(obj):
        return timezone.localtime(obj.received_at)  # Beijing time with its offset, as the platforms write it

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_channel_label(obj):
        return obj.get_channel_display()

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_category_label(obj):
        return obj.get_category_display()

    @staticmethod
    def resolve_subdistrict_code(obj):
        return obj.subdistrict.code if obj.subdistrict_id else None

    @staticmethod
    def resolve_subdistrict_name(obj):
        return obj.subdistrict.name if obj.subdistrict_id else None

    @staticmethod
    def resolve_station_name(obj):
        return obj.subdistrict.station.name if obj.subdistrict_id else None

    @staticmethod
    def resolve_complainant(obj, context):
        # One call per record and response: an unmasked answer writes one disclosure row (PIPL).
        request = context["request"]
        return personal_info(request.auth, obj, purpose="接口查询", ip=client_ip(request))

    @staticmethod
    def resolve_due(obj):
        return running_due_of(obj)[0]

    @staticmethod
    def resolve_due_provisional(obj):
        return running_due_of(obj)[1]

    @staticmethod
    def resolve_duplicate_of(obj):
        return obj.duplicate_of.number if obj.duplicate_of_id else None


class ComplaintDetailOut(ComplaintOut):
    respondent_address: str = Field(description="对象地址")
    subdistrict_text: str = Field(description="所属街道（原文）")
    content: str = Field(description="诉求内容")
    handler: str | None = Field(description="承办人")
    accepted_on: dt.date | None = Field(description="受理日期")
    refusal_reason: str = Field(description="不予受理理由代码")
    mediation_outcome: str = Field(description="调解结果代码")
    recovered_amount: Decimal | None = Field(description="挽回经济损失（元）")
    paused_working_days: int = Field(description="检测鉴定暂停工作日")
    extended: bool = Field(description="已延长立案决定期限")
    filing_decision: str = Field(description="立案决定代码")
    decided_on: dt.date | None = Field(description="决定日期")
    notified_on: dt.date | None = Field(description="告知日期")
    transferred_to: str = Field(description="移送机关")
    closed_on_time: bool | None = Field(description="按时办结")
    clocks: list[ClockOut] = Field(description="各项期限（含暂定标记）")
    timeline: list[EventOut] = Field(description="办理记录")

    @staticmethod
    def resolve_handler(obj):
        return (obj.handler.full_name or obj.handler.username) if obj.handler_id else None

    @staticmethod
    def resolve_clocks(obj):
        return [
            {"field": field, "label": label, "due": getattr(obj, field), "provisional": getattr(obj, f"{field}_provisional")}
            for field, label in CLOCKS
            if getattr(obj, field) is not None
        ]

    @staticmethod
    def resolve_timeline(obj):
        return list(obj.events.select_related("actor", "from_station", "to_station").order_by("at", "id"))


KIND_BY_LABEL = {label: value for value, label in Kind.choices}
