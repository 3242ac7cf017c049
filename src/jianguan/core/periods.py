"""Report parameters: a period, an as-of date (截至), a scope (the bureau, a station, a subdistrict)
and, for campaign figures, the campaign (专项行动) they are about."""

import calendar
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from .errors import DomainError

_HALF = re.compile(r"^(\d{4})H([12])$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    code: str

    @classmethod
    def parse(cls, text: str) -> "Period":
        text = (text or "").strip()
        if m := _HALF.match(text):
            year, half = int(m[1]), int(m[2])
            return cls(dt.date(year, 1 if half == 1 else 7, 1), _month_end(year, 6 if half == 1 else 12), text)
        if m := _QUARTER.match(text):
            year, q = int(m[1]), int(m[2])
            return cls(dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q), text)
        if (m := _MONTH.match(text)) and 1 <= int(m[2]) <= 12:
            year, month = int(m[1]), int(m[2])
            return cls(dt.date(year, month, 1), _month_end(year, month), f"{year}-{month:02d}")
        if m := _YEAR.match(text):
            year = int(m[1])
            return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), text)
        if m := _RANGE.match(text):
            try:
                start, end = dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2])
            except ValueError as exc:
                raise DomainError("invalid_period", f"统计期间“{text}”中的日期不存在") from exc
            if end < start:
                raise DomainError("invalid_period", f"统计期间“{text}”的结束日早于开始日")
            return cls(start, end, text)
        raise DomainError(
            "invalid_period",
            f"无法识别的统计期间“{text}”；可写 2026H1、2026Q3、2026-08、2026 或 2026-01-01..2026-06-30",
        )

    @classmethod
    def year_to_date(cls, as_of: dt.date) -> "Period":
        return cls(dt.date(as_of.year, 1, 1), as_of, f"{as_of.year}-01-01..{as_of.isoformat()}")

    @property
    def label(self) -> str:
        if _HALF.match(self.code):
            return f"{self.start.year}年{'上' if self.start.month == 1 else '下'}半年"
        if _QUARTER.match(self.code):
            return f"{self.start.year}年第{(self.start.month + 2) // 3}季度"
        if _MONTH.match(self.code):
            return f"{self.start.year}年{self.start.month}月"
        if _YEAR.match(self.code):
            return f"{self.start.year}年"
        return f"{self.start.year}年{self.start.month}月{self.start.day}日至{self.end.year}年{self.end.month}月{self.end.day}日"

    def _whole_months(self) -> int | None:
        if self.start.day != 1 or self.end != _month_end(self.end.year, self.end.month):
            return None
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def previous(self) -> "Period":
        """The period just before, of the same length (环比)."""
        months = self._whole_months()
        if months:
            start = _shift_months(self.start, -months)
            last = _shift_months(self.start, -1)
            end = _month_end(last.year, last.month)
            return Period(start, end, _recode(self.code, start, end))
        length = self.end - self.start
        end = self.start - dt.timedelta(days=1)
        return Period(end - length, end, f"{(end - length).isoformat()}..{end.isoformat()}")

    def same_last_year(self) -> "Period":
        """The same period a year earlier (同比)."""
        start, end = _shift_months(self.start, -12), _shift_months(self.end, -12)
        if self._whole_months():
            end = _month_end(end.year, end.month)
        return Period(start, end, _recode(self.code, start, end))


def _recode(code: str, start: dt.date, end: dt.date) -> str:
    if _HALF.match(code):
        return f"{start.year}H{1 if start.month == 1 else 2}"
    if _QUARTER.match(code):
        return f"{start.year}Q{(start.month + 2) // 3}"
    if _MONTH.match(code):
        return f"{start.year}-{start.month:02d}"
    if _YEAR.match(code):
        return str(start.year)
    return f"{start.isoformat()}..{end.isoformat()}"


@dataclass(frozen=True)
class Scope:
    kind: str  # bureau | station | subdistrict
    code: str = ""
    name: str = ""

    @classmethod
    def parse(cls, text: str | None) -> "Scope":
        from jianguan.org.models import OrgUnit, Subdistrict  # org sits above core

        text = (text or "").strip()
        if not text or text == "bureau":
            return cls("bureau")
        kind, _, code = text.partition(":")
        if kind == "station":
            unit = OrgUnit.objects.filter(kind="station", code=code).first()
            if unit is None:
                raise DomainError("invalid_scope", f"监管所代码“{code}”不存在")
            return cls("station", code, unit.name)
        if kind == "subdistrict":
            sub = Subdistrict.objects.filter(code=code).first()
            if sub is None:
                raise DomainError("invalid_scope", f"街道代码“{code}”不存在")
            return cls("subdistrict", code, sub.name)
        raise DomainError("invalid_scope", f"无法识别的范围“{text}”；可写 station:代码 或 subdistrict:代码")

    @property
    def text(self) -> str:
        return "bureau" if self.kind == "bureau" else f"{self.kind}:{self.code}"

    @property
    def label(self) -> str:
        return self.name or "全局"


@dataclass(frozen=True)
class Params:
    as_of: dt.date
    period: Period
    scope: Scope
    # A campaign's code (campaigns.Campaign.code): the `campaign.*` figures count that campaign's records.
    # Core does not know campaigns; the campaigns app registers the parameter and checks the code.
    campaign: str = ""
    # The annual-report year (年报年度) the `credit.annual_report*` figures are about; None: the year
    # before the as-of date (the filing window of year Y runs in Y+1).
    report_year: int | None = None

    @classmethod
    def build(
        cls, *, as_of: dt.date | str | None = None, period: str | None = None, scope: str | None = None,
        campaign: str | None = None, report_year: int | str | None = None,
    ) -> "Params":
        if isinstance(as_of, str):
            try:
                as_of = dt.date.fromisoformat(as_of.strip())
            except ValueError as exc:
                raise DomainError("invalid_as_of", f"截至日期“{as_of}”无法识别，请写成 2026-06-30") from exc
        campaign = (campaign or "").strip()
        year = _report_year(report_year)
        if period:
            p = Period.parse(period)
            return cls(as_of or p.end, p, Scope.parse(scope), campaign, year)
        if as_of is None:
            raise DomainError("missing_period", "请给出统计期间（--period）或截至日期（--as-of）")
        return cls(as_of, Period.year_to_date(as_of), Scope.parse(scope), campaign, year)

    @property
    def annual_report_year(self) -> int:
        return self.report_year or self.as_of.year - 1

    def with_period(self, period: Period) -> "Params":
        return dataclasses.replace(self, as_of=period.end, period=period)

    def with_scope(self, scope: Scope) -> "Params":
        return dataclasses.replace(self, scope=scope)

    def as_dict(self) -> dict:
        out = {
            "as_of": self.as_of.isoformat(),
            "period": self.period.code,
            "period_start": self.period.start.isoformat(),
            "period_end": self.period.end.isoformat(),
            "scope": self.scope.text,
        }
        if self.campaign:  # only when set, so that the hashes of reports without one do not change
            out["campaign"] = self.campaign
        if self.report_year:
            out["report_year"] = self.report_year
        return out


def _report_year(value: int | str | None) -> int | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not (text.isdigit() and 2000 <= int(text) <= 2100):
        raise DomainError("invalid_report_year", f"年报年度“{value}”无法识别，请写成四位年份，如 2025")
    return int(text)
