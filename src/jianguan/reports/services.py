"""Every write of the reports app: templates edited by staff, snapshots of generated reports."""

from django.db import transaction

from jianguan.core.errors import ConcurrentEdit, PermissionDenied
from jianguan.core.services import acting
from jianguan.org.choices import Role

from .engine import Report, builtin_body, ensure_valid
from .models import ReportSnapshot, ReportTemplate

EDITORS = {Role.DEPARTMENT, Role.ADMIN}


@transaction.atomic
def snapshot_save(*, actor, report: Report) -> ReportSnapshot:
    with acting(actor):
        return ReportSnapshot.objects.create(
            template_key=report.template.key,
            template_title=report.template.title,
            template_version=report.template.version,
            parameters=report.params.as_dict(),
            values={k: str(v) if v is not None else None for k, v in report.values.items()},
            text=report.text,
            sha256=report.sha256,
            author=actor,
        )


def _check_editor(actor) -> None:
    if actor is None or (actor.role not in EDITORS and not actor.is_superuser):
        raise PermissionDenied("只有业务科室人员和管理员可以修改报表模板")


@transaction.atomic
def template_update(*, actor, key: str, body: str, version: int, title: str | None = None) -> ReportTemplate:
    _check_editor(actor)
    template = ReportTemplate.objects.select_for_update().get(key=key)
    if template.version != version:
        raise ConcurrentEdit("该模板已被他人修改，请刷新后重试")
    ensure_valid(body)
    template.body = body
    template.title = title or template.title
    template.customized = template.builtin and body != builtin_body(key)
    template.version += 1
    template.updated_by = actor
    with acting(actor):
        template.save()
    return template


@transaction.atomic
def template_restore_builtin(*, actor, key: str) -> ReportTemplate:
    _check_editor(actor)
    template = ReportTemplate.objects.select_for_update().get(key=key)
    body = builtin_body(key)
    if not template.builtin or body is None:
        raise PermissionDenied("只有内置模板可以恢复")
    template.body, template.customized, template.updated_by = body, False, actor
    template.version += 1
    with acting(actor):
        template.save()
    return template
