"""No 500 from a bad query string: huge or non-numeric page numbers, ids past 64 bits, dates that are
not dates. Pages answer with a Chinese message (or the first/last page); the API answers 400/422 with
the project's {"code", "message", "extra"} body."""

import re
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from jianguan.core import paging
from jianguan.org.choices import OrgKind, Role

from ..factories import BusinessFactory, OrgUnitFactory, SubdistrictFactory, UserFactory

HUGE = "99999999999999999999"  # past 2**64: SQLite raises OverflowError, PostgreSQL DataError
pytestmark = pytest.mark.django_db

ROLES = ("leader", "dept", "east", "admin")

# The pages named in issue 12, and the parameters they read.
PAGES = [
    "/inspections/?page=" + HUGE,
    "/complaints/?page=" + HUGE,
    "/complaints/records/?page=" + HUGE,
    "/complaints/disclosures/?page=" + HUGE,
    "/equipment/tasks/?page=" + HUGE,
    "/spotchecks/objects/preview/?subdistricts=" + HUGE,
    "/spotchecks/?plan=" + HUGE,
    "/inspections/new/?task=" + HUGE,
    "/reports/compare/?a=" + HUGE + "&b=" + HUGE,
    "/reports/snapshots/?page=" + HUGE,
    "/calendar/provisional/?page=" + HUGE,
    "/public/spotchecks/?page=" + HUGE,
    "/cases/?page=" + HUGE,
    "/cases/leads/?page=" + HUGE,
    "/cases/?year=" + HUGE,
]

# Every query parameter a page reads anywhere (grep request.GET), each given a value that is too big
# for a 64-bit integer, then one that is not a number or a date at all.
PARAMS = (
    "page", "after", "before", "date_from", "date_to", "as_of", "period", "plan", "task", "a", "b", "subdistricts",
    "station", "year", "template", "campaign", "business", "kind", "status", "q", "number", "severity", "scope",
    "part", "entity_type", "reg_status", "credit_risk_class", "subdistrict", "received_from", "received_to",
    "user", "purpose", "equipment_for", "target", "entity_types", "credit_classes", "overdue", "all",
    "industries", "licence_kinds", "equipment_types", "handler", "category", "channel", "from", "to",
    "source", "due", "procedure", "mine", "uscc",
)
BAD_VALUES = (HUGE, "-" + HUGE, "notadate", "1e400", "0x10", "２", "²", "a\x00b")

API_LISTS = ["/api/v1/businesses/", "/api/v1/inspections/", "/api/v1/inspections/findings", "/api/v1/complaints/",
             "/api/v1/cases/", "/api/v1/cases/leads"]


def _routes(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def _concrete(route: str) -> str:
    """One path of a route: int ids too big for the database, other path parts made up."""
    path = re.sub(r"<int:\w+>", HUGE, route)
    path = re.sub(r"<(?:str|slug):\w+>", "x", path)
    return "/" + path.lstrip("^").rstrip("$")


def _page_routes():
    skip = ("admin/", "api/", "logout/", "login/")
    return sorted({_concrete(r) for r in _routes() if not r.startswith(skip) and "(?P" not in r})


@pytest.fixture(scope="module")
def people(module_db, django_db_blocker):
    """A bureau, a department, a station with a subdistrict and a business, and a user per role."""
    with django_db_blocker.unblock():
        bureau = OrgUnitFactory(kind=OrgKind.BUREAU, code="B", name="测试区市场监督管理局")
        dept = OrgUnitFactory(kind=OrgKind.DEPARTMENT, code="D1", name="特种设备科", parent=bureau)
        east = OrgUnitFactory(kind=OrgKind.STATION, code="S1", name="东关市场监管所", parent=bureau)
        BusinessFactory(subdistrict=SubdistrictFactory(code="370102001", name="东关街道", station=east))
        users = SimpleNamespace(
            leader=UserFactory(username="leader", role=Role.LEADERSHIP, org_unit=bureau),
            dept=UserFactory(username="dept", role=Role.DEPARTMENT, org_unit=dept),
            east=UserFactory(username="east", role=Role.STATION, org_unit=east),
            admin=UserFactory(username="admin", role=Role.ADMIN, org_unit=bureau, is_staff=True, is_superuser=True),
        )
    return SimpleNamespace(users=users)


@pytest.mark.parametrize("value", (HUGE, "notanumber", "-5", "0", "1e400", ""))
def test_page_number_is_always_a_small_positive_int(rf, value):
    assert 1 <= paging.page_number(rf.get("/", {"page": value})) <= paging.MAX_PAGE


def test_parse_int_refuses_what_the_database_cannot_hold():
    assert paging.parse_int("42") == 42
    assert paging.parse_int(HUGE) is None and paging.parse_int("-" + HUGE) is None
    assert paging.parse_int("abc") is None and paging.parse_int("") is None and paging.parse_int("２") is None
    assert paging.parse_int(str(2**63 - 1)) == 2**63 - 1 and paging.parse_int(str(2**63)) is None


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", PAGES)
def test_named_pages_answer_bad_numbers_without_500(client, people, role, url):
    client.force_login(getattr(people.users, role))
    resp = client.get(url)
    assert resp.status_code in (200, 302, 400, 403, 404), (url, resp.status_code)


# Each role opens its own pages and branches for a huge id; the other values are parsed the same
# whoever sends them, so a station user (scoped) and the administrator (everything) are enough.
SWEEPS = [(role, HUGE) for role in ROLES] + [(role, v) for v in BAD_VALUES if v != HUGE for role in ("east", "admin")]


@pytest.mark.parametrize(("role", "value"), SWEEPS)
def test_every_page_survives_every_bad_parameter(client, people, role, value):
    client.force_login(getattr(people.users, role))
    query = {key: value for key in PARAMS}
    failures = []
    for path in _page_routes():
        try:
            resp = client.get(path, query)
        except Exception as exc:  # the test client re-raises what would have been a 500
            failures.append(f"{path}: {type(exc).__name__}: {exc}")
        else:
            if resp.status_code == 500:  # (a 503 is /healthz saying that no worker runs here)
                failures.append(f"{path}: {resp.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", API_LISTS)
@pytest.mark.parametrize("query", [
    {"page": HUGE}, {"page": "abc"}, {"page": "0"}, {"page_size": HUGE},
    {"date_from": "notadate"}, {"date_to": "2026-13-45"}, {"received_from": "notadate"},
    {"business": HUGE}, {"campaign": HUGE}, {"kind": "²"}, {"status": HUGE}, {"page": "²"},
    {"q": "a\x00b"}, {"campaign": "a\x00b"}, {"kind": "a\x00b"},  # PostgreSQL refuses NUL in text
])
def test_api_lists_answer_bad_parameters_in_the_error_body(client, people, role, url, query):
    client.force_login(getattr(people.users, role))
    resp = client.get(url, query)
    assert resp.status_code in (200, 400, 403, 422), (url, query, resp.status_code)
    if resp.status_code != 200:
        body = resp.json()
        assert set(body) == {"code", "message", "extra"} and re.search(r"[\u4e00-\u9fff]", body["message"]), body


def test_api_date_filter_is_a_422_in_chinese(client, people):
    client.force_login(people.users.dept)
    resp = client.get("/api/v1/inspections/", {"date_from": "notadate"})
    assert resp.status_code == 422
    body = resp.json()
    assert body["code"] == "invalid" and "date_from" in body["message"] and body["extra"]["errors"][0]["field"] == "date_from"


def test_api_huge_page_is_a_400_in_chinese(client, people):
    client.force_login(people.users.dept)
    resp = client.get("/api/v1/businesses/", {"page": HUGE})
    assert resp.status_code in (400, 422)
    assert resp.json()["extra"]["errors"][0]["field"] == "page"


@pytest.mark.parametrize("url", ["/api/v1/inspections/" + HUGE, "/api/v1/inspections/findings/" + HUGE + "/reports",
                                 "/api/v1/businesses/" + HUGE, "/api/v1/complaints/" + HUGE])
def test_api_huge_ids_in_paths_are_404(client, people, url):
    client.force_login(people.users.dept)
    resp = client.post(url, {}, content_type="application/json") if url.endswith("reports") else client.get(url)
    assert resp.status_code in (404, 422), resp.content
    assert set(resp.json()) == {"code", "message", "extra"}


def test_huge_page_shows_an_empty_last_page_in_chinese(client, people):
    client.force_login(people.users.dept)
    resp = client.get("/inspections/", {"page": HUGE})
    assert resp.status_code == 200 and resp.context["page_no"] == paging.MAX_PAGE
    assert "第 1000000000 页" in resp.content.decode()


@pytest.mark.parametrize("url", ["/inspections/?q=a%00b", "/inspections/checklists/a%00b/", "/businesses/?q=%00"])
def test_a_nul_character_is_a_chinese_400_on_pages(client, people, url):
    client.force_login(people.users.east)
    resp = client.get(url)
    assert resp.status_code == 400 and "空字符" in resp.content.decode()


@pytest.mark.parametrize("url", ["/api/v1/businesses/?q=a%00b", "/api/v1/complaints/a%00b"])
def test_a_nul_character_is_a_400_in_the_api_error_body(client, people, url):
    client.force_login(people.users.east)
    resp = client.get(url)
    assert resp.status_code == 400 and resp.json()["code"] == "invalid" and "空字符" in resp.json()["message"]


def test_admin_changelists_survive_bad_parameters(client, people):
    """The support pages: Django's changelists with a huge page, search and id, and a missing object."""
    from django.contrib import admin

    client.force_login(people.users.admin)
    failures = []
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for url, query in ((base, {"p": HUGE}), (base, {"q": HUGE}), (base, {"id__exact": HUGE}),
                           (base, {"p": "²"}), (f"{base}{HUGE}/change/", {})):
            try:
                status = client.get(url, query).status_code
            except Exception as exc:  # the test client re-raises what would have been a 500
                failures.append(f"{url} {query}: {type(exc).__name__}: {exc}")
            else:
                if status == 500:
                    failures.append(f"{url} {query}: 500")
    assert not failures, "\n".join(failures)


# The names of the forms' choice fields that take ids (grep ModelChoiceField / ModelMultipleChoiceField).
POST_FIELDS = (
    "campaign", "checklist", "departments", "equipment", "findings", "inspector_pool", "items", "lead_department",
    "object_pool", "plan", "subdistricts", "user", "inspectors", "business", "department", "station", "handler",
    "members", "subdistrict", "task", "version", "page",
)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("value", (HUGE, "a\x00b"))
def test_every_form_survives_huge_ids(client, people, role, value):
    """A form posted with ids too big for the database, or text PostgreSQL cannot hold: a form error or
    a Chinese 400, never a 500."""
    client.force_login(getattr(people.users, role))
    failures = []
    for path in _page_routes():
        try:
            resp = client.post(path, {key: value for key in (*POST_FIELDS, *PARAMS)})
        except Exception as exc:  # the test client re-raises what would have been a 500
            failures.append(f"{path}: {type(exc).__name__}: {exc}")
        else:
            if resp.status_code == 500:
                failures.append(f"{path}: 500")
    assert not failures, "\n".join(failures)


def test_a_huge_id_in_a_form_is_a_chinese_400(client, people):
    client.force_login(people.users.dept)
    resp = client.post("/spotchecks/objects/new/", {"name": "名录库", "subdistricts": [HUGE]})
    # SQLite cannot take the id (the middleware's message); PostgreSQL can, and the form refuses it.
    assert resp.status_code == 400 and ("过大" in resp.content.decode() or "所选街道无效" in resp.content.decode())
