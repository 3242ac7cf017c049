"""The business registry's figures (SEED-FIGURES.md: 新增市场主体*户, 吊销"僵尸企业" …). They count 市场主体 only:
其他组织 (机关、事业单位、社会组织) are on the register but not market entities."""

from django.db.models import Q

from jianguan.core.indicators import Column, Dimension, Indicator, register
from jianguan.core.periods import Params

from .choices import MARKET_ENTITY_CHOICES, RegStatus
from .models import Business
from .rules import market_entity_q

ENTITY_TYPE = Dimension("entity_type", "主体类型", MARKET_ENTITY_CHOICES)
COLUMNS = (
    Column("统一社会信用代码", "uscc"),
    Column("名称", "name"),
    Column("主体类型", "get_entity_type_display"),
    Column("所属街道", "subdistrict.name"),
    Column("成立日期", "established_on"),
    Column("登记状态", "get_reg_status_display"),
    Column("状态日期", "status_date"),
)


def _businesses():
    return Business.objects.select_related("subdistrict")


def _active(p: Params) -> Q:
    # Every status but 存续 ends the business and carries its date (a model constraint), so "not
    # ended by the date" is: still 存续, or ended only after it. Cheaper per row than NOT (… AND …).
    return Q(established_on__lte=p.as_of) & (Q(reg_status=RegStatus.ACTIVE) | Q(status_date__gt=p.as_of))


def _in_period(field: str):
    return lambda p: Q(**{f"{field}__gte": p.period.start, f"{field}__lte": p.period.end})


def _ended(status: str):
    return lambda p: Q(reg_status=status) & _in_period("status_date")(p)


def _business_indicator(key, label, definition, uses, condition):
    return register(
        Indicator(
            key=key,
            label=label,
            unit="户",
            definition=definition,
            uses=uses,
            source="businesses.business",
            queryset=_businesses,
            condition=lambda p: market_entity_q() & condition(p),
            dimension=ENTITY_TYPE,
            columns=COLUMNS,
        )
    )


_business_indicator(
    "businesses.active",
    "实有市场主体",
    "截至日期已成立、且在该日前未注销、未吊销、未迁出的市场主体户数（不含其他组织）。",
    "as_of",
    _active,
)
_business_indicator(
    "businesses.new",
    "新增市场主体",
    "成立日期在统计期间内的市场主体户数（不含其他组织）。",
    "period",
    _in_period("established_on"),
)
_business_indicator(
    "businesses.deregistered",
    "注销市场主体",
    "登记状态为注销、且注销日期在统计期间内的市场主体户数（不含其他组织）。",
    "period",
    _ended(RegStatus.DEREGISTERED),
)
_business_indicator(
    "businesses.revoked",
    "吊销市场主体",
    "登记状态为吊销、且吊销日期在统计期间内的市场主体户数（不含其他组织）。",
    "period",
    _ended(RegStatus.REVOKED),
)
