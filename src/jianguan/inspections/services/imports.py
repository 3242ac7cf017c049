"""Writes that only the import of historical inspections makes.

A finding found by an imported historical inspection may arrive already rectified: the ledger it
comes from says on which day the rectification was completed, and nothing of the report or the
re-check was kept. It is closed here on that day, so that figures count it as rectified, and the
closure is audited like any other change. No other finding can take this path: a finding raised in
jianguan is closed only by a passed re-check (findings.finding_recheck).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from jianguan.core.errors import DomainError
from jianguan.core.services import acting
from jianguan.org.models import User

from ..choices import FindingStatus
from ..models import Finding
from .common import check_writer, save

IMPORT_SOURCE = "import"


@transaction.atomic
def finding_import_closed(*, actor: User | None, pk: int, closed_on: dt.date, ip: str | None = None) -> Finding:
    """Record the historical closure of an open finding of an imported inspection (整改完成日期)."""
    finding = Finding.objects.select_for_update(of=("self",)).select_related("subdistrict", "inspection").get(pk=pk)
    check_writer(actor, finding.subdistrict)
    if finding.inspection.source != IMPORT_SOURCE:
        raise DomainError(
            "not_imported", "只有导入的历史检查发现的问题才能直接登记整改完成；其他问题须登记整改报告并经复查后关闭"
        )
    if finding.status != FindingStatus.OPEN:
        raise DomainError("finding_not_open", f"问题状态为“{finding.get_status_display()}”，不能登记为整改完成")
    if closed_on < finding.found_on:
        raise DomainError(
            "closed_before_finding", f"整改完成日期 {closed_on} 早于检查日期 {finding.found_on}", {"field": "closed_on"}
        )
    if closed_on > timezone.localdate():
        raise DomainError("closed_in_future", f"整改完成日期 {closed_on} 晚于今天", {"field": "closed_on"})
    finding.status, finding.closed_on = FindingStatus.CLOSED, closed_on
    finding.version += 1
    with acting(actor, ip):
        save(finding)
    return finding
