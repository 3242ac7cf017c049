"""Publication of penalty decisions (Order 45): the period by penalty, the 20-working-day rule across
the National Day holiday (reckoned independently from chinesecalendar), withdrawal on revocation,
early end on credit repair, the daily expiry, and the public pages and JSON feed: only what is shown
today, persons masked, searchable, paged, rate limited."""

import datetime as dt
from decimal import Decimal

import chinese_calendar
import pytest
from django.core.cache import cache

from jianguan.cases.choices import CaseStatus, Procedure, PublicationStatus, RespondentKind, StepKind
from jianguan.cases.models import CaseStep
from jianguan.cases.publication_rules import add_months, is_light, publication_required
from jianguan.cases.services.publication import (
    publication_end_early,
    publication_expire,
    publication_publish,
    publication_withdraw,
    publish_due_for,
)
from jianguan.core.errors import DomainError
from jianguan.core.rules import rule_value
from jianguan.core.scheduler import discover

from .factories import CaseFactory, officers

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = dt.date.today


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # the public views are rate limited per client, and every test client is 127.0.0.1
    yield
    cache.clear()


def official_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after start, straight from the official calendar package."""
    day = start
    while n:
        day += dt.timedelta(days=1)
        n -= chinese_calendar.is_workday(day)
    return day


DECIDED_ON = dt.date(2026, 6, 10)


def decided(*, decided_on=DECIDED_ON, kinds=("fine",), fine="5000", number=None, **kw):
    """A decided general-procedure case (no publication yet)."""
    kw.setdefault("status", CaseStatus.DECIDED)
    case = CaseFactory(filed_on=decided_on - dt.timedelta(days=30), decided_on=decided_on, penalty_kinds=list(kinds),
                       fine_amount=Decimal(fine), **kw)
    case.decision_number = number or f"示范市监处罚〔2026〕{case.pk}号"
    case.save(update_fields=["decision_number"])
    return case


def shown(*, published_on, months=36, **kw):
    """A case on the public page from `published_on` (any date, also one the service would refuse)."""
    case = decided(decided_on=published_on - dt.timedelta(days=5), **kw)
    case.published_on, case.publish_until = published_on, add_months(published_on, months)
    case.publication_status = PublicationStatus.SHOWN
    case.save()
    return case


def publish(case, on):
    return publication_publish(actor=None, pk=case.pk, version=case.version, on=on)


# ---------------------------------------------------------------- which decisions, for how long


@pytest.mark.parametrize("kinds, fine, months", [
    (["criticism"], "0", 3),
    (["fine"], "3000", 3),  # exactly the light-fine limit: still 较低数额
    (["warning", "fine"], "2000", 3),
    (["warning", "criticism", "fine"], "100", 3),
    (["fine"], "3000.01", 36),
    (["fine", "confiscate_income"], "100", 36),
    (["revoke_licence"], "0", 36),
    (["warning", "suspend_business"], "0", 36),
])
def test_shown_three_months_only_for_light_penalties(kinds, fine, months):
    assert rule_value("cases.publish_light_fine_limit", on=D(2026, 6, 10)) == Decimal("3000")
    case = publish(decided(kinds=kinds, fine=fine), D(2026, 6, 20))
    assert case.publication_status == PublicationStatus.SHOWN
    assert case.published_on == D(2026, 6, 20)
    assert case.publish_until == add_months(D(2026, 6, 20), months)
    step = CaseStep.objects.get(case=case, kind=StepKind.PUBLICATION)
    assert step.on == D(2026, 6, 20) and str(case.publish_until) in step.opinion


def test_period_ends_on_the_same_day_months_later_or_the_month_end():
    assert add_months(D(2026, 3, 10), 3) == D(2026, 6, 10)
    assert add_months(D(2026, 3, 31), 3) == D(2026, 6, 30)
    assert add_months(D(2024, 2, 29), 36) == D(2027, 2, 28)
    assert is_light(penalty_kinds=["fine"], fine=Decimal("3000"), light_fine_limit=Decimal("3000"))
    assert not is_light(penalty_kinds=[], fine=Decimal("0"), light_fine_limit=Decimal("3000"))


def test_warning_only_exempt_and_simple_procedure_are_not_published():
    assert not publication_required(procedure=Procedure.GENERAL, penalty_kinds=["warning"], exempt=False)
    assert publication_required(procedure=Procedure.GENERAL, penalty_kinds=["warning", "fine"], exempt=False)
    for case in (
        decided(kinds=["warning"], fine="0"),
        decided(kinds=[], fine="0", exempt=True, exempt_reason="first_minor"),
        decided(kinds=["fine"], fine="200", procedure=Procedure.SIMPLE),
    ):
        with pytest.raises(DomainError) as err:
            publish(case, D(2026, 6, 20))
        assert err.value.code == "not_published_kind"
    assert not CaseStep.objects.filter(kind=StepKind.PUBLICATION).exists()


def test_publish_refuses_undecided_twice_before_decision_and_future():
    with pytest.raises(DomainError, match="尚未作出处罚决定"):
        publish(CaseFactory(), D(2026, 6, 20))
    case = decided()
    with pytest.raises(DomainError, match="早于决定日期"):
        publish(case, D(2026, 6, 9))
    with pytest.raises(DomainError, match="不能晚于今天"):
        publish(case, TODAY() + dt.timedelta(days=1))
    case = publish(case, D(2026, 6, 11))
    with pytest.raises(DomainError) as err:
        publication_publish(actor=None, pk=case.pk, version=case.version, on=D(2026, 6, 12))
    assert err.value.code == "already_published"


def test_a_stale_version_is_refused():
    case = decided()
    with pytest.raises(DomainError, match="已被他人修改"):
        publication_publish(actor=None, pk=case.pk, version=case.version + 1, on=D(2026, 6, 20))


# ---------------------------------------------------------------- on time, across the National Day


def test_publish_due_is_20_working_days_after_the_decision_across_the_national_day():
    decided_on = D(2026, 9, 25)
    due = official_working_days(decided_on, 20)
    # The holiday (and its make-up Saturdays) matters: counting Monday to Friday would be another day.
    weekdays, day = 0, decided_on
    while weekdays < 20:
        day += dt.timedelta(days=1)
        weekdays += day.weekday() < 5
    assert due != day
    assert publish_due_for(decided_on) == due

    on_time = publish(decided(decided_on=decided_on), due)
    assert on_time.publish_due == due
    assert "逾期" not in CaseStep.objects.get(case=on_time, kind=StepKind.PUBLICATION).opinion

    next_working_day = official_working_days(due, 1)
    late = publish(decided(decided_on=decided_on), next_working_day)
    assert late.published_on > late.publish_due
    assert f"逾期公示，应于 {due} 前公示" in CaseStep.objects.get(case=late, kind=StepKind.PUBLICATION).opinion


def test_a_recorded_publish_due_is_kept():
    case = decided(decided_on=D(2026, 6, 10), publish_due=D(2026, 7, 8))
    assert publish(case, D(2026, 7, 8)).publish_due == D(2026, 7, 8)


# ---------------------------------------------------------------- withdrawal


def test_withdrawn_within_three_working_days_of_the_revocation(org):
    case = publish(decided(decided_on=D(2026, 9, 1)), D(2026, 9, 10))
    revoked = D(2026, 9, 29)  # Tuesday before the National Day: the three working days run past it
    due = official_working_days(revoked, 3)
    assert due == D(2026, 10, 9)
    with pytest.raises(DomainError, match="撤下理由"):
        publication_withdraw(actor=org.users.dept, pk=case.pk, version=case.version, revoked_on=revoked, on=due,
                             reason=" ", approved_by="王局长")
    with pytest.raises(DomainError, match="早于决定被撤销"):
        publication_withdraw(actor=org.users.dept, pk=case.pk, version=case.version, revoked_on=revoked,
                             on=D(2026, 9, 28), reason="行政复议决定撤销", approved_by="王局长")
    case = publication_withdraw(actor=org.users.dept, pk=case.pk, version=case.version, revoked_on=revoked, on=due,
                                reason="市人民政府行政复议决定撤销该处罚决定", approved_by="王局长")
    assert case.publication_status == PublicationStatus.WITHDRAWN
    assert case.publication_ended_on == due and "行政复议" in case.publication_end_reason
    step = CaseStep.objects.filter(case=case, kind=StepKind.PUBLICATION).order_by("pk").last()
    assert step.approved_by == "王局长" and str(revoked) in step.opinion and "逾期" not in step.opinion
    with pytest.raises(DomainError, match="不能撤下"):
        publication_withdraw(actor=None, pk=case.pk, version=case.version, revoked_on=revoked, on=due,
                             reason="再次", approved_by="王局长")


def test_a_late_withdrawal_is_made_and_noted():
    case = publish(decided(decided_on=D(2026, 9, 1)), D(2026, 9, 10))
    case = publication_withdraw(actor=None, pk=case.pk, version=case.version, revoked_on=D(2026, 9, 29),
                                on=D(2026, 10, 12), reason="人民法院判决撤销", approved_by="王局长")
    assert case.publication_status == PublicationStatus.WITHDRAWN
    assert "逾期撤下" in CaseStep.objects.filter(case=case).order_by("pk").last().opinion


def test_the_leadership_cannot_withdraw(org):
    case = publish(decided(), D(2026, 6, 20))
    with pytest.raises(DomainError, match="只读"):
        publication_withdraw(actor=org.users.leader, pk=case.pk, version=case.version, revoked_on=D(2026, 7, 1),
                             on=D(2026, 7, 2), reason="撤销", approved_by="王局长")


# ---------------------------------------------------------------- early end (credit repair)

ALL = ("consequences_removed", "not_listed")


def test_early_end_on_its_conditions():
    case = decided(decided_on=D(2025, 6, 2), kinds=["fine"], fine="20000", status=CaseStatus.CLOSED,
                   executed_on=D(2025, 6, 20), closed_on=D(2025, 7, 1))
    case = publication_publish(actor=None, pk=case.pk, version=case.version, on=D(2025, 6, 10))
    assert case.publish_until == D(2028, 6, 10)
    earliest = add_months(D(2025, 6, 10), rule_value("cases.publish_early_end_min_months", on=D(2025, 6, 2)))
    assert earliest == D(2026, 6, 10)

    def end(on, attested=ALL, reason="已履行处罚决定，申请信用修复"):
        return publication_end_early(actor=None, pk=case.pk, version=None, on=on, reason=reason, approved_by="王局长",
                                     attested=attested)

    with pytest.raises(DomainError) as err:
        end(earliest - dt.timedelta(days=1))
    assert err.value.code == "too_early"
    with pytest.raises(DomainError, match="严重违法失信名单"):
        end(earliest, attested=["consequences_removed"])
    with pytest.raises(DomainError, match="停止公示理由"):
        end(earliest, reason="")
    ended = end(earliest)
    assert ended.publication_status == PublicationStatus.ENDED and ended.publication_ended_on == earliest
    step = CaseStep.objects.filter(case=case, kind=StepKind.PUBLICATION).order_by("pk").last()
    assert step.approved_by == "王局长" and "信用修复" in step.opinion


def test_no_early_end_for_light_unperformed_or_repeated():
    light = publish(decided(decided_on=D(2025, 1, 6), kinds=["fine"], fine="1000", status=CaseStatus.CLOSED,
                            closed_on=D(2025, 2, 1)), D(2025, 1, 10))
    light.publish_until = D(2026, 12, 31)  # whatever its period, a light publication is not repaired early
    light.save()
    with pytest.raises(DomainError) as err:
        publication_end_early(actor=None, pk=light.pk, version=None, on=D(2026, 3, 1), reason="修复", approved_by="王局长",
                              attested=ALL)
    assert err.value.code == "light_not_repairable"

    unpaid = publish(decided(decided_on=D(2025, 1, 6), kinds=["fine"], fine="50000", status=CaseStatus.EXECUTING),
                     D(2025, 1, 10))
    with pytest.raises(DomainError) as err:
        publication_end_early(actor=None, pk=unpaid.pk, version=None, on=D(2026, 3, 1), reason="修复", approved_by="王局长",
                              attested=ALL)
    assert err.value.code == "not_performed"

    first = publish(decided(decided_on=D(2025, 1, 6), kinds=["fine"], fine="50000", status=CaseStatus.CLOSED,
                            closed_on=D(2025, 2, 1)), D(2025, 1, 10))
    again = decided(decided_on=D(2025, 11, 3), kinds=["fine"], fine="8000", business=first.business, number="示范市监处罚〔2025〕99号")
    assert again.category_id == first.category_id
    with pytest.raises(DomainError, match="示范市监处罚〔2025〕99号"):
        publication_end_early(actor=None, pk=first.pk, version=None, on=D(2026, 3, 1), reason="修复", approved_by="王局长",
                              attested=ALL)


# ---------------------------------------------------------------- expiry


def test_the_daily_job_marks_expired_publications():
    past = shown(published_on=D(2026, 1, 5), months=3)
    current = shown(published_on=D(2026, 10, 9), months=36)
    assert publication_expire(today=D(2026, 12, 7)) == 1
    past.refresh_from_db()
    current.refresh_from_db()
    assert past.publication_status == PublicationStatus.EXPIRED
    assert current.publication_status == PublicationStatus.SHOWN
    step = CaseStep.objects.get(case=past, kind=StepKind.PUBLICATION)
    assert step.on == D(2026, 4, 6) and "届满" in step.opinion
    assert publication_expire(today=D(2026, 12, 7)) == 0
    job = discover()["cases.publication_expire"]  # the scheduler finds the job as it finds every app's
    current.publish_until = TODAY() - dt.timedelta(days=1)
    current.save()
    assert job.func() == 1  # as of the real today


# ---------------------------------------------------------------- the public pages


def test_public_pages_show_only_what_is_shown_today(client):
    today = TODAY()
    showing = shown(published_on=today - dt.timedelta(days=10), number="示范市监处罚〔2026〕101号")
    last_day = shown(published_on=add_months(today, -3), months=3, kinds=["fine"], fine="500", number="示范市监处罚〔2026〕102号")
    over = shown(published_on=add_months(today, -3) - dt.timedelta(days=1), months=3, number="示范市监处罚〔2026〕103号")
    future = shown(published_on=today + dt.timedelta(days=1), number="示范市监处罚〔2026〕104号")
    withdrawn = shown(published_on=today - dt.timedelta(days=20), number="示范市监处罚〔2026〕105号")
    withdrawn.publication_status = PublicationStatus.WITHDRAWN
    withdrawn.save()
    ended = shown(published_on=today - dt.timedelta(days=400), number="示范市监处罚〔2026〕106号")
    ended.publication_status = PublicationStatus.ENDED
    ended.save()
    not_published = decided(number="示范市监处罚〔2026〕107号")

    page = client.get("/public/penalties/")
    assert page.status_code == 200
    body = page.content.decode()
    assert showing.decision_number in body and last_day.decision_number in body
    for case in (over, future, withdrawn, ended, not_published):
        assert case.decision_number not in body
        assert client.get(f"/public/penalties/{case.pk}/").status_code == 404
    detail = client.get(f"/public/penalties/{showing.pk}/")
    assert detail.status_code == 200 and showing.respondent_name in detail.content.decode()
    assert "罚款5,000.00元" in detail.content.decode()

    feed = client.get("/public/penalties/feed.json").json()
    assert feed["as_of"] == today.isoformat() and feed["count"] == 2
    assert {r["decision_number"] for r in feed["results"]} == {showing.decision_number, last_day.decision_number}


def test_persons_are_masked_and_no_officer_or_internal_note_is_shown(client, org):
    team = officers(org.east)
    person = shown(published_on=TODAY() - dt.timedelta(days=3), business=None, respondent_kind=RespondentKind.PERSON,
                   respondent_name="欧阳娜娜", respondent_uscc="", respondent_id_no="370102199001011234",
                   cause="欧阳娜娜无照经营食品摊点", officers=team, number="示范市监处罚〔2026〕201号")
    CaseStep.objects.create(case=person, kind=StepKind.NOTE, on=TODAY(), opinion="内部意见：当事人态度恶劣")
    for url in ("/public/penalties/", f"/public/penalties/{person.pk}/", "/public/penalties/feed.json"):
        body = client.get(url).content.decode()
        assert "欧阳娜娜" not in body and "370102199001011234" not in body, url
        assert "欧***" in body and "3701**********1234" in body, url
        assert "内部意见" not in body and person.number not in body, url
        for officer in team:
            assert officer.full_name not in body and officer.cert_no not in body, url
    item = client.get("/public/penalties/feed.json").json()["results"][0]
    assert item["respondent_name"] == "欧***" and item["uscc"] == "" and item["violation"] == "欧***无照经营食品摊点"


def test_search_by_name_uscc_and_number(client):
    today = TODAY()
    a = shown(published_on=today - dt.timedelta(days=5), number="示范市监处罚〔2026〕301号")
    b = shown(published_on=today - dt.timedelta(days=6), number="示范市监处罚〔2026〕302号")
    person = shown(published_on=today - dt.timedelta(days=7), business=None, respondent_kind=RespondentKind.PERSON,
                   respondent_name="李四", respondent_uscc="", respondent_id_no="370102198802023456",
                   number="示范市监处罚〔2026〕303号")

    def found(q):
        return {r["decision_number"] for r in client.get("/public/penalties/feed.json", {"q": q}).json()["results"]}

    assert found(a.respondent_name) == {a.decision_number}
    assert found(b.respondent_uscc) == {b.decision_number}
    assert found(b.respondent_uscc.lower()) == {b.decision_number}
    assert found("〔2026〕302") == {b.decision_number}
    assert found("李四") == set()  # a person is not found by name …
    assert found("303号") == {person.decision_number}  # … but by the decision's number
    page = client.get("/public/penalties/", {"q": a.decision_number}).content.decode()
    assert a.decision_number in page and b.decision_number not in page
    assert "没有找到" in client.get("/public/penalties/", {"q": "不存在的名称"}).content.decode()


def test_feed_pages_and_limits(client):
    today = TODAY()
    for n in range(5):
        shown(published_on=today - dt.timedelta(days=n + 1), number=f"示范市监处罚〔2026〕40{n}号")
    first = client.get("/public/penalties/feed.json", {"page_size": 2}).json()
    assert first["count"] == 5 and first["page"] == 1 and len(first["results"]) == 2 and first["previous"] is None
    assert first["results"][0]["decision_number"] == "示范市监处罚〔2026〕400号"  # newest publication first
    assert "page=2" in first["next"] and first["results"][0]["url"].endswith(f"/public/penalties/{first['results'][0]['id']}/")
    last = client.get("/public/penalties/feed.json", {"page_size": 2, "page": 3}).json()
    assert len(last["results"]) == 1 and last["next"] is None and "page=2" in last["previous"]
    assert client.get("/public/penalties/feed.json", {"page_size": 2, "page": 9}).json()["results"] == []
    assert len(client.get("/public/penalties/feed.json").json()["results"]) == 5
    for bad in ({"page_size": 101}, {"page_size": 0}, {"page_size": "x"}, {"page": 0}, {"page": "9" * 30}):
        response = client.get("/public/penalties/feed.json", bad)
        assert response.status_code == 400 and response.json()["code"].startswith("invalid_page"), bad


def test_public_pages_need_no_login_are_read_only_and_answer_unknown_paths_publicly(client):
    case = shown(published_on=TODAY() - dt.timedelta(days=2))
    assert client.get("/public/penalties/").status_code == 200  # anonymous
    assert client.post("/public/penalties/").status_code == 405
    assert client.post(f"/public/penalties/{case.pk}/").status_code == 405
    missing = client.get("/public/penalties/" + "9" * 25 + "/")
    assert missing.status_code == 404 and "行政处罚信息公示" in missing.content.decode()
    other = client.get("/public/penalties/nothing/here")
    assert other.status_code == 404 and "返回行政处罚信息公示" in other.content.decode()
    assert client.get("/public/penalties/unknown.json").json()["code"] == "not_found"
    assert client.get(f"/public/penalties/{case.pk}").status_code == 301


def test_public_pages_are_rate_limited(client, settings):
    settings.JIANGUAN_RATE_LIMITS = {"public": "3/m"}
    case = shown(published_on=TODAY() - dt.timedelta(days=2))
    for url in ("/public/penalties/", f"/public/penalties/{case.pk}/", "/public/penalties/feed.json"):
        assert client.get(url).status_code == 200
    refused = client.get("/public/penalties/")
    assert refused.status_code == 429 and "访问过于频繁" in refused.content.decode() and int(refused["Retry-After"]) >= 1
    assert client.get("/public/penalties/feed.json").json()["code"] == "rate_limited"
