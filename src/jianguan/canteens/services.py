"""Every write of the canteen register: a canteen's profile, its 明厨亮灶 changes, and a school canteen's
evaluation (评价验收), whose problems become findings of an inspection recorded through the inspections app.
Stations write within their jurisdiction, departments and administrators bureau-wide, leadership reads."""

import datetime as dt

from django.db import transaction

from jianguan.core.errors import ConcurrentEdit, DomainError, NotFound, PermissionDenied
from jianguan.core.services import acting, save_valid
from jianguan.inspections.choices import InspectionKind, InspectionResult
from jianguan.inspections.models import Inspection
from jianguan.inspections.services.inspections import NewFinding, inspection_complete, inspection_create
from jianguan.licences.choices import CanteenKind
from jianguan.licences.models import Licence
from jianguan.org.choices import Role
from jianguan.org.models import Subdistrict, User
from jianguan.org.selectors import subdistricts_in_scope

from .choices import CHANGE_TO, ChangeKind, EvaluationResult
from .models import Canteen, Evaluation, MingchuChange
from .rules import evaluation_problem, last_change_on, mingchu_change_problem

PROFILE_FIELDS = ("school_name", "school_level", "diners")


def check_writer(actor: User | None, subdistrict: Subdistrict) -> None:
    if actor is None:
        return  # the command line and the demo act bureau-wide
    if actor.role == Role.LEADERSHIP:
        raise PermissionDenied("局领导账号只读，不能录入或修改食堂信息")
    if actor.role == Role.STATION and not subdistricts_in_scope(actor=actor).filter(pk=subdistrict.pk).exists():
        raise PermissionDenied(f"“{subdistrict.name}”不在您的辖区范围内")


def _canteen(actor: User | None, licence_pk: int, version: int | None) -> Canteen:
    """The licence's canteen record, locked (created on the first thing recorded about it). `version` is the
    one the form showed: 0 for a canteen not yet recorded."""
    licence = Licence.objects.select_related("sector", "business__subdistrict").filter(pk=licence_pk).first()
    if licence is None:
        raise NotFound("许可证不存在")
    if licence.sector is None or licence.sector.canteen not in (CanteenKind.SCHOOL, CanteenKind.OTHER):
        raise DomainError("not_a_canteen", f"许可证 {licence.number} 的主体业态不是食堂", {"field": "licence"})
    check_writer(actor, licence.business.subdistrict)
    canteen = Canteen.objects.select_for_update().filter(licence=licence).first()
    if canteen is None:
        if version not in (None, 0):
            raise ConcurrentEdit("该食堂信息已被他人修改，请刷新后重试，您填写的内容未保存")
        canteen = Canteen(licence=licence)
        save_valid(canteen)
    elif version is not None and canteen.version != version:
        raise ConcurrentEdit(f"该食堂信息已被他人修改（当前为第{canteen.version}版），请刷新后重试，您填写的内容未保存")
    canteen.licence = licence
    return canteen


@transaction.atomic
def canteen_update(*, actor: User | None, licence_pk: int, version: int | None, ip: str | None = None, **fields) -> Canteen:
    """学校（机构）名称、学段、就餐人数."""
    with acting(actor, ip):
        canteen = _canteen(actor, licence_pk, version)
        for name, value in fields.items():
            if name not in PROFILE_FIELDS:
                raise DomainError("unknown_field", f"食堂信息没有“{name}”这一项", {"field": name})
            setattr(canteen, name, value.strip() if isinstance(value, str) else value)
        canteen.version += 1
        save_valid(canteen)
    return canteen


@transaction.atomic
def mingchu_record(*, actor: User | None, licence_pk: int, version: int | None, kind: str, on: dt.date, platform: str = "",
                   note: str = "", ip: str | None = None) -> MingchuChange:
    """建成、新接入平台 or 改接新平台 on a date, kept as a change (the history the period figures count) and
    reflected on the canteen (the status as of any date follows from its dates)."""
    with acting(actor, ip):
        canteen = _canteen(actor, licence_pk, version)
        problem = mingchu_change_problem(
            status=canteen.mingchu_status, kind=kind, on=on, platform=platform, current_platform=canteen.platform,
            last_on=last_change_on(built_on=canteen.built_on, connected_on=canteen.connected_on, reconnected_on=canteen.reconnected_on))
        if problem:
            raise DomainError("invalid_mingchu_change", problem[1], {"field": problem[0]})
        platform = platform.strip()
        if kind == ChangeKind.BUILT:
            canteen.built_on = on
        elif kind == ChangeKind.CONNECTED:
            canteen.built_on = canteen.built_on or on
            canteen.connected_on, canteen.platform = on, platform
        else:
            canteen.reconnected_on, canteen.platform = on, platform
        canteen.mingchu_status = CHANGE_TO[ChangeKind(kind)]
        canteen.version += 1
        save_valid(canteen)
        change = MingchuChange(canteen=canteen, kind=kind, on=on, platform=platform if kind != ChangeKind.BUILT else "",
                               note=note.strip(), recorded_by=actor)
        save_valid(change)
    return change


@transaction.atomic
def evaluation_record(*, actor: User | None, licence_pk: int, on: dt.date, result: str, evaluator: str,
                      problems: list[str] = (), deadline: dt.date | None = None, inspectors: list[User] = (),
                      ip: str | None = None) -> Evaluation:
    """A school canteen's 评价验收. It is recorded as an inspection of the holder (a 专项检查 by the inspectors
    named, or, without them, a 第三方巡查 performed by the evaluator) completed with one finding per problem,
    so that the rectification is followed like any other finding."""
    problems = [p.strip() for p in problems if p and p.strip()]
    problem = evaluation_problem(result=result, evaluator=evaluator, problems=problems, deadline=deadline, on=on)
    if problem:
        raise DomainError("invalid_evaluation", problem[1], {"field": problem[0]})
    with acting(actor, ip):
        canteen = _canteen(actor, licence_pk, None)
        licence = canteen.licence
        if licence.sector.canteen != CanteenKind.SCHOOL:
            raise DomainError("not_a_school_canteen", f"“{licence.sector.name}”不是学校（托幼）食堂，评价验收只适用于学校食堂",
                              {"field": "licence"})
        inspectors = list(inspectors)
        label = EvaluationResult(result).label
        inspection: Inspection = inspection_create(
            actor=actor, kind=InspectionKind.SPECIAL if inspectors else InspectionKind.THIRD_PARTY, business=licence.business,
            date=on, inspectors=inspectors, performed_by="" if inspectors else evaluator.strip(),
            summary=f"学校食堂评价验收（{canteen.school_name or licence.business.name}）：{label}；评价人员：{evaluator.strip()}",
            source="canteen", ip=ip)
        inspection = inspection_complete(
            actor=actor, pk=inspection.pk, version=inspection.version, ip=ip,
            result=InspectionResult.ORDERED if problems else InspectionResult.NO_PROBLEM,
            findings=[NewFinding(description=f"学校食堂评价验收：{p}", deadline=deadline) for p in problems])
        evaluation = Evaluation(canteen=canteen, on=on, result=result, evaluator=evaluator.strip(), problems="\n".join(problems),
                                inspection=inspection, recorded_by=actor)
        save_valid(evaluation)
    return evaluation
