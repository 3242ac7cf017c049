"""工作台: the home page lists, per role, the overdue and due-soon work of every module, each count
linking to a list that holds exactly the records counted."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jianguan.core import panels as core_panels
from jianguan.core.models import ProvisionalDeadline, Rule

from . import home_records
from .home_records import days, set_today


@pytest.fixture
def work(org, monkeypatch):
    set_today(monkeypatch)
    work = home_records.build(org)
    # The administrator's own item: deadlines counted without their year's calendar.
    for ref, offset, resolved in (("late", -1, False), ("soon", 2, False), ("later", 30, False), ("done", -3, True)):
        ProvisionalDeadline.objects.create(
            app_label="probe", object_ref=ref, field_name="due", start=days(-30), working_days=10, due=days(offset),
            resolved_at=timezone.now() if resolved else None,
        )
    return work


def _todos(client) -> dict:
    resp = client.get("/")
    assert resp.status_code == 200
    return {key: todo for key, todo in resp.context["todos"]}, resp.content.decode()


def _ids(client, url: str, pattern: str, section: str | None = None) -> set:
    resp = client.get(url)
    assert resp.status_code == 200, url
    page = resp.content.decode()
    if section:
        start = page.index(f'id="{section}"')
        page = page[start: page.index("</section>", start)]
    return {int(m) if isinstance(m, str) else m for m in re.findall(pattern, page)}


FINDING = r'href="/inspections/findings/(\d+)/'
DEVICE = r'href="/equipment/(\d+)/"'
COMPLAINT = r'href="/complaints/(\d+)/"'
DRAWN = r'#drawn-(\d+)"'
PROVISIONAL = r'<td>([\w.]+)</td><td class="mono">([^<]+)</td><td class="mono">([^<]+)</td>'


def _expected(work, org, role: str) -> dict:
    f, t, c, p = work.findings, work.tasks, work.complaints, work.publish
    east = role == "east"
    dev = lambda *names: {t[n].equipment_id for n in names}  # noqa: E731
    expected = {
        "inspections.rechecks": {
            "overdue": {f["D"].pk},
            "soon": {f["E"].pk} | (set() if east else {f["G"].pk}),
            "open": {f["D"].pk, f["E"].pk, f["H"].pk} | (set() if east else {f["G"].pk}),
        },
        "inspections.rectifications": {
            "overdue": {f["A"].pk} | (set() if east else {f["F"].pk}),
            "soon": {f["B"].pk},
            "open": {f["A"].pk, f["B"].pk, f["C"].pk} | (set() if east else {f["F"].pk}),
        },
        "equipment.tasks": {
            "overdue": dev("overdue") | (set() if east else dev("west_overdue")),
            "soon": dev("soon"),
            "open": dev("overdue", "soon", "later") | (set() if east else dev("west_overdue")),
        },
        "complaints.deadlines": {
            "overdue": {c["overdue"].pk},
            "soon": {c["soon"].pk} | (set() if east else {c["west_soon"].pk}),
            "open": {c[n].pk for n in ("overdue", "soon", "later")} | (set() if east else {c["west_soon"].pk}),
        },
    }
    # The enforcement cases', sampling's and 包保's to-dos (tests/cases/test_panels.py, tests/sampling/test_panels.py,
    # tests/baobao fill them); none in this world. The licence and food-plan to-dos stay off while nothing is
    # licensed or planned.
    for key in ("cases.leads", "cases.decisions", "sampling.disposals", "sampling.services", "baobao.overdue"):
        expected[key] = {"overdue": set(), "soon": set(), "open": set()}
    # Credit decisions are the bureau's: departments, the administrator and leadership see them, stations do
    # not (tests/credit/test_panels.py fills them); none in this world.
    if not east:
        for key in ("credit.proposals", "credit.repairs", "credit.escalations"):
            expected[key] = {"overdue": set(), "soon": set(), "open": set()}
    if role == "admin":
        unresolved = ProvisionalDeadline.objects.filter(resolved_at__isnull=True)
        refs = lambda qs: {(d.app_label, d.object_ref, d.field_name) for d in qs}  # noqa: E731
        expected["core.provisional"] = {
            "overdue": refs(unresolved.filter(due__lt=days(0))),
            "soon": refs(unresolved.filter(due__gte=days(0), due__lte=days(3))),
            "open": refs(unresolved),
        }
        assert ("probe", "late", "due") in expected["core.provisional"]["overdue"]
        assert ("probe", "soon", "due") in expected["core.provisional"]["soon"]
    if not east:
        expected["spotchecks.publish"] = {
            "overdue": {p["overdue"].pk, p["west_overdue"].pk},
            "soon": {p["soon"].pk},
            "open": {o.pk for o in work.drawn},
        }
    return expected


PATTERNS = {
    "inspections.rechecks": (FINDING, None),
    "inspections.rectifications": (FINDING, None),
    "equipment.tasks": (DEVICE, None),
    "complaints.deadlines": (COMPLAINT, None),
    "spotchecks.publish": (DRAWN, "overdue"),
    "core.provisional": (PROVISIONAL, None),
    "cases.leads": (r'<tr id="lead-(\d+)"', None),
    "cases.decisions": (r'<tr id="case-(\d+)"', None),
    "sampling.disposals": (r'<tr id="sample-(\d+)"', None),
    "sampling.services": (r'<tr id="sample-(\d+)"', None),
    "baobao.overdue": (r'<tr id="assignment-(\d+)"', None),
}
# The credit to-dos' lists belong to the credit pages (tests/credit/test_panels.py follows them with records);
# here, with none, only that they point into the credit pages.
CREDIT_TODOS = ("credit.proposals", "credit.repairs", "credit.escalations")


@pytest.mark.parametrize("role", ["east", "dept", "admin", "leader"])
def test_home_counts_and_links_per_role(client, org, work, role):
    client.force_login(getattr(org.users, role))
    todos, page = _todos(client)
    expected = _expected(work, org, role)
    # A station does not publish spot-check results; only the administrator re-computes provisional deadlines.
    assert set(todos) == set(expected)
    for key, counts in expected.items():
        todo = todos[key]
        for kind, count in todo.counts:
            assert count.n == len(counts[kind]), (key, kind)
            assert f'href="{count.url.replace("&", "&amp;")}" data-count="{kind}"' in page
            if key in CREDIT_TODOS:
                assert count.url.startswith("/credit/")
                continue
            pattern, section = PATTERNS[key]
            assert _ids(client, count.url, pattern, section) == counts[kind], (key, kind, count.url)
    # The nearest deadlines are listed under each item, overdue first.
    rows = todos["complaints.deadlines"].rows
    assert [r.when for r in rows] == sorted(r.when for r in rows) and rows[0].tone == "danger"
    if role == "leader":
        assert "全局待办概况" in page and "只读" in page
    else:
        assert "待办事项" in page


def test_west_station_sees_only_its_own(client, org, work):
    client.force_login(org.users.west)
    todos, _ = _todos(client)
    assert todos["inspections.rectifications"].overdue.n == 1 and todos["inspections.rechecks"].due_soon.n == 1
    assert todos["equipment.tasks"].overdue.n == 1 and todos["equipment.tasks"].open.n == 1
    assert todos["complaints.deadlines"].due_soon.n == 1 and todos["complaints.deadlines"].overdue.n == 0


def test_due_soon_window_is_a_versioned_rule(client, org, work):
    """A new version of the rule from today on (20 days): the complaint due in 15 days and the re-check
    due in 20 days become "soon"; the page says up to which day."""
    Rule.objects.create(
        key=core_panels.DUE_SOON_RULE, label="工作台提醒期", value="20", unit="calendar_day",
        valid_from=days(0), source_document="测试",
    )
    client.force_login(org.users.dept)
    todos, page = _todos(client)
    assert todos["complaints.deadlines"].due_soon.n == 3  # today, +2 and +15
    assert todos["inspections.rechecks"].due_soon.n == 2 + 1  # +2, +3 and +20
    assert "12月16日" in page


def test_home_query_count_is_bounded(client, org, work, monkeypatch):
    client.force_login(org.users.dept)
    client.get("/")  # warm the registries
    with CaptureQueriesContext(connection) as first:
        client.get("/")
    # Twice the records: the same number of queries.
    for n in range(3):
        home_records._complaint(org, work.shop, org.subs["dongguan"], due=-n)
        home_records._task(home_records.EquipmentFactory(operator=work.shop, subdistrict=org.subs["dongguan"]), org.east, 1)
    with CaptureQueriesContext(connection) as second:
        client.get("/")
    assert len(second) == len(first)
    # session, user, rule, then a count and a few rows per to-do item (two sources for the serious-list one; the
    # licence, food-plan and 包保 items read their rules and a count each)
    assert len(first) <= 48


def test_home_has_no_inline_script(client, org, work):
    """A Content-Security-Policy forbidding inline scripts is coming: the data is JSON, the code static."""
    for user in (org.users.dept, org.users.east):
        client.force_login(user)
        page = client.get("/").content.decode()
        for tag in re.findall(r"<script\b[^>]*>", page):
            assert "src=" in tag or 'type="application/json"' in tag, tag
        assert not re.search(r"\son[a-z]+=", page.split("<main", 1)[-1])


def test_core_home_collects_panels_only():
    """The home page's view imports no domain app: each registers its to-dos in its panels.py."""
    import ast
    import pathlib

    import jianguan.core.views as views

    tree = ast.parse(pathlib.Path(views.__file__).read_text())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not {m for m in imported if m.startswith("jianguan.") and m.split(".")[1] not in ("core", "org")}


def test_missing_window_rule_is_said_not_a_500(client, org, work):
    """Without a version of the rule in force the home page still answers: only today counts as due soon,
    and the page says which rule to fill in (the lists it links to answer too)."""
    Rule.objects.filter(key=core_panels.DUE_SOON_RULE).delete()
    client.force_login(org.users.dept)
    todos, page = _todos(client)
    assert "workbench.due_soon_days" in page and 'id="window-problem"' in page
    assert todos["complaints.deadlines"].due_soon.n == 1  # the one due today
    for _kind, count in todos["complaints.deadlines"].counts:
        assert client.get(count.url).status_code == 200
    assert client.get("/inspections/findings/?due=soon").status_code == 200


def test_a_later_module_adds_its_todo_through_the_registry(client, org):
    from jianguan.core.panels import Count, Todo, register_todo, todos

    seen = []

    @register_todo("sampling.results", order=45)
    def sampling(actor, on, until):
        seen.append((actor.username, on, until))
        return Todo(
            label="待告知的抽检结果", unit="批次", overdue=Count("已逾期", 2, "/sampling/?due=overdue", tone="danger"),
            due_soon=Count("即将到期", 0, "/sampling/?due=soon"), open=Count("全部", 5, "/sampling/"),
        )

    try:
        client.force_login(org.users.east)
        todo_list, page = _todos(client)
        assert todo_list["sampling.results"].overdue.n == 2 and "待告知的抽检结果" in page
        assert 'href="/sampling/?due=overdue" data-count="overdue"' in page
        assert seen[0][0] == "east" and (seen[0][2] - seen[0][1]).days == 3
    finally:
        todos.unregister("sampling.results")
