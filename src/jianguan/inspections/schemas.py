import datetime as dt

from ninja import Field, Schema

from .choices import FindingStatus, InspectionKind, InspectionStatus


class InspectionFilters(Schema):
    kind: InspectionKind | None = Field(None, description="检查类型代码")
    status: InspectionStatus | None = Field(None, description="检查状态代码")
    campaign: str | None = Field(None, description="专项行动代码")
    business: str | None = Field(None, description="统一社会信用代码")
    date_from: dt.date | None = Field(None, description="检查日期起（含），YYYY-MM-DD")
    date_to: dt.date | None = Field(None, description="检查日期止（含），YYYY-MM-DD")


class FindingFilters(Schema):
    status: FindingStatus | None = Field(None, description="隐患状态代码")
    campaign: str | None = Field(None, description="专项行动代码")


class InspectionOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    business_uscc: str
    business_name: str
    subdistrict_code: str
    date: dt.date
    status: str
    result: str
    inspector_count: int
    campaign_code: str | None
    version: int

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_business_uscc(obj):
        return obj.business.uscc

    @staticmethod
    def resolve_business_name(obj):
        return obj.business.name

    @staticmethod
    def resolve_subdistrict_code(obj):
        return obj.subdistrict.code

    @staticmethod
    def resolve_campaign_code(obj):
        return obj.campaign.code if obj.campaign_id else None


class FindingOut(Schema):
    id: int
    inspection_number: str
    business_uscc: str
    business_name: str
    equipment_reg_code: str | None
    severity: str
    description: str
    found_on: dt.date
    deadline: dt.date
    status: str
    status_label: str
    reported_on: dt.date | None
    recheck_due: dt.date | None
    recheck_due_provisional: bool
    closed_on: dt.date | None
    version: int

    @staticmethod
    def resolve_inspection_number(obj):
        return obj.inspection.number

    @staticmethod
    def resolve_business_uscc(obj):
        return obj.business.uscc

    @staticmethod
    def resolve_business_name(obj):
        return obj.business.name

    @staticmethod
    def resolve_equipment_reg_code(obj):
        return obj.equipment.reg_code if obj.equipment_id else None

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()


class ReportIn(Schema):
    """A rectification report sent by another system (e.g. the operator's self-service portal)."""

    version: int
    submitted_on: dt.date
    text: str
    submitter_name: str = ""
