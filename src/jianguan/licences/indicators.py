"""Figures of the licence register. A licence is valid on a day when it was issued by then, its term has not
ended and no 注销 or 吊销 took effect on or before it (rules.valid_q) — whatever its stored status says, so a
figure as of a past date counts what was in force then. Scope: the holder's subdistrict."""

import datetime as dt

from django.db.models import ExpressionWrapper, F, IntegerField, Q

from jianguan.core.indicators import Column, Dimension, Indicator, reference_choices, register
from jianguan.core.periods import Params

from .models import Licence, LicenceKind, Sector
from .rules import valid_q
from .selectors import warning_days

# Grouped by the key + 0, not the foreign key's column: grouped by that column, SQLite walks the whole table in
# the column's index order instead of reading the rows the condition admits (as sampling's and cases' parts).
KIND = Dimension("kind_key", "许可种类", choices=reference_choices(LicenceKind))
SECTOR = Dimension("sector_key", "主体业态", choices=reference_choices(Sector))

COLUMNS = (
    Column("许可证编号", "number"),
    Column("许可种类", "kind.name"),
    Column("统一社会信用代码", "business.uscc"),
    Column("主体名称", "business.name"),
    Column("主体业态", "sector.name"),
    Column("所属街道", "business.subdistrict.name"),
    Column("监管所", "business.subdistrict.station.name"),
    Column("发证日期", "issued_on"),
    Column("有效期至", "valid_until"),
    Column("登记状态", "get_status_display"),
    Column("注销（吊销）日期", "status_date"),
)
_SCOPE = "按持证主体所属街道统计范围。"
_VALID = "发证日期在截至日期当日或之前（未填发证日期的视为已发证）、有效期至不早于截至日期（未填的为长期有效）、且截至日期当日或之前未被注销或吊销的"


def _licences():
    return Licence.objects.select_related("kind", "sector", "business__subdistrict__station").annotate(
        kind_key=ExpressionWrapper(F("kind_id") + 0, output_field=IntegerField()),
        sector_key=ExpressionWrapper(F("sector_id") + 0, output_field=IntegerField()),
    )


def _valid(p: Params) -> Q:
    return valid_q(p.as_of)


def _issued(p: Params) -> Q:
    return Q(issued_on__gte=p.period.start, issued_on__lte=p.period.end)


def _expiring(p: Params) -> Q:
    days = warning_days(p.as_of)
    return valid_q(p.as_of) & Q(valid_until__gte=p.as_of, valid_until__lte=p.as_of + dt.timedelta(days=days))


register(Indicator(
    key="licences.valid", label="有效许可证", unit="份", uses="as_of", source="licences",
    definition=f"{_VALID}许可证（含备案、登记）份数，按许可种类分项。{_SCOPE}",
    queryset=_licences, condition=_valid, scope_field="business__subdistrict", dimension=KIND, columns=COLUMNS,
))
register(Indicator(
    key="licences.valid_by_sector", label="有效许可证（按主体业态）", unit="份", uses="as_of", source="licences",
    definition=f"{_VALID}许可证份数，按许可证记载的主体业态分项；未填主体业态的只计入合计。{_SCOPE}",
    queryset=_licences, condition=_valid, scope_field="business__subdistrict", dimension=SECTOR, columns=COLUMNS,
))
register(Indicator(
    key="licences.issued", label="发证数", unit="份", uses="period", source="licences",
    definition=f"发证日期在统计期间内的许可证（含备案、登记）份数，不论其后是否注销、吊销或过期，按许可种类分项。{_SCOPE}",
    queryset=_licences, condition=_issued, scope_field="business__subdistrict", dimension=KIND, columns=COLUMNS,
))
register(Indicator(
    key="licences.expiring", label="即将到期许可证", unit="份", uses="as_of", source="licences",
    definition=f"截至日期有效（{_VALID}）、且有效期至在截至日期起的到期预警天数之内（含当日，天数为截至日期施行的规则"
               f"“许可证到期预警提前天数”，默认90天）的许可证份数。{_SCOPE}",
    queryset=_licences, condition=_expiring, scope_field="business__subdistrict", columns=COLUMNS,
))
