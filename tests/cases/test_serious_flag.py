"""A penalty decision may carry its Order 44 category (严重违法失信行为): the service stores it, refuses an
unknown one, and the case page shows it; blank means not flagged."""

import datetime as dt

import pytest
from django.urls import reverse

from jianguan.cases.models import Case
from jianguan.cases.services import case_decide, case_notify
from jianguan.core.errors import DomainError

from .factories import reviewed_case

pytestmark = pytest.mark.django_db
D = dt.date


def test_a_decision_flagged_serious_keeps_its_category_and_the_page_shows_it(org, client):
    case = reviewed_case(org)
    actor = case.officers.order_by("pk").first()
    case = case_notify(actor=actor, pk=case.pk, version=case.version, notified_on=D(2026, 9, 9), penalty_kinds=["warning"],
                       approved_by="王局长")
    with pytest.raises(DomainError, match="严重违法失信行为类别“nonsense”无效"):
        case_decide(actor=actor, pk=case.pk, version=case.version, decided_on=D(2026, 9, 17), penalty_kinds=["warning"],
                    approved_by="王局长", serious_category="nonsense")
    case = case_decide(actor=actor, pk=case.pk, version=case.version, decided_on=D(2026, 9, 17), penalty_kinds=["warning"],
                       approved_by="王局长", serious_category="food_drug")
    assert Case.objects.get(pk=case.pk).serious_category == "food_drug"
    client.force_login(actor)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="serious-category"' in html and "食品药品安全领域" in html
