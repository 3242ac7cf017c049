"""Every write of the 包保 ledgers: a subject's grade from a date, cadres, assignments (begun, ended) and 督导
records. Stations write for the subjects of their jurisdiction (and the cadres of its subdistricts); county
cadres, like the grades' reading of the rules, are the departments'; leadership reads."""

import datetime as dt

from django.db import transaction
from django.db.models import Q

from jianguan.businesses.models import Business
from jianguan.core.errors import ConcurrentEdit, DomainError, NotFound, PermissionDenied
from jianguan.core.services import acting, save_valid
from jianguan.org.choices import Role
from jianguan.org.models import Subdistrict, User
from jianguan.org.selectors import subdistricts_in_scope

from .choices import BaobaoGrade, CadreLevel
from .models import Assignment, Cadre, GradeRecord, Supervision
from .rules import phone_problem, supervision_problem
from .selectors import food_subject_q, grade_on_q

CADRE_FIELDS = ("name", "level", "unit", "post", "phone", "subdistrict", "disabled_on")


def check_writer(actor: User | None, subdistrict: Subdistrict | None, what: str = "包保信息") -> None:
    if actor is None:
        return  # the command line and the demo act bureau-wide
    if actor.role == Role.LEADERSHIP:
        raise PermissionDenied(f"局领导账号只读，不能录入或修改{what}")
    if actor.role == Role.STATION:
        if subdistrict is None:
            raise PermissionDenied(f"县级{what}由局业务科室维护")
        if not subdistricts_in_scope(actor=actor).filter(pk=subdistrict.pk).exists():
            raise PermissionDenied(f"“{subdistrict.name}”不在您的辖区范围内")


def _check_version(obj, version: int | None) -> None:
    if version is not None and obj.version != version:
        raise ConcurrentEdit(f"该{obj._meta.verbose_name}已被他人修改（当前为第{obj.version}版），请刷新后重试，您填写的内容未保存")


def _food_subject(business: Business, on: dt.date) -> None:
    if not Business.objects.filter(pk=business.pk).filter(food_subject_q(on)).exists():
        raise DomainError("not_a_food_subject", f"“{business.name}”在 {on} 没有有效的食品类许可证（备案、登记），不是包保主体",
                          {"field": "business"})


@transaction.atomic
def grade_set(*, actor: User | None, business: Business, grade: str, on: dt.date, reason: str = "", ip: str | None = None) -> GradeRecord:
    """The subject's 包保 grade from `on`: the grade it had ends the day before (the same day: corrected)."""
    if grade not in BaobaoGrade.values:
        raise DomainError("invalid_grade", "请选择包保等级（A、B、C）", {"field": "grade"})
    check_writer(actor, business.subdistrict)
    _food_subject(business, on)
    with acting(actor, ip):
        current = GradeRecord.objects.select_for_update().filter(business=business, valid_until__isnull=True).first()
        if current is not None and on < current.valid_from:
            raise DomainError("grade_before_current", f"现行包保等级自 {current.valid_from} 起，新等级的起始日期不能更早", {"field": "on"})
        if current is not None and on == current.valid_from:
            current.grade, current.reason, current.version = grade, reason.strip(), current.version + 1
            save_valid(current)
            return current
        if current is not None:
            if current.grade == grade:
                return current
            current.valid_until, current.version = on - dt.timedelta(days=1), current.version + 1
            save_valid(current)
        record = GradeRecord(business=business, grade=grade, valid_from=on, reason=reason.strip())
        save_valid(record)
    return record


@transaction.atomic
def cadre_save(*, actor: User | None, pk: int | None = None, version: int | None = None, ip: str | None = None, **fields) -> Cadre:
    if pk is None:
        cadre = Cadre()
    else:
        cadre = Cadre.objects.select_for_update().select_related("subdistrict").filter(pk=pk).first()
        if cadre is None:
            raise NotFound("包保干部不存在")
        _check_version(cadre, version)
        check_writer(actor, cadre.subdistrict, "包保干部")
    for name, value in fields.items():
        if name not in CADRE_FIELDS:
            raise DomainError("unknown_field", f"包保干部没有“{name}”这一项", {"field": name})
        setattr(cadre, name, value.strip() if isinstance(value, str) else value)
    if cadre.level not in CadreLevel.values:
        raise DomainError("invalid_level", "请选择包保干部层级（县级、乡镇级、村级）", {"field": "level"})
    if cadre.level == CadreLevel.COUNTY:
        cadre.subdistrict = None
    elif cadre.subdistrict_id is None:
        raise DomainError("subdistrict_required", "乡镇级、村级包保干部须选择所属乡镇（街道）", {"field": "subdistrict"})
    if not cadre.name:
        raise DomainError("name_required", "请填写包保干部姓名", {"field": "name"})
    if not cadre.unit:
        raise DomainError("unit_required", "请填写包保干部工作单位", {"field": "unit"})
    if problem := phone_problem(cadre.phone):
        raise DomainError("invalid_phone", problem, {"field": "phone"})
    check_writer(actor, cadre.subdistrict, "包保干部")
    if pk is not None:
        cadre.version += 1
    with acting(actor, ip):
        save_valid(cadre)
    return cadre


@transaction.atomic
def assignment_create(*, actor: User | None, business: Business, cadre: Cadre, start_on: dt.date, note: str = "",
                      ip: str | None = None) -> Assignment:
    """A cadre begins to 包保 a graded food subject."""
    check_writer(actor, business.subdistrict)
    _food_subject(business, start_on)
    if not GradeRecord.objects.filter(grade_on_q(start_on), business=business).exists():
        raise DomainError("grade_required", f"“{business.name}”在 {start_on} 没有包保等级，请先确定包保等级", {"field": "business"})
    if cadre.disabled_on is not None and cadre.disabled_on <= start_on:
        raise DomainError("cadre_disabled", f"包保干部“{cadre.name}”已于 {cadre.disabled_on} 停用", {"field": "cadre"})
    # The new one runs open-ended from start_on: any of the pair not ended before it overlaps.
    if Assignment.objects.filter(business=business, cadre=cadre).filter(Q(end_on__isnull=True) | Q(end_on__gte=start_on)).exists():
        raise DomainError("duplicate_assignment", f"“{cadre.name}”已在包保“{business.name}”", {"field": "cadre"})
    with acting(actor, ip):
        assignment = Assignment(business=business, cadre=cadre, start_on=start_on, note=note.strip())
        save_valid(assignment)
    return assignment


@transaction.atomic
def assignment_end(*, actor: User | None, pk: int, version: int | None, end_on: dt.date, ip: str | None = None) -> Assignment:
    assignment = Assignment.objects.select_for_update().select_related("business__subdistrict").filter(pk=pk).first()
    if assignment is None:
        raise NotFound("包保关系不存在")
    check_writer(actor, assignment.business.subdistrict)
    _check_version(assignment, version)
    if assignment.end_on is not None:
        raise DomainError("already_ended", f"该包保关系已于 {assignment.end_on} 终止")
    if end_on < assignment.start_on:
        raise DomainError("end_before_start", f"终止日期 {end_on} 早于包保起始日期 {assignment.start_on}", {"field": "end_on"})
    last = assignment.supervisions.order_by("-on").values_list("on", flat=True).first()
    if last is not None and end_on < last:
        raise DomainError("end_before_supervision", f"终止日期 {end_on} 早于最近一次督导（{last}）", {"field": "end_on"})
    with acting(actor, ip):
        assignment.end_on, assignment.version = end_on, assignment.version + 1
        save_valid(assignment)
    return assignment


@transaction.atomic
def supervision_record(*, actor: User | None, assignment_pk: int, on: dt.date, checked: str, problems: list[str] = (),
                       rectified: bool | None = None, rectified_on: dt.date | None = None, ip: str | None = None) -> Supervision:
    """A 督导 by the assignment's cadre: what was checked, each problem found (one a line), rectified or not."""
    assignment = Assignment.objects.select_for_update().select_related("business__subdistrict").filter(pk=assignment_pk).first()
    if assignment is None:
        raise NotFound("包保关系不存在")
    check_writer(actor, assignment.business.subdistrict)
    problems = [p.strip() for p in problems if p and p.strip()]
    problem = supervision_problem(on=on, start_on=assignment.start_on, end_on=assignment.end_on, checked=checked, problems=problems,
                                  rectified=rectified, rectified_on=rectified_on)
    if problem:
        raise DomainError("invalid_supervision", problem[1], {"field": problem[0]})
    with acting(actor, ip):
        record = Supervision(assignment=assignment, on=on, checked=checked.strip(), problems="\n".join(problems),
                             problem_count=len(problems), rectified=rectified, rectified_on=rectified_on, recorded_by=actor)
        save_valid(record)
    return record


@transaction.atomic
def supervision_rectified(*, actor: User | None, pk: int, version: int | None, rectified_on: dt.date, ip: str | None = None) -> Supervision:
    """The problems a 督导 found are rectified (later than the 督导 itself)."""
    record = Supervision.objects.select_for_update().select_related("assignment__business__subdistrict").filter(pk=pk).first()
    if record is None:
        raise NotFound("督导记录不存在")
    check_writer(actor, record.assignment.business.subdistrict)
    _check_version(record, version)
    if not record.problem_count:
        raise DomainError("no_problems", "该次督导未发现问题，无需登记整改")
    if rectified_on < record.on:
        raise DomainError("rectified_before", f"整改完成日期 {rectified_on} 早于督导日期 {record.on}", {"field": "rectified_on"})
    with acting(actor, ip):
        record.rectified, record.rectified_on, record.version = True, rectified_on, record.version + 1
        save_valid(record)
    return record
