"""What every credit service shares: who may write, who may decide, the rules of a date."""

import datetime as dt

from jianguan.cases.services.common import check_version, not_before, require_text  # noqa: F401  (shared helpers)
from jianguan.core.deadlines import DeadlineChange, on_deadline_recomputed, tracked_deadline
from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.core.rules import rule_value
from jianguan.core.services import save_valid as save  # noqa: F401
from jianguan.org.choices import Role
from jianguan.org.models import Subdistrict, User
from jianguan.org.selectors import subdistricts_in_scope


def check_writer(actor: User | None, subdistrict: Subdistrict | None) -> None:
    """Stations record (a proposal from their inspection, an application) in their jurisdiction; departments
    and administrators bureau-wide; leadership reads."""
    if actor is None:
        return  # the command line, imports and the demo act bureau-wide
    if actor.role == Role.LEADERSHIP:
        raise PermissionDenied("局领导账号只读，不能录入或修改信用监管记录")
    if actor.role == Role.STATION:
        if subdistrict is None or not subdistricts_in_scope(actor=actor).filter(pk=subdistrict.pk).exists():
            raise PermissionDenied("该市场主体不在您的辖区范围内")


def check_decider(actor: User | None) -> None:
    """列入、移出、修复 are decided by the bureau (the credit department or an administrator), not by a station."""
    if actor is None:
        return
    if actor.role not in (Role.DEPARTMENT, Role.ADMIN):
        raise PermissionDenied("经营异常名录、严重违法失信名单和信用修复的决定由局业务科室作出")


APP = "credit"
# The due dates kept by the services, per model: `jianguan calendar refresh` moves the provisional ones.
TRACKED_FIELDS = {"abnormalentry": {"decision_due", "removal_due"}, "repairapplication": {"due"}}


def tracked_due(record, field: str, start: dt.date, rule_key: str) -> dt.date:
    """`rule_key` working days after `start` (the rule read on `start`); registered as provisional when it
    reaches a year whose calendar is not known yet. The record must have its pk."""
    days = int(rule_value(rule_key, on=start))
    return tracked_deadline(app_label=APP, object_ref=f"{record._meta.model_name}:{record.pk}", field_name=field, start=start,
                            working_days=days).date


@on_deadline_recomputed(APP)
def due_dates_recomputed(changes: list[DeadlineChange]) -> None:
    from django.apps import apps

    for change in changes:
        model_name, _, pk = change.object_ref.partition(":")
        if change.field_name in TRACKED_FIELDS.get(model_name, ()):
            apps.get_model(APP, model_name).objects.filter(pk=int(pk)).update(**{change.field_name: change.new_due})


def months_rule(key: str, on: dt.date) -> int:
    return int(rule_value(key, on=on))


def not_future(day: dt.date, field: str, label: str, today: dt.date) -> None:
    if day > today:
        raise DomainError("future_date", f"{label}不能晚于今天（{today}）", {"field": field})
