"""Credit risk classes and conflict declarations stay inside the bureau: the public pages show drawn
objects without their class, the public draw record names strata and inspectors by labels fixed at
locking and still verifies; the full record (labels explained) is for signed-in staff and auditors,
and `jianguan verify-draw` accepts both."""

import copy
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError

from jianguan.spotchecks import draw as algorithm
from jianguan.spotchecks import services
from jianguan.spotchecks.choices import TaskStatus
from jianguan.spotchecks.models import Task

from . import builders
from . import reference_draw as ref

pytestmark = pytest.mark.django_db
CLASS_WORDS = ("A类", "B类", "C类", "D类", "信用风险分类</th>", "低风险", "高风险")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def drawn(org):
    w = builders.world(org)
    return w, builders.advance(w, builders.task(w, "企业公示信息抽查"), TaskStatus.IN_PROGRESS)


def test_public_page_names_no_class(client, drawn):
    _, task = drawn
    text = client.get(f"/public/spotchecks/tasks/{task.number}/").content.decode()
    assert task.drawn.count() > 0
    for obj in task.drawn.select_related("business"):
        assert obj.business.name in text
    for word in CLASS_WORDS:
        assert word not in text, word


def test_public_record_uses_labels_and_verifies(client, drawn, tmp_path, capsys):
    w, task = drawn
    body = client.get(f"/public/spotchecks/draws/{task.pk}.json").content.decode()
    record = json.loads(body)
    strata = {e["stratum"] for e in record["pool"]} | set(record["ratios"]) | {o["stratum"] for o in record["selected"]}
    assert strata and all(s.startswith("S-") and len(s) == 10 for s in strata)
    assert all(p["key"].startswith("P-") for p in record["inspectors"])
    assert all(p.startswith("P-") for team in record["teams"].values() for p in team)
    for person in w.people:
        assert person.cert_no not in body
    assert "labels" not in record
    # The announced digests are the labelled pools' digests.
    assert record["pool_digest"] == task.pool_digest and record["inspector_digest"] == task.inspector_digest
    assert ref.verify(copy.deepcopy(record)) is None and algorithm.verify(record) is None
    path = tmp_path / "public.json"
    path.write_text(body, encoding="utf-8")
    call_command("verify-draw", str(path))
    assert capsys.readouterr().out.strip() == "OK"


def test_full_record_is_for_staff_and_explains_the_labels(client, drawn, org, tmp_path, capsys):
    w, task = drawn
    url = f"/spotchecks/tasks/{task.pk}/record.json"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(org.users.east)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    full = json.loads(response.content)
    assert {k: v for k, v in full.items() if k != "labels"} == task.record
    classes, certs = full["labels"]["strata"], full["labels"]["inspectors"]
    for obj in task.drawn.select_related("business"):
        label = next(o["stratum"] for o in full["selected"] if o["key"] == obj.key)
        assert classes[label] == obj.stratum == (obj.business.credit_risk_class or "-")
        assert [certs[p] for p in full["teams"][obj.key]] == obj.team
    assert {certs[p["key"]] for p in full["inspectors"]} <= {p.cert_no for p in w.people}
    assert ref.verify(copy.deepcopy(full)) is None  # the independent verifier ignores the explanation
    path = tmp_path / "full.json"
    path.write_text(json.dumps(full, ensure_ascii=False), encoding="utf-8")
    call_command("verify-draw", str(path))
    assert capsys.readouterr().out.strip() == "OK"
    # An explanation that gives two labels one class is caught.
    labels = list(classes)
    full["labels"]["strata"][labels[0]] = classes[labels[1]]
    path.write_text(json.dumps(full, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="labels"):
        call_command("verify-draw", str(path))
    # The staff task page links both records.
    page = client.get(f"/spotchecks/tasks/{task.pk}/").content.decode()
    assert url in page and f"/public/spotchecks/draws/{task.pk}.json" in page


def test_a_record_drawn_before_labels_is_not_public(client, org):
    """A task locked by the earlier code: digests and draw over classes and certificate numbers."""
    w = builders.world(org)
    task = builders.advance(w, builders.task(w, "旧任务"), TaskStatus.LOCKED)
    Task.objects.filter(pk=task.pk).update(
        labels=None, pool_digest=algorithm.pool_digest(task.pool_snapshot),
        inspector_digest=algorithm.inspector_digest(task.inspector_snapshot),
    )
    task = services.task_draw(actor=org.users.dept, pk=task.pk, version=None, witness="见证", witness_name="赵六")
    assert {o["stratum"] for o in task.record["selected"]} <= {"A", "B", "C", "D", "-"}
    response = client.get(f"/public/spotchecks/draws/{task.pk}.json")
    assert response.status_code == 404 and "不对外公开" in response.json()["message"]
    text = client.get(f"/public/spotchecks/tasks/{task.number}/").content.decode()
    assert "record-link" not in text and "不对外公开" in text
    for word in CLASS_WORDS:
        assert word not in text, word
    client.force_login(org.users.dept)
    assert json.loads(client.get(f"/spotchecks/tasks/{task.pk}/record.json").content) == task.record
