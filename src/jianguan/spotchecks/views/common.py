"""What the spot-check pages share: who may write, state badges, the publication clock, team names,
and the page-side reads (every signed-in user may read spot checks: their results are public anyway)."""

import datetime as dt
from collections import Counter
from fractions import Fraction

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from jianguan.org.choices import Role
from jianguan.org.models import User

from .. import draw as algorithm
from ..choices import TaskStatus
from ..models import Task
from ..public import percent
from ..selectors import UNRATED

STRATA = ("A", "B", "C", "D", UNRATED)
STRATUM_LABEL = {"A": "A类（低风险）", "B": "B类（一般风险）", "C": "C类（较高风险）", "D": "D类（高风险）", UNRATED: "未分类"}
TASK_STATUS_BADGE = {
    TaskStatus.DRAFT: "", TaskStatus.LOCKED: "moved_out", TaskStatus.DRAWN: "moved_out", TaskStatus.IN_PROGRESS: "moved_out",
    TaskStatus.PUBLISHED: "active", TaskStatus.VOIDED: "deregistered",
}
REFUSED = "双随机抽查计划与任务由业务科室或系统管理员管理，您的账号只能查看，提交后将被拒绝。"
DUE_SOON_DAYS = 5


def today() -> dt.date:
    return timezone.localdate()


def can_plan(user) -> bool:
    """Offer the forms to departments and administrators; the services refuse everyone else anyway."""
    return user.is_authenticated and user.role in (Role.DEPARTMENT, Role.ADMIN)


def status_of(exc) -> int:
    """403 for a refused account, 409 for a stale page, else 400."""
    return exc.status if exc.status in (403, 409) else 400


def public_task_url(task: Task) -> str:
    return reverse("spotchecks_public:task", args=[task.number])


def public_record_url(task: Task) -> str:
    return reverse("spotchecks_public:draw", args=[task.pk])


def task_or_404(pk: int) -> Task:
    task = (
        Task.objects.select_related("plan", "object_pool", "inspector_pool", "created_by", "drawn_by")
        .prefetch_related("items", "departments").filter(pk=pk).first()
    )
    if task is None:
        raise Http404("抽查任务不存在")
    task.status_badge = TASK_STATUS_BADGE.get(task.status, "")
    return task


def stratum_counts(entries) -> list[dict]:
    """Objects per 信用风险分类, in A…D, 未分类 order, for a pool's entries or a frozen snapshot."""
    counts = Counter(e["stratum"] for e in entries or [])
    return [{"stratum": s, "label": STRATUM_LABEL.get(s, s), "count": counts.get(s, 0)} for s in STRATA]


def draw_plan(task: Task) -> list[dict]:
    """Per stratum of the frozen pool: objects, ratio, and how many the draw will take (ceil(n × ratio))."""
    rows = []
    for row in stratum_counts(task.pool_snapshot):
        ratio = (task.ratios or {}).get(row["stratum"])
        share = algorithm.parse_ratio(row["stratum"], ratio) if ratio is not None else Fraction(0)
        rows.append({**row, "ratio": ratio_text(ratio), "take": min(algorithm.ceil_share(row["count"], share), row["count"])})
    return rows


def ratio_text(ratio) -> str:
    """A stored ratio ("0.005") as staff read it: "0.5%" (exact, never through a float)."""
    return f"{percent(ratio)}%" if ratio is not None else "—"


def people_by_cert(certs) -> dict[str, User]:
    return {u.cert_no: u for u in User.objects.filter(cert_no__in=set(certs)).select_related("org_unit")}


def publish_clock(obj, on: dt.date) -> dict | None:
    """剩余 N 天 / 已逾期 N 天 until the result's publication deadline; None before a result or once published."""
    if obj.published_on or not obj.publish_due:
        return None
    days = (obj.publish_due - on).days
    if days < 0:
        text, css = f"已逾期 {-days} 天", "clock-overdue"
    elif days == 0:
        text, css = "今天到期", "clock-soon"
    else:
        text, css = f"剩余 {days} 天", "clock-soon" if days <= DUE_SOON_DAYS else "clock-running"
    return {"text": text, "class": css, "provisional": obj.publish_due_provisional}


def drawn_rows(task: Task, on: dt.date) -> list:
    """The drawn objects with their team (name, unit, certificate) and publication clock."""
    rows = list(task.drawn.select_related("business", "subdistrict__station", "inspection").order_by("order"))
    people = people_by_cert(c for obj in rows for c in obj.team)
    for obj in rows:
        obj.members = [{"cert": c, "user": people.get(c)} for c in obj.team]
        obj.stratum_label = STRATUM_LABEL.get(obj.stratum, obj.stratum)
        obj.clock = publish_clock(obj, on)
    return rows
