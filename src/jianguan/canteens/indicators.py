"""Figures of school canteens and 明厨亮灶 (seed 001 "*家餐饮单位、学校食堂等实现互联网+明厨亮灶"; seed 004
"协调新接入平台*家，改接*家", "学校食堂评价验收完成率100％，达标率79％").

- `canteens.count[食堂类别]` (as of): canteen licences (业态 学校食堂、托幼机构食堂、养老机构食堂、单位食堂) valid on
  the day; `canteens.school` the school ones (学校食堂、托幼机构食堂).
- `canteens.mingchu_built[食堂类别]` (as of): of those, 明厨亮灶 built (已建 or 已接入平台) on or before the day;
  `canteens.mingchu_rate[食堂类别]` = built ÷ canteens × 100.
- `canteens.mingchu_connected[食堂类别]` (period): canteens first connected to a platform in the period (新接入);
  `canteens.mingchu_reconnected[食堂类别]`: canteens re-connected to a new platform in the period (改接), once each.
- `canteens.school_evaluated` (period): school canteens with an evaluation (评价验收) in the period;
  `canteens.school_passed`: those whose latest evaluation in the period is not 不合格;
  `canteens.school_pass_rate` (达标率) = passed ÷ evaluated × 100.
Scope: the licence holder's subdistrict.
"""

from django.db.models import Exists, OuterRef, Q

from jianguan.core.indicators import Column, Dimension, Indicator, register
from jianguan.core.periods import Params
from jianguan.licences.choices import CanteenKind
from jianguan.licences.rules import valid_q

from .choices import ChangeKind, EvaluationResult
from .models import Canteen, Evaluation, MingchuChange
from .selectors import canteen_licences

_SCOPE = "按持证主体所属街道（决定承办监管所）统计范围。"
_CANTEENS = "食堂指主体业态为学校食堂、托幼机构食堂（学校食堂）或养老机构食堂、单位食堂（其他食堂）的许可证"
KIND = Dimension("sector__canteen", "食堂类别", ((CanteenKind.SCHOOL.value, "学校食堂"), (CanteenKind.OTHER.value, "其他食堂")))
KIND_OF_CANTEEN = Dimension("licence__sector__canteen", "食堂类别", KIND.choices)

LICENCE_COLUMNS = (
    Column("许可证编号", "number"), Column("主体名称", "business.name"), Column("统一社会信用代码", "business.uscc"),
    Column("主体业态", "sector.name"), Column("学校（机构）名称", "canteen.school_name"),
    Column("明厨亮灶", "canteen.get_mingchu_status_display"), Column("建成日期", "canteen.built_on"),
    Column("接入日期", "canteen.connected_on"), Column("接入平台", "canteen.platform"), Column("有效期至", "valid_until"),
    Column("所属街道", "business.subdistrict.name"), Column("承办监管所", "business.subdistrict.station.name"),
)
CANTEEN_COLUMNS = (
    Column("许可证编号", "licence.number"), Column("主体名称", "licence.business.name"), Column("主体业态", "licence.sector.name"),
    Column("学校（机构）名称", "school_name"), Column("明厨亮灶", "get_mingchu_status_display"), Column("建成日期", "built_on"),
    Column("接入日期", "connected_on"), Column("最近改接日期", "reconnected_on"), Column("接入平台", "platform"),
    Column("所属街道", "licence.business.subdistrict.name"), Column("承办监管所", "licence.business.subdistrict.station.name"),
)


def _licences():
    return canteen_licences().select_related("sector", "canteen", "business__subdistrict__station")


def _canteens():
    return Canteen.objects.filter(licence__sector__canteen__in=(CanteenKind.SCHOOL, CanteenKind.OTHER)).select_related(
        "licence__sector", "licence__business__subdistrict__station")


def _valid(p: Params) -> Q:
    return valid_q(p.as_of)


def _as_of(key, label, definition, residual, dimension=KIND):
    return register(Indicator(
        key=key, label=label, unit="家", definition=definition, uses="as_of", source="canteens.licences", queryset=_licences,
        condition=lambda p: _valid(p) & residual(p), where=_valid, residual=residual, scope_field="business__subdistrict",
        dimension=dimension, columns=LICENCE_COLUMNS))


_as_of("canteens.count", "食堂", f"截至日期有效的食堂许可证（{_CANTEENS}），按食堂类别分项。{_SCOPE}", lambda p: Q(pk__isnull=False))
_as_of("canteens.school", "学校食堂",
       f"截至日期有效的学校食堂许可证：主体业态为学校食堂或托幼机构食堂。{_SCOPE}", lambda p: Q(sector__canteen=CanteenKind.SCHOOL),
       dimension=None)
_as_of("canteens.mingchu_built", "明厨亮灶已建食堂",
       f"截至日期有效的食堂许可证中，明厨亮灶建成日期不晚于截至日期的（已建或已接入平台；接入平台而未单独登记建成的，以接入日期为建成日期）；"
       f"按食堂类别分项。{_CANTEENS}。{_SCOPE}", lambda p: Q(canteen__built_on__lte=p.as_of))
register(Indicator(
    key="canteens.mingchu_rate", label="明厨亮灶覆盖率", unit="%", uses="as_of", aggregate="rate",
    numerator="canteens.mingchu_built", denominator="canteens.count", dimension=KIND,
    definition=f"截至日期明厨亮灶已建（含已接入平台）的食堂 ÷ 截至日期有效的食堂 × 100%，按食堂类别分项。{_CANTEENS}。{_SCOPE}"))


def _in_period(field: str):
    return lambda p: Q(**{f"{field}__gte": p.period.start, f"{field}__lte": p.period.end})


def _reconnected(p: Params) -> Q:
    changes = MingchuChange.objects.filter(canteen=OuterRef("pk"), kind=ChangeKind.RECONNECTED, on__gte=p.period.start,
                                           on__lte=p.period.end)
    return Q(Exists(changes))


def _evaluated(p: Params) -> Q:
    evaluations = Evaluation.objects.filter(canteen=OuterRef("pk"), on__gte=p.period.start, on__lte=p.period.end)
    return Q(licence__sector__canteen=CanteenKind.SCHOOL) & Q(Exists(evaluations))


def _passed(p: Params) -> Q:
    """The latest evaluation of the period (by date, then by entry) is not 不合格."""
    later = Evaluation.objects.filter(canteen=OuterRef("canteen"), on__lte=p.period.end).filter(
        Q(on__gt=OuterRef("on")) | Q(on=OuterRef("on"), pk__gt=OuterRef("pk")))
    latest_ok = Evaluation.objects.filter(canteen=OuterRef("pk"), on__gte=p.period.start, on__lte=p.period.end).exclude(
        result=EvaluationResult.FAIL).filter(~Exists(later))
    return Q(licence__sector__canteen=CanteenKind.SCHOOL) & Q(Exists(latest_ok))


def _period(key, label, definition, condition, dimension=None):
    return register(Indicator(
        key=key, label=label, unit="家", definition=definition, uses="period", source="canteens.canteens", queryset=_canteens,
        condition=condition, scope_field="licence__business__subdistrict", dimension=dimension, columns=CANTEEN_COLUMNS))


_period("canteens.mingchu_connected", "明厨亮灶新接入平台",
        f"首次接入明厨亮灶监管平台的日期在统计期间内的食堂（新接入），按食堂类别分项；改接不计入。{_CANTEENS}。{_SCOPE}",
        _in_period("connected_on"), KIND_OF_CANTEEN)
_period("canteens.mingchu_reconnected", "明厨亮灶改接平台",
        f"统计期间内由原平台改接新平台的食堂（改接），同一食堂期间内多次改接的计1家，按食堂类别分项。{_CANTEENS}。{_SCOPE}",
        _reconnected, KIND_OF_CANTEEN)
_period("canteens.school_evaluated", "学校食堂评价验收",
        f"统计期间内进行过评价验收的学校食堂（学校食堂、托幼机构食堂），同一食堂多次评价的计1家。{_SCOPE}", _evaluated)
_period("canteens.school_passed", "学校食堂评价验收达标",
        "统计期间内进行过评价验收、且期间内最近一次评价结果不是“不合格”（优秀、良好、一般）的学校食堂；"
        f"同一天多次评价的以后录入的为准。{_SCOPE}", _passed)
register(Indicator(
    key="canteens.school_pass_rate", label="学校食堂评价验收达标率", unit="%", uses="period", aggregate="rate",
    numerator="canteens.school_passed", denominator="canteens.school_evaluated",
    definition="达标率 = 统计期间内最近一次评价结果为优秀、良好或一般（即不是“不合格”）的学校食堂 ÷ 统计期间内进行过评价验收的学校食堂 × 100%。"
               + _SCOPE))
