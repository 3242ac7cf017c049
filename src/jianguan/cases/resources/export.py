"""The export of every case the actor may see (CaseLedger): see the package's docstring."""

from __future__ import annotations

from jianguan.core.errors import DomainError
from jianguan.core.importing import Column, Context, Ledger, format_date
from jianguan.core.masking import mask_name
from jianguan.org.selectors import scope_q

from ..choices import RespondentKind
from ..models import Case, CaseCategory
from .columns import (
    CHUNK,
    EXPORT_EXTRA,
    FINAL,
    PROVISIONAL,
    STATUS_LABELS,
    format_amount,
    format_category,
    format_days,
    format_kinds,
    format_procedure,
    format_reason,
    format_source,
)
from .history import CaseImportLedger


class CaseLedger(CaseImportLedger):
    """The export (EXPORT_HEADERS), scoped to the actor; the import under this name is CaseImportLedger.
    A natural person's name is masked unless the actor may see it (command line without --user, the
    permission cases.view_personal_info, or an officer of that case)."""

    label = "行政处罚案件台账"
    columns = CaseImportLedger.columns + tuple(Column(header, f"export_{i}") for i, header in enumerate(EXPORT_EXTRA))

    def __init__(self):
        Ledger.__init__(self)
        self.header_of = {c.attr: c.header for c in self.columns}
        self.stats = {}

    def for_run(self, *, ip: str | None = None, **options) -> CaseImportLedger:
        return CaseImportLedger()

    def check_import(self, actor) -> None:
        raise DomainError("use_for_run", "导入请用 CASE_LEDGER.for_run() 给出的台账（jianguan import cases 文件）")

    def prepare(self, ctx: Context) -> None:
        actor = ctx.actor
        ctx.data["category_names"] = dict(CaseCategory.objects.values_list("pk", "name"))
        sees_all = actor is None or actor.is_superuser or actor.has_perm("cases.view_personal_info")
        ctx.data["unmasked_cases"] = None if sees_all else set(actor.cases.values_list("pk", flat=True))

    def export_queryset(self, ctx: Context):
        qs = Case.objects.all()
        if ctx.actor is not None and not ctx.actor.is_superuser:
            qs = qs.filter(scope_q(actor=ctx.actor))
        return qs.order_by("filed_on", "number")

    def export_rows(self, ctx: Context):
        fields = (
            "pk", "number", "filed_on", "category_id", "cause", "respondent_kind", "respondent_name", "respondent_uscc",
            "procedure", "source", "officer_cert_nos", "suspended_days", "decision_number", "decided_on", "penalty_kinds",
            "fine_amount", "confiscated_income", "confiscated_value", "exempt_reason", "closed_on", "status",
            "decision_due", "decision_due_provisional", "subdistrict__name", "subdistrict__station__name",
            "published_on", "publish_until",
        )
        unmasked = ctx.data["unmasked_cases"]
        for r in self.export_queryset(ctx).values_list(*fields, named=True).iterator(chunk_size=CHUNK):
            name = r.respondent_name
            if r.respondent_kind == RespondentKind.PERSON and unmasked is not None and r.pk not in unmasked:
                name = mask_name(name)
            nature = (PROVISIONAL if r.decision_due_provisional else FINAL) if r.decision_due else ""
            yield [
                r.number, format_date(r.filed_on), format_category(r.category_id, ctx), r.cause, name, r.respondent_uscc,
                format_procedure(r.procedure, ctx), format_source(r.source, ctx), r.officer_cert_nos,
                format_days(r.suspended_days, ctx), r.decision_number, format_date(r.decided_on),
                format_kinds(r.penalty_kinds, ctx), format_amount(r.fine_amount, ctx),
                format_amount(r.confiscated_income, ctx), format_amount(r.confiscated_value, ctx),
                format_reason(r.exempt_reason, ctx), format_date(r.closed_on),
                STATUS_LABELS.get(r.status, r.status), format_date(r.decision_due), nature, r.subdistrict__name or "",
                r.subdistrict__station__name or "", format_date(r.published_on), format_date(r.publish_until),
            ]

