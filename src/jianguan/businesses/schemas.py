import datetime as dt
from typing import Literal

from ninja import Schema

from .choices import CreditRiskClass, EntityType, RegStatus

# 信用风险分类 as the API writes it: A-D, or "" for 未分类.
CreditClassValue = CreditRiskClass | Literal[""]


class BusinessOut(Schema):
    id: int
    uscc: str
    name: str
    entity_type: EntityType
    entity_type_label: str
    legal_rep: str
    address: str
    subdistrict_code: str
    subdistrict_name: str
    station_name: str
    industry_code: str
    established_on: dt.date
    reg_status: RegStatus
    reg_status_label: str
    status_date: dt.date | None
    credit_risk_class: CreditClassValue
    credit_risk_class_label: str
    credit_risk_class_on: dt.date | None
    version: int

    @staticmethod
    def resolve_entity_type_label(obj):
        return obj.get_entity_type_display()

    @staticmethod
    def resolve_reg_status_label(obj):
        return obj.get_reg_status_display()

    @staticmethod
    def resolve_credit_risk_class_label(obj):
        return obj.credit_risk_class_label

    @staticmethod
    def resolve_subdistrict_code(obj):
        return obj.subdistrict.code

    @staticmethod
    def resolve_subdistrict_name(obj):
        return obj.subdistrict.name

    @staticmethod
    def resolve_station_name(obj):
        return obj.subdistrict.station.name


class BusinessIn(Schema):
    uscc: str
    name: str
    entity_type: EntityType
    legal_rep: str = ""
    address: str = ""
    subdistrict_code: str
    industry_code: str = ""
    established_on: dt.date
    reg_status: RegStatus = RegStatus.ACTIVE
    status_date: dt.date | None = None
    credit_risk_class: CreditClassValue = ""
    credit_risk_class_on: dt.date | None = None


class BusinessPatch(Schema):
    version: int
    name: str | None = None
    entity_type: EntityType | None = None
    legal_rep: str | None = None
    address: str | None = None
    subdistrict_code: str | None = None
    industry_code: str | None = None
    established_on: dt.date | None = None
    reg_status: RegStatus | None = None
    status_date: dt.date | None = None
    credit_risk_class: CreditClassValue | None = None
    credit_risk_class_on: dt.date | None = None


class BusinessFilters(Schema):
    q: str | None = None
    entity_type: EntityType | None = None
    reg_status: RegStatus | None = None
    credit_risk_class: CreditRiskClass | Literal["-"] | None = None  # "-" is 未分类
    subdistrict: str | None = None
    station: str | None = None
