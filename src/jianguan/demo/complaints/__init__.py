"""The demo district's year of 12315 work (投诉、举报、咨询), deterministic for a seed, written through the
complaint services so that every record has its timeline (Event) and its audit rows.

- Items arrive every day of 2026 up to the demo date by the hotline, the national 12315 platform, this
  platform's public form and the platform interface; more in the week of 3·15 and around the National
  Day holidays (2026-09-30 … 10-09), whose clocks run over the holidays.
- Texts are short and in the complainant's words, per domain; the classifier gives the domain
  (jianguan.complaints.classify, from the respondent's name and the text). Respondents are businesses of
  the register of the matching trade (a food complaint against a restaurant, a lift against an operator
  of lifts), some a stall named with its subdistrict, some unknown — these wait in triage until the
  消费者权益保护科 routes them to a station or moves them (移送) to another district's bureau.
- Complaints go through ODR (four ODR enterprises, one of which left in August), acceptance or refusal,
  mediation (a few paused for testing) and the notice; reports through verification, a filing decision
  (立案 opens a case lead; a few with the one approved extension) and the reporter's notice; inquiries
  are answered by the hotline. A few of each are late, and on the demo date some are open past their
  deadline, some wait in triage, a few were re-assigned between stations or transferred; one is a
  duplicate, refused.
- The services stamp an event's time with the real clock; the demo moves those times onto its own
  calendar afterwards (as spotchecks does for a draw). Query codes of the public form are random by
  design (a credential): only their digests differ between two builds of the same seed.

Speed: the audit hash chain costs several queries per audit row when each row is chained as it is
written; the build chains its rows once at the end (core.audit.chained_at_the_end), which gives the
same links. Everything else goes through the services.

Modules: texts (shares, names and texts the year is made of), year (the day-by-day build).
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db import transaction

from jianguan.complaints.models import Event
from jianguan.core import audit
from jianguan.core.services import acting
from jianguan.org.models import User

from .texts import CONSUMER_RIGHTS, HOLIDAYS, PERSONAL_INFO, SCALES
from .year import ComplaintCounts, _Year

__all__ = ["CONSUMER_RIGHTS", "HOLIDAYS", "PERSONAL_INFO", "SCALES", "build_complaints", "grant_personal_info"]


def grant_personal_info(username: str = CONSUMER_RIGHTS) -> User:
    """The 消费者权益保护科 login may see complainants' names and phones (each look is logged)."""
    user = User.objects.get(username=username)
    app_label, codename = PERSONAL_INFO
    with acting(User.objects.get(username="admin")):
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user


@transaction.atomic  # all or nothing: the audit rows are chained only at the end
def build_complaints(seed: int, scale: str = "small") -> ComplaintCounts:
    """A year of 12315 items up to the demo date, through the services; returns what was made."""
    grant_personal_info()
    first_event = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with audit.chained_at_the_end():
        year = _Year(seed, SCALES[scale])
        for index, day in enumerate(year.days()):
            year.item(day, index)
        year.stamp_events(first_event)
    return year.tally()
