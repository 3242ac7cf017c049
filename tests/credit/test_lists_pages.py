"""The list pages as people use them: the department decides a batch of proposals from the 信用监管 page
(overdue first) and downloads the decision; a station sees only its jurisdiction and cannot decide; the
entries export; a removal application is registered from the entry page and decided on the repairs page."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from jianguan.credit.choices import EntryStatus, RepairStatus
from jianguan.credit.models import AbnormalEntry, RepairApplication

from ..conftest import make_org
from ..factories import BusinessFactory
from .factories import entry

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def world():
    org = make_org()
    east = BusinessFactory(subdistrict=org.subs["dongguan"], name="东关甲公司")
    west = BusinessFactory(subdistrict=org.subs["xiguan"], name="西关乙公司")
    late = entry(east, proposed_on=D(2026, 7, 1))
    AbnormalEntry.objects.filter(pk=late.pk).update(decision_due=D(2026, 7, 15))
    other = entry(west, proposed_on=D(2026, 7, 2))
    AbnormalEntry.objects.filter(pk=other.pk).update(decision_due=D(2026, 7, 16))
    return org, late, other


def test_the_department_decides_a_batch_and_downloads_the_decision(client, world):
    org, late, other = world
    client.force_login(org.users.dept)
    page = client.get(reverse("credit:index"))
    html = page.content.decode()
    assert page.status_code == 200 and "信用监管" in html
    assert html.index("东关甲公司") < html.index("西关乙公司") and "已逾期" in html
    refused = client.post(reverse("credit:proposals_decide"), {"ids": [late.pk], "decided_on": "2026-07-10", "approved_by": ""},
                          follow=True)
    assert "请填写审批人" in refused.content.decode()
    client.post(reverse("credit:proposals_decide"), {"ids": [late.pk, other.pk], "decided_on": "2026-07-10", "approved_by": "王局长",
                                                     "action": "decide"})
    listed = AbnormalEntry.objects.get(pk=late.pk)
    assert listed.status == EntryStatus.LISTED
    download = client.get(reverse("credit:decision_download", args=[listed.decision_id]))
    assert download.status_code == 200 and download.content[:2] == b"PK"
    export = client.get(reverse("credit:entries_export"), {"q": "东关"})
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    assert rows[0][:3] == ("统一社会信用代码", "名称", "主体类型") and [r[1] for r in rows[1:]] == ["东关甲公司"]
    detail = client.get(reverse("credit:entry", args=[late.pk]))
    assert "市监经异列〔2026〕1号" in detail.content.decode()


def test_a_station_sees_its_jurisdiction_and_registers_an_application_the_department_decides(client, world):
    org, late, other = world
    AbnormalEntry.objects.filter(pk__in=[late.pk, other.pk]).update(status=EntryStatus.LISTED, listed_on=D(2026, 7, 10))
    client.force_login(org.users.east)
    html = client.get(reverse("credit:entries")).content.decode()
    assert "东关甲公司" in html and "西关乙公司" not in html
    assert client.get(reverse("credit:entry", args=[other.pk])).status_code == 404
    assert 'name="ids"' not in client.get(reverse("credit:index")).content.decode()  # no decision form for a station
    client.post(reverse("credit:proposals_decide"), {"ids": [late.pk], "decided_on": "2026-07-10", "approved_by": "x"})
    client.post(reverse("credit:repair_new"), {"target": "abnormal", "record_id": late.pk, "applied_on": "2026-08-03",
                                               "statement": "已补报"})
    app = RepairApplication.objects.get()
    assert app.status == RepairStatus.PENDING and app.created_by == org.users.east
    client.force_login(org.users.dept)
    refused = client.post(reverse("credit:repair_decide", args=[app.pk]),
                          {"action": "grant", "decided_on": "2026-08-05", "approved_by": "王局长", "version": app.version}, follow=True)
    assert "2025年度报告尚未补报" in refused.content.decode()
    client.post(reverse("credit:repair_decide", args=[app.pk]),
                {"action": "refuse", "decided_on": "2026-08-05", "refusal_reason": "尚未补报", "version": app.version})
    assert RepairApplication.objects.get().status == RepairStatus.REFUSED
    client.force_login(org.users.leader)
    for name in ("credit:index", "credit:entries", "credit:serious", "credit:repairs"):
        assert client.get(reverse(name)).status_code == 200


def test_the_decision_form_asks_only_what_the_approver_must_attest(client, world):
    """An unreachable business attests it can be reached again; a missing report is checked by the system, not ticked."""
    from jianguan.credit.choices import AbnormalReason, RepairTarget

    org = world[0]
    unreachable = entry(BusinessFactory(subdistrict=org.subs["dongguan"]), reason=AbnormalReason.UNREACHABLE, report_year=None,
                        listed_on=dt.date(2026, 7, 10))
    unfiled = entry(BusinessFactory(subdistrict=org.subs["dongguan"]), listed_on=dt.date(2026, 7, 10))
    for target in (unreachable, unfiled):
        RepairApplication.objects.create(business=target.business, target=RepairTarget.ABNORMAL, abnormal_entry=target,
                                         applied_on=dt.date(2026, 8, 1), due=dt.date(2026, 8, 8), statement="已纠正")
    client.force_login(org.users.dept)
    page = client.get(reverse("credit:repairs"), {"q": unreachable.business.uscc}).content.decode()
    assert 'value="reachable"' in page and 'value="info_corrected"' not in page and 'value="commitment"' not in page
    page = client.get(reverse("credit:repairs"), {"q": unfiled.business.uscc}).content.decode()
    assert 'name="conditions"' not in page and "系统将核对该年度报告是否已补报" in page


def test_a_station_proposes_an_unreachable_business_of_its_own_by_hand(client, world):
    from jianguan.credit.choices import AbnormalReason, EntryKind

    org = world[0]
    shop = BusinessFactory(subdistrict=org.subs["dongguan"], entity_type="individual")
    elsewhere = BusinessFactory(subdistrict=org.subs["xiguan"])
    client.force_login(org.users.east)
    form = {"reason": AbnormalReason.UNREACHABLE, "proposed_on": "2026-09-01"}
    client.post(reverse("credit:proposal_new"), {**form, "uscc": shop.uscc})
    made = AbnormalEntry.objects.get(business=shop)
    assert (made.kind, made.reason, made.status, made.decision_due) == (EntryKind.MARK, AbnormalReason.UNREACHABLE, "proposed",
                                                                       D(2026, 9, 15))
    # the yearly reason is not proposed by hand; another station's business is refused; nothing is written
    page = client.post(reverse("credit:proposal_new"), {**form, "uscc": shop.uscc, "reason": AbnormalReason.NO_ANNUAL_REPORT},
                       follow=True).content.decode()
    assert "年度提出统一处理" in page
    page = client.post(reverse("credit:proposal_new"), {**form, "uscc": elsewhere.uscc}, follow=True).content.decode()
    assert "辖区" in page and not AbnormalEntry.objects.filter(business=elsewhere).exists()
    page = client.post(reverse("credit:proposal_new"), {**form, "uscc": shop.uscc}, follow=True).content.decode()
    assert "已有同一事由" in page and AbnormalEntry.objects.filter(business=shop).count() == 1
