"""Figures of 包保 (两个责任) (seed 001 "将全区*个食品生产经营主体落实到位", "建立*名包保干部台账"; seed 004
"确定B级主体*家，C级主体*家…并按照层级关系进行分包").

- `baobao.subjects[包保等级]` (as of): food subjects with a 包保 assignment active on the day, by their 包保 grade
  on the day (one grade record each).
- `baobao.cadres` (as of): cadres with an assignment active on the day, each once (the drill-down lists one of
  their assignments in the scope).
- `baobao.assignments[包保层级]` (as of): assignments active on the day; `baobao.supervised[包保层级]`: those with a
  督导 within their cadre level's frequency ending on the day (rules `baobao.supervision_months.<level>`);
  `baobao.supervision_rate[包保层级]` = supervised ÷ active × 100.
Scope: the subject's subdistrict.
"""

from django.db.models import Exists, OuterRef, Q

from jianguan.core.indicators import Column, Dimension, Indicator, register
from jianguan.core.periods import Params

from .choices import BaobaoGrade, CadreLevel
from .models import Assignment, GradeRecord
from .selectors import active_q, grade_on_q, months, supervised_within_q

_SCOPE = "按包保主体所属街道（决定承办监管所）统计范围。"
GRADE = Dimension("grade", "包保等级", tuple((g.value, g.value) for g in BaobaoGrade),
                  names=lambda: {g.value: g.label for g in BaobaoGrade})
LEVEL = Dimension("cadre__level", "包保层级", tuple(CadreLevel.choices))

SUBJECT = (Column("统一社会信用代码", "business.uscc"), Column("主体名称", "business.name"),
           Column("所属街道", "business.subdistrict.name"), Column("承办监管所", "business.subdistrict.station.name"))
GRADE_COLUMNS = (*SUBJECT, Column("包保等级", "get_grade_display"), Column("等级起始日期", "valid_from"), Column("确定依据", "reason"))
ASSIGNMENT_COLUMNS = (
    Column("包保干部", "cadre.name"), Column("层级", "cadre.get_level_display"), Column("工作单位", "cadre.unit"),
    Column("职务", "cadre.post"), Column("联系电话", "cadre.masked_phone"), *SUBJECT, Column("包保起始日期", "start_on"),
    Column("包保终止日期", "end_on"),
)


def _grades():
    return GradeRecord.objects.select_related("business__subdistrict__station")


def _assignments():
    return Assignment.objects.select_related("cadre", "business__subdistrict__station")


def _subjects(p: Params) -> Q:
    active = Assignment.objects.filter(active_q(p.as_of), business=OuterRef("business"))
    return grade_on_q(p.as_of) & Q(Exists(active))


register(Indicator(
    key="baobao.subjects", label="包保主体", unit="家", uses="as_of", source="baobao.grades", queryset=_grades,
    condition=_subjects, scope_field="business__subdistrict", dimension=GRADE, columns=GRADE_COLUMNS,
    definition="截至日期有包保干部在包（包保关系已开始、未终止）的食品生产经营主体，按截至日期的包保等级分项"
               "（A级县级干部包保、B级乡镇级、C级村级；包保等级与食品安全风险等级是两回事）。" + _SCOPE))


def _active(p: Params) -> Q:
    return active_q(p.as_of)


def _scope_q(p: Params) -> Q:
    if p.scope.kind == "station":
        return Q(business__subdistrict__station__code=p.scope.code)
    if p.scope.kind == "subdistrict":
        return Q(business__subdistrict__code=p.scope.code)
    return Q()


def _first_of_cadre(p: Params) -> Q:
    """One assignment per cadre: the earliest entered of their assignments active on the day within the scope."""
    earlier = Assignment.objects.filter(active_q(p.as_of), _scope_q(p), cadre=OuterRef("cadre"), pk__lt=OuterRef("pk"))
    return ~Q(Exists(earlier))


def _assignment_figure(key, label, unit, definition, residual, dimension):
    return register(Indicator(
        key=key, label=label, unit=unit, definition=definition, uses="as_of", source="baobao.assignments", queryset=_assignments,
        condition=lambda p: _active(p) & residual(p), where=_active, residual=residual, scope_field="business__subdistrict",
        dimension=dimension, columns=ASSIGNMENT_COLUMNS))


_assignment_figure("baobao.cadres", "包保干部", "名",
                   "截至日期有在包主体（包保关系已开始、未终止）的包保干部，同一干部包保多家的计1名；明细列出其在统计范围内最早录入的一条包保关系。"
                   + _SCOPE, _first_of_cadre, None)
_assignment_figure("baobao.assignments", "在包包保关系", "个",
                   "截至日期已开始、未终止的包保关系，按包保干部层级分项。" + _SCOPE, lambda p: Q(pk__isnull=False), LEVEL)
_assignment_figure("baobao.supervised", "按频次督导的包保关系", "个",
                   "截至日期在包的包保关系中，在其干部层级的督导频次内（截至日期前若干个月内，含截至日期；频次为版本化规则"
                   "baobao.supervision_months.county / township / village）有督导记录的，按包保干部层级分项。" + _SCOPE,
                   lambda p: supervised_within_q(p.as_of, months(p.as_of)), LEVEL)
register(Indicator(
    key="baobao.supervision_rate", label="包保督导率", unit="%", uses="as_of", aggregate="rate", numerator="baobao.supervised",
    denominator="baobao.assignments", dimension=LEVEL,
    definition="截至日期按频次督导的包保关系 ÷ 截至日期在包的包保关系 × 100%；督导频次按包保干部层级取截至日期施行的规则"
               "（baobao.supervision_months.county / township / village，单位：月），按包保干部层级分项。" + _SCOPE))
