"""The public pages of 双随机、一公开: no login; what is shown before and after the draw; the record and the CSV."""

import copy
import csv
import datetime as dt
import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command

from jianguan.spotchecks import services
from jianguan.spotchecks.choices import TaskStatus
from jianguan.spotchecks.models import Task

from . import builders
from . import reference_draw as ref

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # the public views are rate limited per client, and every test client is 127.0.0.1
    yield
    cache.clear()


@pytest.fixture
def w(org):
    return builders.world(org)


def test_list_shows_every_announced_task_and_no_draft(client, org, w):
    draft = builders.task(w, "草拟中的任务")
    dropped = services.task_void(actor=org.users.dept, pk=builders.task(w, "未锁定即作废").pk, version=None, reason="重复")
    locked = builders.advance(w, builders.task(w, "企业年报公示信息抽查", departments=[org.dept, org.east]), TaskStatus.LOCKED)
    page = client.get("/public/spotchecks/")  # anonymous
    assert page.status_code == 200
    text = page.content.decode()
    assert locked.number in text and "企业年报公示信息抽查" in text and "特种设备科、东关市场监管所" in text
    assert draft.number not in text and dropped.number not in text
    assert "退出" not in text and "/inspections/" not in text  # the public layout: no staff navigation
    assert client.get("/public/spotchecks/", {"status": "published"}).content.decode().count(locked.number) == 0
    assert locked.number in client.get("/public/spotchecks/", {"q": locked.number[-4:], "year": "2026"}).content.decode()
    assert client.get(f"/public/spotchecks/tasks/{draft.number}/").status_code == 404


def test_before_the_draw_the_commitment_and_digests_are_shown_never_the_secret(client, w):
    task = builders.advance(w, builders.task(w, "食品经营者检查"), TaskStatus.LOCKED)
    page = client.get(f"/public/spotchecks/tasks/{task.number}/")
    text = page.content.decode()
    assert page.status_code == 200
    a_label, d_label = task.labels["strata"]["A"], task.labels["strata"]["D"]
    for shown in (task.commitment, task.pool_digest, task.inspector_digest, f"{a_label}</span> 10%", f"{d_label}</span> 100%", "2 名"):
        assert shown in text, shown
    assert "A类" not in text and "D类" not in text  # ratios by the record's labels, never by credit class
    assert f"{len(task.pool_snapshot)} 个对象" in text and f"{len(task.inspector_snapshot)} 名执法人员" in text
    assert task.secret not in text and "等待抽取" in text
    assert client.get(f"/public/spotchecks/draws/{task.pk}.json").status_code == 404
    assert client.get(f"/public/spotchecks/tasks/{task.number}/results.csv").status_code == 404


def test_after_the_draw_the_secret_witness_objects_and_team_units_but_no_inspector(client, w):
    task = builders.advance(w, builders.task(w, "企业公示信息抽查"), TaskStatus.IN_PROGRESS)
    text = client.get(f"/public/spotchecks/tasks/{task.number}/").content.decode()
    assert task.secret in text and task.witness in text and "赵六" in text and "待公示" in text
    for obj in task.drawn.select_related("business"):
        assert obj.business.name in text and obj.key in text
    for person in w.people:
        assert person.cert_no not in text and person.full_name not in text
    assert "东关市场监管所" in text or "西关市场监管所" in text
    # The record, exactly as stored, verifies with the independent implementation and with the command.
    response = client.get(f"/public/spotchecks/draws/{task.pk}.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    record = json.loads(response.content)
    assert record == task.record and ref.verify(copy.deepcopy(record)) is None
    assert json.loads(client.get(f"/public/spotchecks/draws/{task.number}.json").content) == record


def test_verify_draw_accepts_the_downloaded_record(client, w, tmp_path, capsys):
    task = builders.advance(w, builders.task(w, "电梯使用单位检查"), TaskStatus.DRAWN)
    path = tmp_path / "record.json"
    path.write_bytes(client.get(f"/public/spotchecks/draws/{task.pk}.json").content)
    call_command("verify-draw", str(path))
    assert capsys.readouterr().out.strip() == "OK"


def test_published_results_and_their_csv(client, org, w):
    task = builders.advance(
        w, builders.task(w, "企业公示信息抽查"), TaskStatus.PUBLISHED, result_on=dt.date(2026, 3, 20), publish_on=dt.date(2026, 3, 27)
    )
    text = client.get(f"/public/spotchecks/tasks/{task.number}/").content.decode()
    assert "未发现问题" in text and "2026-03-27" in text and "results.csv" in text
    response = client.get(f"/public/spotchecks/tasks/{task.number}/results.csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["任务编号", "抽查事项", "统一社会信用代码", "市场主体名称", "抽查结果", "结果日期", "公示日期", "检查实施机关"]
    drawn = list(task.drawn.select_related("business").order_by("order"))
    assert len(rows) == len(drawn) + 1
    assert rows[1] == [task.number, "企业公示信息抽查", drawn[0].business.uscc, drawn[0].business.name, "未发现问题",
                       "2026-03-20", "2026-03-27", "测试区市场监督管理局"]


def test_a_voided_task_shows_its_reason(client, org, w):
    task = builders.advance(w, builders.task(w, "人员不足的任务"), TaskStatus.DRAWN)
    services.task_void(actor=org.users.dept, pk=task.pk, version=None, reason="检查人员调整，重新组织抽取")
    text = client.get(f"/public/spotchecks/tasks/{task.number}/").content.decode()
    assert "已作废" in text and "检查人员调整，重新组织抽取" in text
    assert client.get(f"/public/spotchecks/draws/{task.pk}.json").status_code == 200  # what was drawn stays verifiable


def test_the_public_pages_are_rate_limited(client, w, settings):
    task = builders.advance(w, builders.task(w, "企业公示信息抽查"), TaskStatus.LOCKED)
    settings.JIANGUAN_RATE_LIMITS = {"public": "3/m"}
    urls = ["/public/spotchecks/", f"/public/spotchecks/tasks/{task.number}/", "/public/spotchecks/"]
    assert [client.get(u).status_code for u in urls] == [200, 200, 200]
    refused = client.get("/public/spotchecks/")
    assert refused.status_code == 429 and "访问过于频繁" in refused.content.decode() and int(refused["Retry-After"]) >= 1
    as_json = client.get(f"/public/spotchecks/draws/{task.pk}.json")
    assert as_json.status_code == 429 and as_json.json()["code"] == "rate_limited"
    # Another client is counted apart.
    assert client.get("/public/spotchecks/", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert Task.objects.filter(pk=task.pk, status=TaskStatus.LOCKED).exists()
