"""The special-equipment ledger's figures (seed 000: 生产单位11家，使用单位778家，注册登记特种设备11133台(套) … 定检率).

Every figure over devices shares the source "equipment.equipment" and the 种类 dimension, so a report
reads the ledger in ONE grouped pass; the conditions read only the columns of the covering index
`equipment_report_pass` (type, status, registered_on, status_date, next_due, subdistrict) — the
insurance figure alone also reads `insurance_until`.

Status on an as-of date D: a device counts from its registration date; a current status dated after D
means the device was still in use on D (停用, 报废 and 注销 each carry their date).

Distinct counts (生产单位, 使用单位) pick one representative record per unit — the one with the
smallest id among those that qualify — so that the drill-down lists each unit exactly once and its
length equals the figure.
"""

import time

from django.db.models import Exists, F, Min, OuterRef, Q

from jianguan.core.indicators import Column, Dimension, Indicator, register
from jianguan.core.periods import Params
from jianguan.licences.models import Licence
from jianguan.licences.rules import valid_q

from .choices import PRODUCER_LICENCE_KIND, CatalogueLevel, EquipmentStatus
from .models import CatalogueEntry, Equipment, Examination

ELEVATOR = "3000"
EQUIPMENT_SOURCE = "equipment.equipment"
_TYPES_TTL = 300.0  # seconds; the catalogue is reference data that changes a few times a decade
_types_cache: tuple[float, tuple[tuple[str, str], ...]] | None = None


def _types() -> tuple[tuple[str, str], ...]:
    """(code, name) of the registrable 种类, in catalogue order; cached so that rendering a report's
    parts costs no query per part."""
    global _types_cache
    now = time.monotonic()
    if _types_cache is None or now - _types_cache[0] > _TYPES_TTL:
        rows = CatalogueEntry.objects.filter(level=CatalogueLevel.TYPE, registrable=True).order_by("code")
        _types_cache = (now, tuple(rows.values_list("code", "name")))
    return _types_cache[1]


def clear_type_cache() -> None:
    global _types_cache
    _types_cache = None


def registrable_types() -> tuple[str, ...]:
    return tuple(code for code, _ in _types())


TYPE = Dimension(
    "type",  # the foreign key's column holds the catalogue code
    "设备种类",
    choices=lambda: tuple((code, code) for code, _ in _types()),
    names=lambda: dict(_types()),
)

EQUIPMENT_COLUMNS = (
    Column("设备注册代码", "reg_code"),
    Column("设备种类", "type.name"),
    Column("设备类别", "category.name"),
    Column("使用单位", "operator.name"),
    Column("使用地点", "address"),
    Column("所属街道", "subdistrict.name"),
    Column("登记日期", "registered_on"),
    Column("设备状态", "get_status_display"),
    Column("状态日期", "status_date"),
    Column("下次检验日期", "next_due"),
)
INSURANCE_COLUMNS = (*EQUIPMENT_COLUMNS, Column("保险截止日期", "insurance_until"))
OPERATOR_COLUMNS = (
    Column("使用单位", "operator.name"),
    Column("统一社会信用代码", "operator.uscc"),
    Column("使用单位所属街道", "operator.subdistrict.name"),
    Column("设备注册代码（其中一台）", "reg_code"),
    Column("设备所属街道", "subdistrict.name"),
)
PRODUCER_COLUMNS = (
    Column("生产单位", "business.name"),
    Column("统一社会信用代码", "business.uscc"),
    Column("所属街道", "business.subdistrict.name"),
    Column("许可证编号（其中一份）", "number"),
    Column("有效期至", "valid_until"),
)
EXAMINATION_COLUMNS = (
    Column("设备注册代码", "equipment.reg_code"),
    Column("设备种类", "equipment.type.name"),
    Column("使用单位", "equipment.operator.name"),
    Column("所属街道", "equipment.subdistrict.name"),
    Column("检验日期", "date"),
    Column("检验结论", "get_conclusion_display"),
    Column("报告编号", "report_no"),
    Column("下次检验日期", "next_due"),
)


def _equipment():
    return Equipment.objects.select_related("type", "category", "operator", "subdistrict")


def _licences():
    # The producer licences are the licence register's rows of kind 特种设备生产许可证.
    return Licence.objects.filter(kind__code=PRODUCER_LICENCE_KIND).select_related("business", "business__subdistrict")


def _examinations():
    return Examination.objects.select_related("equipment", "equipment__type", "equipment__operator", "equipment__subdistrict")


# ---------------------------------------------------------------- status on a date


def in_use_on(day, prefix: str = "") -> Q:
    """在用 on the day: registered by then, and either still in use or its current status came later."""
    return Q(**{f"{prefix}registered_on__lte": day}) & (
        Q(**{f"{prefix}status": EquipmentStatus.IN_USE}) | Q(**{f"{prefix}status_date__gt": day})
    )


def idle_on(day) -> Q:
    """停用 on the day: idle now, and idle since a date no later than the day."""
    return Q(registered_on__lte=day, status=EquipmentStatus.IDLE, status_date__lte=day)


def registered_on_date(day) -> Q:
    """在用 + 停用 on the day. Every status but 在用 carries its date, so this is in_use_on | idle_on."""
    return Q(registered_on__lte=day) & (
        Q(status__in=(EquipmentStatus.IN_USE, EquipmentStatus.IDLE)) | Q(status_date__gt=day)
    )


# The pass over devices applies "registered by the date" once (the shared prefilter); each figure then
# counts only its residual condition, and the figures that are sums or differences of others are
# derived in Python. condition == where & residual, which the drill-downs use.
def registered_by(p: Params) -> Q:
    return Q(registered_on__lte=p.as_of)


def _in_use_state(day) -> Q:
    return Q(status=EquipmentStatus.IN_USE) | Q(status_date__gt=day)


def _idle_state(day) -> Q:
    return Q(status=EquipmentStatus.IDLE, status_date__lte=day)


def overdue_on(day) -> Q:
    return in_use_on(day) & Q(next_due__lt=day)


def exam_subject_on(day) -> Q:
    return in_use_on(day) & Q(type__in=registrable_types())


def exam_current_on(day) -> Q:
    return exam_subject_on(day) & (Q(next_due__gte=day) | Q(next_due__isnull=True))


def elevators_in_use_on(day) -> Q:
    return in_use_on(day) & Q(type=ELEVATOR)


def licence_valid_on(day, prefix: str = "") -> Q:
    """A producer licence in force on the day: the licence register's rule (issued by then, term not past, not
    注销 or 吊销 by then) — for a licence imported here, with no end decision, as before: 有效期起 (the issue date)
    not after the day and 有效期至 not before it."""
    return valid_q(day, prefix)


def _scope_q(p: Params, path: str) -> Q:
    if p.scope.kind == "station":
        return Q(**{f"{path}__station__code": p.scope.code})
    if p.scope.kind == "subdistrict":
        return Q(**{f"{path}__code": p.scope.code})
    return Q()


def _operator_counted(p: Params) -> Q:
    """One device per operator: the registered device with the smallest id in the report's scope.
    An uncorrelated subquery, evaluated once, not per row."""
    first = (
        Equipment.objects.filter(registered_on_date(p.as_of), _scope_q(p, "subdistrict"))
        .values("operator")
        .annotate(first=Min("pk"))
        .values("first")
    )
    return Q(pk__in=first)


def _producer_counted(p: Params) -> Q:
    """One licence per producer unit: the valid licence with the smallest id."""
    first = _licences().filter(licence_valid_on(p.as_of)).values("business").annotate(first=Min("pk")).values("first")
    return Q(pk__in=first)


def _examined_on_time(p: Params) -> Q:
    later = Examination.objects.filter(equipment=OuterRef("equipment"), date__gt=OuterRef("date"), date__lte=OuterRef("next_due"))
    return _due_in_period(p) & Exists(later)


def _due_dates_in_period(p: Params) -> Q:
    return Q(next_due__gte=p.period.start, next_due__lte=p.period.end)


def _due_in_period(p: Params) -> Q:
    due = F("next_due")
    in_use_then = Q(equipment__registered_on__lte=due) & (
        Q(equipment__status=EquipmentStatus.IN_USE) | Q(equipment__status_date__gt=due)
    )
    return Q(next_due__gte=p.period.start, next_due__lte=p.period.end) & in_use_then


# ---------------------------------------------------------------- registration


def _device(key, label, definition, condition, *, dimension=TYPE, columns=EQUIPMENT_COLUMNS, unit="台", **extra):
    return register(
        Indicator(
            key=key,
            label=label,
            unit=unit,
            definition=definition,
            uses="as_of",
            source=EQUIPMENT_SOURCE,
            queryset=_equipment,
            condition=condition,
            dimension=dimension,
            columns=columns,
            **extra,
        )
    )


def _rate(key, label, definition, numerator, denominator, uses="as_of"):
    return register(
        Indicator(key=key, label=label, unit="%", definition=definition, uses=uses, aggregate="rate",
                  numerator=numerator, denominator=denominator)
    )


register(
    Indicator(
        key="equipment.producers",
        label="特种设备生产单位",
        unit="家",
        definition="截至日期持有有效特种设备生产许可（许可证台账中许可种类为特种设备生产许可证，发证日期不晚于、有效期至不早于截至日期，"
                   "且截至日期未注销、未吊销）的生产单位家数，一个单位持多份许可计一家。",
        uses="as_of",
        source="equipment.producer_licence",
        queryset=_licences,
        condition=lambda p: _producer_counted(p),
        scope_field="business__subdistrict",
        distinct_field="business",
        columns=PRODUCER_COLUMNS,
        # As for operators: the value counts distinct businesses among the valid licences; the
        # drill-down lists one representative licence each. (COUNT(DISTINCT …) FILTER (WHERE id IN
        # (subquery)) gave a wrong count on SQLite, so the representatives stay out of the value.)
        where=lambda p: licence_valid_on(p.as_of),
        residual=lambda p: Q(),
    )
)
_device(
    "equipment.operators",
    "特种设备使用单位",
    "截至日期至少有一台注册登记（在用或停用）特种设备的使用单位家数；按范围统计时，只看设备所在街道属于该范围的设备。",
    _operator_counted,
    dimension=None,
    columns=OPERATOR_COLUMNS,
    unit="家",
    distinct_field="operator",
    # The value needs no representatives: distinct operators among the registered devices in scope
    # are exactly as many, and that count streams over the (operator, …) index. The drill-down still
    # lists one representative device per operator.
    where=lambda p: registered_on_date(p.as_of),
    residual=lambda p: Q(),
)
_device(
    "equipment.registered",
    "注册登记特种设备",
    "截至日期已办理使用登记、状态为在用或停用的特种设备台(套)数（当日以后才报废、注销或停用的，按当日在用计）。",
    lambda p: registered_on_date(p.as_of),
    derived=("+", "equipment.in_use", "equipment.idle"),
)
_device(
    "equipment.in_use",
    "在用特种设备",
    "截至日期已办理使用登记、状态为在用的特种设备台(套)数（当日以后才停用、报废或注销的，按当日在用计）。",
    lambda p: in_use_on(p.as_of),
    where=registered_by,
    residual=lambda p: _in_use_state(p.as_of),
)
_device(
    "equipment.idle",
    "停用特种设备",
    "截至日期处于停用状态（停用日期不晚于截至日期、此后未恢复使用）的特种设备台(套)数。",
    lambda p: idle_on(p.as_of),
    where=registered_by,
    residual=lambda p: _idle_state(p.as_of),
)

# ---------------------------------------------------------------- periodic examination

_device(
    "equipment.overdue",
    "超期未检特种设备",
    "截至日期在用、且下次检验日期（最近一次检验报告所载，无报告时为按检验周期估算）早于截至日期的特种设备台数。",
    lambda p: overdue_on(p.as_of),
    where=registered_by,
    # The rare fact first, so SQLite stops early on most rows.
    residual=lambda p: Q(next_due__lt=p.as_of) & _in_use_state(p.as_of),
)
_device(
    "equipment.exam_subject",
    "应定期检验的在用特种设备",
    "截至日期在用的特种设备台数：只有办理使用登记的目录种类才能登记（压力管道元件、安全附件不能），故在用设备均须定期检验。",
    lambda p: exam_subject_on(p.as_of),
    derived=("+", "equipment.in_use"),
)
_device(
    "equipment.exam_current",
    "未超期的在用特种设备",
    "应定期检验的在用特种设备中，下次检验日期不早于截至日期（或尚无检验日期）的台数，即应检设备数减超期未检设备数。",
    lambda p: exam_current_on(p.as_of),
    derived=("-", "equipment.exam_subject", "equipment.overdue"),
)
_rate(
    "equipment.exam_rate",
    "定检率",
    "定检率＝（截至日期应定期检验的在用特种设备数－其中超期未检数）÷应定期检验的在用特种设备数×100%，保留两位小数。",
    "equipment.exam_current",
    "equipment.exam_subject",
)

register(
    Indicator(
        key="equipment.exam_due",
        label="期内到期应检特种设备",
        unit="台",
        definition="检验报告所载下次检验日期在统计期间内、且该日设备仍在用的检验记录数（每份报告的一个到期日计一台次）。",
        uses="period",
        source="equipment.examination",
        queryset=_examinations,
        condition=_due_in_period,
        scope_field="equipment__subdistrict",
        columns=EXAMINATION_COLUMNS,
        where=_due_dates_in_period,
    )
)
register(
    Indicator(
        key="equipment.exam_on_time",
        label="期内按期检验特种设备",
        unit="台",
        definition="期内到期应检的检验记录中，同一设备在其下次检验日期当日或之前已有新的检验记录的台次。",
        uses="period",
        source="equipment.examination",
        queryset=_examinations,
        condition=_examined_on_time,
        scope_field="equipment__subdistrict",
        columns=EXAMINATION_COLUMNS,
        where=_due_dates_in_period,
    )
)
_rate(
    "equipment.exam_rate_period",
    "期内按期检验率",
    "期内按期检验率＝统计期间内到期的应检设备中按期（下次检验日期当日或之前）完成检验的台次÷期内到期应检台次×100%，保留两位小数。",
    "equipment.exam_on_time",
    "equipment.exam_due",
    uses="period",
)

# ---------------------------------------------------------------- elevator insurance

_device(
    "equipment.elevators_in_use",
    "在用电梯",
    "截至日期在用的电梯（种类3000）台数。",
    lambda p: elevators_in_use_on(p.as_of),
    dimension=None,
    columns=INSURANCE_COLUMNS,
    derived=("[]", "equipment.in_use", ELEVATOR),
)
_device(
    "equipment.elevators_insured",
    "已投保在用电梯",
    "截至日期在用、且电梯安全责任保险截止日期不早于截至日期的电梯台数。",
    lambda p: elevators_in_use_on(p.as_of) & Q(insurance_until__gte=p.as_of),
    dimension=None,
    columns=INSURANCE_COLUMNS,
    where=registered_by,
    residual=lambda p: Q(type=ELEVATOR) & _in_use_state(p.as_of) & Q(insurance_until__gte=p.as_of),
)
_rate(
    "equipment.elevator_insured_rate",
    "电梯安全责任保险覆盖率",
    "电梯安全责任保险覆盖率＝截至日期保险有效的在用电梯台数÷在用电梯台数×100%，保留两位小数。",
    "equipment.elevators_insured",
    "equipment.elevators_in_use",
)
