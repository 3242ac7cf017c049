"""The inspection pages through the Django test client: every page renders, scope gives 404, the
whole loop by POSTs, and bad input shows the services' Chinese message and writes nothing."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jianguan.campaigns.models import Campaign
from jianguan.equipment.choices import TaskKind
from jianguan.equipment.models import FollowUpTask
from jianguan.inspections.choices import FindingStatus, InspectionKind, InspectionStatus, ItemOutcome
from jianguan.inspections.metrics import campaign_figures
from jianguan.inspections.models import Attachment, CampaignChecklist, Checklist, Finding, Inspection
from jianguan.inspections.services.campaigns import campaign_create
from jianguan.inspections.services.findings import finding_report, finding_update
from jianguan.inspections.services.inspections import inspection_create

from ..equipment.factories import EquipmentFactory
from ..factories import BusinessFactory
from .factories import inspection_with_finding, team

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
DAY = dt.date(2026, 9, 1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def html(response) -> str:
    return response.content.decode()


def food_checklist() -> Checklist:
    return Checklist.objects.get(code="food_daily", version=1)


def campaign(org, **kw) -> Campaign:
    return campaign_create(
        actor=org.users.dept, code=kw.pop("code", "ZX2026-01"), name=kw.pop("name", "食品安全专项检查"),
        start=dt.date(2026, 8, 1), end=dt.date(2026, 12, 31), lead_department=org.dept, checklist=food_checklist(),
        goals={"inspections": 10, "businesses": 5}, **kw,
    )


# ---------------------------------------------------------------- every page


def test_every_page_renders_for_a_station_user(client, org):
    drive = campaign(org)
    inspection, finding, inspectors = inspection_with_finding(org, campaign=drive)
    device = EquipmentFactory(operator=inspection.business, subdistrict=org.subs["dongguan"])
    FollowUpTask.objects.create(
        kind=TaskKind.EXAM_OVERDUE, equipment=device, station=org.east, reference_due=dt.date(2026, 8, 1),
        opened_on=dt.date(2026, 8, 2), due_on=dt.date(2026, 8, 20),
    )
    client.force_login(inspectors[0])
    pages = {
        "/inspections/": inspection.number,
        "/inspections/?kind=routine&status=completed&campaign=ZX2026-01&date_from=2026-08-01&date_to=2026-09-30&q=": inspection.number,
        "/inspections/new/": "创建并开始检查",
        f"/inspections/new/?business={inspection.business.uscc}&campaign=ZX2026-01": device.reg_code,
        f"/inspections/{inspection.pk}/": "灭火器过期",
        "/inspections/findings/": "灭火器过期",
        f"/inspections/findings/{finding.pk}/": "登记整改报告",
        "/inspections/queue/": device.reg_code,
        "/inspections/campaigns/": "食品安全专项检查",
        "/inspections/campaigns/ZX2026-01/": inspection.number,
    }
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert expected in html(response), url
    page = html(client.get(f"/inspections/{inspection.pk}/"))
    upload = re.search(r'<input type="file"[^>]*>', page).group(0)
    assert 'accept="image/*,application/pdf"' in upload and 'capture="environment"' in upload and " multiple" in upload
    lookup = client.get("/inspections/new/lookup/", {"business": inspection.business.name[:6]}, HTTP_HX_REQUEST="true")
    assert inspection.business.uscc in html(lookup)
    rows = client.get("/inspections/", {"q": inspection.number}, HTTP_HX_REQUEST="true")
    assert inspection.number in html(rows) and "<html" not in html(rows)


def test_pages_for_leadership_and_department(client, org):
    inspection, finding, _ = inspection_with_finding(org)
    for user in (org.users.leader, org.users.dept):
        client.force_login(user)
        for url in ("/inspections/", f"/inspections/{inspection.pk}/", "/inspections/findings/", f"/inspections/findings/{finding.pk}/",
                    "/inspections/queue/", "/inspections/campaigns/"):
            assert client.get(url).status_code == 200, (user, url)
    # Leadership is read-only: no forms offered on the finding page.
    client.force_login(org.users.leader)
    assert "report-form" not in html(client.get(f"/inspections/findings/{finding.pk}/"))
    client.force_login(org.users.dept)
    assert client.get("/inspections/campaigns/new/").status_code == 200


def test_out_of_scope_pages_are_404(client, org):
    inspection, finding, _ = inspection_with_finding(org)
    client.force_login(org.users.west)
    assert client.get(f"/inspections/{inspection.pk}/").status_code == 404
    assert client.get(f"/inspections/findings/{finding.pk}/").status_code == 404
    assert client.post(f"/inspections/findings/{finding.pk}/report/", {"text": "x"}).status_code == 404
    assert client.get("/inspections/999999/").status_code == 404
    assert inspection.number not in html(client.get("/inspections/"))
    assert "灭火器过期" not in html(client.get("/inspections/findings/"))


# ---------------------------------------------------------------- the whole loop by POSTs


def test_create_fill_complete_report_recheck_closed(client, org):
    business = BusinessFactory(subdistrict=org.subs["dongguan"])
    a, b = team(org.east)
    checklist = food_checklist()
    items = list(checklist.items.order_by("order"))
    client.force_login(a)

    response = client.post("/inspections/new/", {
        "kind": InspectionKind.ROUTINE, "business": business.uscc, "date": "2026-09-01",
        "inspectors": [a.pk, b.pk], "checklist": checklist.pk,
    })
    assert response.status_code == 302, html(response)
    inspection = Inspection.objects.get()
    assert response["Location"] == f"/inspections/{inspection.pk}/"
    page = html(client.get(response["Location"]))
    assert page.count('class="item-row') == len(items)
    assert all(f'name="outcome_{item.pk}"' in page for item in items)

    answers = {"version": inspection.version}
    for item in items:
        answers[f"outcome_{item.pk}"] = ItemOutcome.CONFORM
    answers[f"outcome_{items[1].pk}"] = ItemOutcome.NONCONFORM
    answers[f"note_{items[1].pk}"] = "两名从业人员健康证过期"
    assert client.post(f"/inspections/{inspection.pk}/items/", answers).status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS and inspection.item_results.count() == len(items)

    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    assert client.post(f"/inspections/{inspection.pk}/attachments/", {"attachments": [photo]}).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png"
    assert client.get(f"/inspections/attachments/{attachment.pk}/").status_code == 200

    response = client.post(f"/inspections/{inspection.pk}/complete/", {
        "version": inspection.version, "result": "ordered", "summary": "现场检查发现健康证过期", "deadline": "2026-09-15",
        "f-TOTAL_FORMS": "2", "f-INITIAL_FORMS": "0", "f-MIN_NUM_FORMS": "0", "f-MAX_NUM_FORMS": "20",
        "f-0-severity": "general", "f-1-severity": "general",
    })
    assert response.status_code == 302, html(response)
    finding = Finding.objects.get()
    assert "健康证" in finding.description and finding.deadline == dt.date(2026, 9, 15)
    page = html(client.get(f"/inspections/{inspection.pk}/"))
    assert "发现的问题" in page and "健康证" in page and "时间线" in page

    response = client.post(f"/inspections/{inspection.pk}/documents/", {
        "kind": "rectification_notice", "findings": [finding.pk], "issued_on": "2026-09-01",
    })
    assert response.status_code == 302
    assert inspection.documents.count() == 1

    response = client.post(f"/inspections/findings/{finding.pk}/report/", {
        "version": finding.version, "submitted_on": "2026-09-10", "text": "已为从业人员办理健康证", "submitter_name": "王店长",
        "attachments": [SimpleUploadedFile("健康证.png", PNG, content_type="image/png")],
    })
    assert response.status_code == 302, html(response)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.REPORTED and finding.reports.get().attachments.count() == 1

    # The one who registered the report cannot confirm it.
    response = client.post(f"/inspections/findings/{finding.pk}/recheck/", {
        "version": finding.version, "date": "2026-09-11", "passed": "1", "inspectors": [a.pk, b.pk],
    })
    assert response.status_code == 400 and "复查须由其他执法人员进行" in html(response)

    c, d = team(org.east)
    client.force_login(c)
    assert f"/inspections/findings/{finding.pk}/" in html(client.get("/inspections/queue/"))
    response = client.post(f"/inspections/findings/{finding.pk}/recheck/", {
        "version": finding.version, "date": "2026-09-11", "passed": "1", "inspectors": [c.pk, d.pk], "note": "健康证齐全",
    })
    assert response.status_code == 302, html(response)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED and finding.closed_on == dt.date(2026, 9, 11)
    assert "整改完成" in html(client.get(f"/inspections/findings/{finding.pk}/"))

    response = client.post(f"/inspections/{inspection.pk}/amend/", {
        "version": Inspection.objects.get(pk=inspection.pk).version, "reason": "补充检查情况", "result": "ordered",
        "summary": "现场检查发现两名从业人员健康证过期",
    })
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.amendments.count() == 1 and "两名" in inspection.summary
    assert client.post(f"/inspections/{inspection.pk}/archive/", {"version": inspection.version}).status_code == 302
    assert Inspection.objects.get(pk=inspection.pk).status == InspectionStatus.ARCHIVED


# ---------------------------------------------------------------- bad input writes nothing


def test_one_inspector_for_a_routine_inspection_is_refused(client, org):
    business = BusinessFactory(subdistrict=org.subs["dongguan"])
    (a,) = team(org.east, size=1)
    client.force_login(a)
    response = client.post("/inspections/new/", {"kind": "routine", "business": business.uscc, "date": "2026-09-01", "inspectors": [a.pk]})
    assert response.status_code == 400
    assert "日常检查须由不少于2名持有效执法证的执法人员实施" in html(response)
    assert business.uscc in html(response)  # what the user typed stays in the form
    assert Inspection.objects.count() == 0


def test_unknown_business_and_leadership_are_refused(client, org):
    business = BusinessFactory(subdistrict=org.subs["dongguan"])
    west_business = BusinessFactory(subdistrict=org.subs["xiguan"])
    a, b = team(org.east)
    client.force_login(a)
    response = client.post("/inspections/new/", {"kind": "routine", "business": west_business.uscc, "date": "2026-09-01", "inspectors": [a.pk, b.pk]})
    assert response.status_code == 400 and "不在您的辖区范围内" in html(response)
    client.force_login(org.users.leader)
    response = client.post("/inspections/new/", {"kind": "self", "business": business.uscc, "date": "2026-09-01", "performed_by": "企业安全员"})
    assert response.status_code == 400 and "局领导账号只读" in html(response)
    assert Inspection.objects.count() == 0


def _in_progress(org, actor, inspectors, checklist=None):
    business = BusinessFactory(subdistrict=org.subs["dongguan"])
    return inspection_create(
        actor=actor, kind=InspectionKind.ROUTINE, business=business, date=DAY, inspectors=inspectors, checklist=checklist,
        status=InspectionStatus.IN_PROGRESS,
    )


def test_deadline_before_the_inspection_date_is_refused(client, org):
    a, b = team(org.east)
    inspection = _in_progress(org, a, [a, b])
    client.force_login(a)
    response = client.post(f"/inspections/{inspection.pk}/complete/", {
        "version": inspection.version, "result": "ordered",
        "f-TOTAL_FORMS": "1", "f-INITIAL_FORMS": "0", "f-MIN_NUM_FORMS": "0", "f-MAX_NUM_FORMS": "20",
        "f-0-description": "消防通道堵塞", "f-0-severity": "general", "f-0-deadline": "2026-08-20",
    })
    assert response.status_code == 400
    assert "整改期限 2026-08-20 早于检查日期 2026-09-01" in html(response)
    assert "消防通道堵塞" in html(response)
    assert Finding.objects.count() == 0
    assert Inspection.objects.get(pk=inspection.pk).status == InspectionStatus.IN_PROGRESS


def test_nonconform_item_needs_a_note(client, org):
    a, b = team(org.east)
    checklist = food_checklist()
    inspection = _in_progress(org, a, [a, b], checklist)
    item = checklist.items.order_by("order").first()
    client.force_login(a)
    response = client.post(f"/inspections/{inspection.pk}/items/", {"version": inspection.version, f"outcome_{item.pk}": "nonconform"})
    assert response.status_code == 400 and "为不符合，须说明问题" in html(response)
    assert inspection.item_results.count() == 0


def test_a_text_file_named_jpg_is_refused(client, org, _media):
    a, b = team(org.east)
    inspection = _in_progress(org, a, [a, b])
    client.force_login(a)
    fake = SimpleUploadedFile("现场.jpg", b"just some text, not a photo", content_type="image/jpeg")
    response = client.post(f"/inspections/{inspection.pk}/attachments/", {"attachments": [fake]})
    assert response.status_code == 400
    assert "附件“现场.jpg”不是JPEG/PNG 图片或 PDF 文件，未上传" in html(response)
    assert Attachment.objects.count() == 0
    # A good photo with a bad one: neither is kept, no file is left in storage.
    good = SimpleUploadedFile("好.png", PNG, content_type="image/png")
    fake.seek(0)
    response = client.post(f"/inspections/{inspection.pk}/attachments/", {"attachments": [good, fake]})
    assert response.status_code == 400
    assert Attachment.objects.count() == 0 and stored_files(_media) == []


def test_stale_version_on_a_finding_edit_keeps_the_input(client, org):
    _, finding, inspectors = inspection_with_finding(org)
    client.force_login(inspectors[0])
    page = client.get(f"/inspections/findings/{finding.pk}/")
    stale = page.context["edit_form"].initial["version"]
    finding_update(actor=inspectors[1], pk=finding.pk, version=finding.version, description="灭火器压力不足")
    response = client.post(f"/inspections/findings/{finding.pk}/edit/", {
        "version": stale, "description": "灭火器过期三个月", "severity": "general", "legal_basis": "", "deadline": "2026-09-20",
    })
    assert response.status_code == 409
    text = html(response)
    assert "已被他人修改" in text and "您填写的内容未保存" in text
    assert "灭火器过期三个月" in text  # the user's typing is kept
    finding.refresh_from_db()
    assert finding.description == "灭火器压力不足" and finding.deadline == dt.date(2026, 9, 15)
    # Having read the message, sending the kept input again is a deliberate overwrite.
    assert response.context["edit_form"]["version"].value() == str(finding.version)
    response = client.post(f"/inspections/findings/{finding.pk}/edit/", {
        "version": finding.version, "description": "灭火器过期三个月", "severity": "general", "legal_basis": "", "deadline": "2026-09-20",
    })
    assert response.status_code == 302
    assert Finding.objects.get(pk=finding.pk).description == "灭火器过期三个月"


def test_report_before_the_finding_is_refused(client, org):
    _, finding, inspectors = inspection_with_finding(org)
    client.force_login(inspectors[0])
    response = client.post(f"/inspections/findings/{finding.pk}/report/", {
        "version": finding.version, "submitted_on": "2026-08-01", "text": "已整改",
    })
    assert response.status_code == 400 and "早于发现日期" in html(response)
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.OPEN


# ---------------------------------------------------------------- board, queue, campaigns


def test_board_shows_clocks_and_overdue_lists(client, org, monkeypatch):
    _, finding, inspectors = inspection_with_finding(org, deadline=dt.date(2026, 9, 15))
    monkeypatch.setattr("jianguan.inspections.views.common.timezone.localdate", lambda: dt.date(2026, 9, 18))
    client.force_login(inspectors[0])
    text = html(client.get("/inspections/findings/"))
    assert "已逾期3天" in text and "clock-overdue" in text
    assert re.search(r'id="overdue".*东关市场监管所.*灭火器过期', text, re.S)
    finding_report(actor=inspectors[0], pk=finding.pk, version=finding.version, submitted_on=dt.date(2026, 9, 16), text="已更换")
    text = html(client.get("/inspections/findings/"))
    assert "剩余" in text and "待复查" in text


def test_queue_inspects_and_closes_a_task(client, org):
    a, b = team(org.east)
    device = EquipmentFactory(subdistrict=org.subs["dongguan"], operator=BusinessFactory(subdistrict=org.subs["dongguan"]))
    task = FollowUpTask.objects.create(
        kind=TaskKind.EXAM_OVERDUE, equipment=device, station=org.east, reference_due=dt.date(2026, 8, 1),
        opened_on=dt.date(2026, 8, 2), due_on=dt.date(2026, 8, 20),
    )
    client.force_login(a)
    assert "检查并办结" in html(client.get("/inspections/queue/"))
    prefix = f"t{task.pk}"
    response = client.post(f"/inspections/queue/tasks/{task.pk}/inspect/", {
        f"{prefix}-date": "2026-09-01", f"{prefix}-inspectors": [a.pk], f"{prefix}-result": "no_problem", f"{prefix}-summary": "设备已停用",
    })
    assert response.status_code == 400 and "不少于2名" in html(response)
    assert FollowUpTask.objects.get().status == "open" and Inspection.objects.count() == 0
    response = client.post(f"/inspections/queue/tasks/{task.pk}/inspect/", {
        f"{prefix}-date": "2026-09-01", f"{prefix}-inspectors": [a.pk, b.pk], f"{prefix}-result": "no_problem", f"{prefix}-summary": "设备已停用",
    })
    assert response.status_code == 302
    assert FollowUpTask.objects.get().status == "done"
    assert Inspection.objects.get().equipment.get() == device
    client.force_login(org.users.west)
    assert client.post(f"/inspections/queue/tasks/{task.pk}/inspect/", {}).status_code == 404


def test_campaign_page_shows_each_figure(client, org):
    drive = campaign(org)
    for _ in range(3):
        inspection_with_finding(org, campaign=drive)
    client.force_login(org.users.east)
    response = client.get(f"/inspections/campaigns/{drive.code}/")
    assert response.status_code == 200
    text = html(response)
    assert "检查户次" in text and text.count("/inspections/") >= 3
    figures = campaign_figures(drive, org.users.east)
    assert figures, "a campaign has figures"
    table = text[text.index('id="figure-table"'):]
    for figure in figures:
        assert figure.label in table
        assert re.search(rf'data-key="{re.escape(figure.key)}".*?>{figure.value:,}</a>', table, re.S), figure.key
    by_key = {f.key: f for f in figures}
    linked = Inspection.objects.filter(campaign=drive).count()
    assert any(f.value == linked for f in figures if "inspection" in f.key), "检查户次 counts the linked inspections"
    assert "campaign-chart" in text or 'id="figure-table"' in text
    assert by_key


def test_campaign_create_and_edit_by_department_only(client, org):
    form = {
        "code": "ZX2026-09", "name": "电梯安全专项", "start": "2026-09-01", "end": "2026-11-30", "lead_department": org.dept.pk,
        "goal_inspections": "20", "goal_devices": "40", "industries": "H62, F52",
    }
    client.force_login(org.users.east)
    response = client.post("/inspections/campaigns/new/", form)
    assert response.status_code == 400 and "专项行动和检查表由业务科室或系统管理员维护" in html(response)
    assert not Campaign.objects.exists()
    client.force_login(org.users.dept)
    response = client.post("/inspections/campaigns/new/", {**form, "end": "2026-08-01"})
    assert response.status_code == 400 and "结束日期不能早于开始日期" in html(response)
    response = client.post("/inspections/campaigns/new/", {**form, "checklist": food_checklist().pk})
    assert response.status_code == 302
    drive = Campaign.objects.get()
    assert drive.goals == {"inspections": 20, "devices": 40} and drive.industries == ["H62", "F52"]
    # the checklist its inspections start from is kept by inspections, written with the campaign
    assert CampaignChecklist.objects.get(campaign=drive).checklist == food_checklist()
    edit = client.get(f"/inspections/campaigns/{drive.code}/edit/")
    assert edit.status_code == 200 and f'<option value="{food_checklist().pk}" selected>' in html(edit)
    assert food_checklist().name in html(client.get(f"/inspections/campaigns/{drive.code}/"))
    assert food_checklist().name in html(client.get("/inspections/campaigns/"))
    assert f'<option value="{food_checklist().pk}" selected>' in html(client.get(f"/inspections/new/?campaign={drive.code}"))
    response = client.post(f"/inspections/campaigns/{drive.code}/edit/", {**form, "name": "电梯安全专项整治", "status": "active", "version": drive.version})
    assert response.status_code == 302
    assert Campaign.objects.get().name == "电梯安全专项整治"
    assert not CampaignChecklist.objects.exists()  # the form left the checklist empty: the campaign names none
    response = client.post(f"/inspections/campaigns/{drive.code}/edit/", {**form, "name": "旧版本", "status": "active", "version": drive.version})
    assert response.status_code == 409 and "已被他人修改" in html(response)
    assert Campaign.objects.get().name == "电梯安全专项整治"


def test_queue_forms_share_one_inspector_query(client, org, django_assert_max_num_queries):
    a, _ = team(org.east)
    business = BusinessFactory(subdistrict=org.subs["dongguan"])
    for n in range(12):
        device = EquipmentFactory(operator=business, subdistrict=org.subs["dongguan"])
        FollowUpTask.objects.create(
            kind=TaskKind.EXAM_OVERDUE, equipment=device, station=org.east, reference_due=dt.date(2026, 8, 1),
            opened_on=dt.date(2026, 8, 2), due_on=dt.date(2026, 8, 1) + dt.timedelta(days=n),
        )
    client.force_login(a)
    with django_assert_max_num_queries(15):
        response = client.get("/inspections/queue/")
    assert html(response).count("检查并办结</button>") == 12


def test_escalate_seal_and_lift(client, org):
    business = BusinessFactory(subdistrict=org.subs["dongguan"])
    device = EquipmentFactory(operator=business, subdistrict=org.subs["dongguan"])
    _, finding, inspectors = inspection_with_finding(org, business=business, equipment=device)
    client.force_login(org.users.leader)
    response = client.post(f"/inspections/findings/{finding.pk}/escalate/", {
        "version": finding.version, "escalation": "seal", "on": "2026-09-05", "reason": "安全阀失效仍在使用",
    })
    assert response.status_code == 400 and "局领导账号只读" in html(response)
    client.force_login(inspectors[0])
    response = client.post(f"/inspections/findings/{finding.pk}/escalate/", {
        "version": finding.version, "escalation": "seal", "on": "2026-09-05", "reason": "安全阀失效仍在使用",
    })
    assert response.status_code == 302
    finding.refresh_from_db()
    device.refresh_from_db()
    assert finding.status == FindingStatus.ESCALATED and device.sealed
    sealing = finding.sealings.get()
    page = html(client.get(f"/inspections/findings/{finding.pk}/"))
    assert "解除查封" in page and "已升级处置" in page
    response = client.post(f"/inspections/findings/{finding.pk}/sealings/{sealing.pk}/lift/", {"lifted_on": "2026-09-01", "lift_reason": "已更换"})
    assert response.status_code == 400 and "早于查封日期" in html(response)
    response = client.post(f"/inspections/findings/{finding.pk}/sealings/{sealing.pk}/lift/", {"lifted_on": "2026-09-20", "lift_reason": "已更换安全阀并检验合格"})
    assert response.status_code == 302
    device.refresh_from_db()
    assert not device.sealed and "已解封" in html(client.get(f"/inspections/findings/{finding.pk}/"))
