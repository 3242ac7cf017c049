"""The demo's 12315 year, day by day, through the complaint services."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from jianguan.businesses.models import Business
from jianguan.complaints.choices import (
    Category,
    Channel,
    FilingDecision,
    Kind,
    MediationOutcome,
    OdrOutcome,
    RefusalReason,
    Status,
)
from jianguan.complaints.models import Complaint, Event, OdrEnterprise
from jianguan.complaints.selectors import queue
from jianguan.complaints.services import handling, routing
from jianguan.complaints.services.intake import complaint_receive
from jianguan.core.calendar import WorkingCalendar
from jianguan.core.services import acting
from jianguan.equipment.models import Equipment
from jianguan.org.choices import Role
from jianguan.org.models import Subdistrict, User

from .. import names
from ..district import _person
from ..equipment import DEMO_DATE
from .texts import (
    AMOUNTS,
    ANSWERS,
    CATEGORY_SHARE,
    CHANNEL_SHARE,
    CONSUMER_RIGHTS,
    DEFAULT_ANSWER,
    HOLIDAYS,
    INQUIRY_OTHER,
    KIND_SHARE,
    MEDIATION_NOTES,
    NOTICES,
    ODR_BUSINESSES,
    ONLINE_CATEGORIES,
    OTHER_AUTHORITIES,
    OTHER_BUREAUS,
    PLATFORMS,
    STALL_CATEGORIES,
    STALLED,
    STALLS,
    TESTS,
    TEXTS,
    TRIAGE_BACKLOG,
    VERIFIED,
    YEAR_START,
)


@dataclass
class ComplaintCounts:
    by_kind: Counter = field(default_factory=Counter)
    events: int = 0
    open: int = 0
    overdue: int = 0
    triage: int = 0
    odr_enterprises: int = 0
    odr_settled: int = 0
    reassigned: int = 0
    transferred: int = 0
    duplicates: int = 0
    filed: int = 0
    recovered: Decimal = Decimal("0")

    def summary(self) -> str:
        kinds = "、".join(f"{k.label} {self.by_kind.get(k.value, 0)}" for k in Kind)
        return (
            f"投诉举报：登记 {sum(self.by_kind.values())} 件（{kinds}），办理记录 {self.events} 条；截至 {DEMO_DATE:%Y-%m-%d} "
            f"正在处理 {self.open} 件（其中超过办理期限 {self.overdue} 件、待分派 {self.triage} 件）；ODR企业 {self.odr_enterprises} 家，"
            f"前端拦截 {self.odr_settled} 件；改派 {self.reassigned} 件，移送 {self.transferred} 件，疑似重复 {self.duplicates} 件；"
            f"举报立案 {self.filed} 件；调解挽回经济损失 {self.recovered} 元"
        )


def _pick(rng: random.Random, shares):
    values, weights = zip(*shares, strict=True)
    return rng.choices(values, weights)[0]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class _Year:
    def __init__(self, seed: int, count: int):
        self.rng = random.Random(seed * 71 + 13)
        self.count = count
        self.cal = WorkingCalendar()
        self.desk = User.objects.get(username=CONSUMER_RIGHTS)
        self.approver = User.objects.get(username="leader").full_name or "局领导"
        self.subdistricts = list(Subdistrict.objects.select_related("station").order_by("code"))
        self.staff: dict[int, list[User]] = {}
        for user in User.objects.filter(role=Role.STATION, is_active=True).order_by("username"):
            self.staff.setdefault(user.org_unit_id, []).append(user)
        self.pools = self._pools()
        self.odr = self._odr_enterprises()
        self.received_at: dict[int, dt.datetime] = {}
        self.counts = ComplaintCounts()
        self.duplicate_due = count // 3  # the item after which the same complaint comes in again

    # ---- the register -----------------------------------------------------------------------

    def _pools(self) -> dict[Category, list[tuple]]:
        """Registered businesses of each domain's trades (established before the year), by USCC."""
        active = Business.objects.filter(reg_status="active", established_on__lt=YEAR_START).order_by("uscc")
        columns = ("name", "uscc", "address")
        operators = list(active.filter(pk__in=Equipment.objects.values("operator")).values_list(*columns))
        pools = {}
        for category, texts in TEXTS.items():
            if not texts.shops:
                pools[category] = operators
                continue
            rows = active.none()
            for word in texts.shops:
                rows = rows | active.filter(name__contains=word)
            pools[category] = list(rows.values_list(*columns)[:5000])
        return pools

    def _odr_enterprises(self) -> list[OdrEnterprise]:
        made = []
        with acting(self.desk):
            for word, joined, left, contact, _ in ODR_BUSINESSES:
                business = (
                    Business.objects.filter(reg_status="active", entity_type="enterprise", name__contains=word,
                                            established_on__lt=joined, odr__isnull=True).order_by("uscc").first()
                )
                if business is not None:
                    made.append(OdrEnterprise.objects.create(
                        business=business, joined_on=joined, left_on=left, contact=contact,
                        note="签署在线消费纠纷解决承诺：收到投诉后5个工作日内自行和解",
                    ))
        return made

    # ---- dates and people -------------------------------------------------------------------

    def days(self) -> list[dt.date]:
        days = [YEAR_START + dt.timedelta(days=n) for n in range((DEMO_DATE - YEAR_START).days + 1)]
        weights = []
        for day in days:
            weight = 1.0 if day.weekday() < 5 else 0.7
            if dt.date(2026, 3, 9) <= day <= dt.date(2026, 3, 20):  # 3·15
                weight *= 1.8
            if HOLIDAYS[0] <= day <= HOLIDAYS[1]:
                weight *= 2.5
            weights.append(weight)
        return sorted(self.rng.choices(days, weights, k=self.count))

    def later(self, day: dt.date, low: int, high: int | None = None) -> dt.date:
        """low … high working days after day (holidays skipped, make-up Saturdays worked)."""
        n = low if high is None else self.rng.randint(low, high)
        return self.cal.add_working_days(day, n).date

    def person(self) -> dict:
        phone = f"1{self.rng.choice('3456789')}{self.rng.randrange(10**9):09d}"
        return {"complainant_name": _person(self.rng), "complainant_phone": phone}

    def officer(self, station_id: int) -> User:
        return self.rng.choice(self.staff[station_id])

    # ---- one item ---------------------------------------------------------------------------

    def respondent(self, kind: str, category: Category) -> dict:
        rng = self.rng
        roll = rng.random()
        if kind == Kind.INQUIRY and roll < 0.75:
            return {}  # a question about the rules, about no one
        if roll < 0.84 or kind == Kind.INQUIRY:
            name, uscc, address = rng.choice(self.pools[category])
            return {"respondent_name": name, "respondent_uscc": uscc, "respondent_address": address}
        if roll < 0.91 and category in STALL_CATEGORIES:  # not in the register, but its place is known
            sub = rng.choice(self.subdistricts)
            road = rng.choice(names.ROADS)
            return {"respondent_name": f"{road}{rng.choice(STALLS)}", "respondent_address": f"{sub.name}{road}",
                    "subdistrict_text": sub.name}
        if category in ONLINE_CATEGORIES:  # an online shop: triage, then routed or moved to its own district
            platform = rng.choice(PLATFORMS)
            shop = f"{rng.choice(names.TRADE_NAMES)}{rng.choice(('优选', '旗舰店', '好物馆', '小铺'))}"
            return {"respondent_name": f"{platform}店铺“{shop}”", "respondent_address": f"网络店铺（{platform}）"}
        return {"respondent_name": f"{rng.choice(names.ROADS)}附近{rng.choice(STALLS)}", "respondent_address": "地址不详"}

    def item(self, day: dt.date, index: int) -> None:
        rng = self.rng
        kind = _pick(rng, KIND_SHARE)
        odr = None
        if kind == Kind.COMPLAINT and rng.random() < 0.12:
            odr = next((o for o in rng.sample(self.odr, len(self.odr)) if o.active_on(day)), None)
        if odr is not None:
            category = rng.choice(next(c for w, *_, c in ODR_BUSINESSES if w in odr.business.name))
            fields = {"respondent_name": odr.business.name, "respondent_uscc": odr.business.uscc,
                      "respondent_address": odr.business.address}
        else:
            other = kind == Kind.INQUIRY and rng.random() < INQUIRY_OTHER
            category = Category.OTHER if other else _pick(rng, CATEGORY_SHARE.items())
            fields = self.respondent(kind, category)
        texts = TEXTS[category]
        festive = texts.holiday and kind == Kind.COMPLAINT and dt.date(2026, 9, 20) <= day <= HOLIDAYS[1]
        content = rng.choice(texts.holiday if festive and rng.random() < 0.6 else getattr(texts, kind))
        channel = _pick(rng, CHANNEL_SHARE)
        hour = rng.randrange(8, 21) if channel == Channel.HOTLINE else rng.randrange(0, 24)
        if kind == Kind.COMPLAINT or rng.random() < (0.7 if kind == Kind.REPORT else 0.85):
            fields.update(self.person())
        if kind == Kind.COMPLAINT and rng.random() < 0.9:
            fields["amount"] = (Decimal(rng.choice(AMOUNTS)) * Decimal(rng.randint(60, 140)) / 100).quantize(Decimal("0.01"))
        fields.update(kind=kind, channel=channel, content=content, received_at=_at(day, hour, rng.randrange(60)))
        complaint = self.receive(fields)
        self.handle(complaint)
        if index >= self.duplicate_due and kind == Kind.COMPLAINT and complaint.business_id and not complaint.odr_enterprise_id:
            # The same person files the same complaint again on the web two hours later: flagged, then refused.
            self.duplicate_due = self.count + 1
            again = self.receive({**fields, "channel": Channel.PUBLIC, "received_at": fields["received_at"] + dt.timedelta(hours=2)})
            self.handle(again)

    def receive(self, fields: dict) -> Complaint:
        actor = self.desk if fields["channel"] == Channel.HOTLINE else None  # the hotline's operator; imports by the system
        complaint = complaint_receive(actor=actor, **fields)
        self.received_at[complaint.pk] = fields["received_at"]
        return complaint

    def handle(self, c: Complaint) -> None:
        start = c.received_on
        station = c.subdistrict.station_id if c.subdistrict_id else None
        if c.status == Status.TRIAGE:
            start, station = self.route(c, start)
            if station is None:
                return
        elif c.kind != Kind.INQUIRY and self.rng.random() < 0.03:
            start, station = self.reroute(c, start, station)
            if station is None:
                return
        if c.kind != Kind.INQUIRY and STALLED[0] <= c.received_on <= STALLED[1] and self.rng.random() < 0.08:
            return  # left lying at the station: past its deadline on the demo date
        if c.kind == Kind.COMPLAINT:
            self.complaint(c, start, station)
        elif c.kind == Kind.REPORT:
            self.report(c, start, station)
        else:
            self.inquiry(c, start)

    # ---- routing ----------------------------------------------------------------------------

    def route(self, c: Complaint, start: dt.date) -> tuple[dt.date, int | None]:
        """The desk routes a triage item within two working days, or moves an online shop's to its district."""
        on = self.later(start, 1, 2)
        if on > DEMO_DATE or start >= TRIAGE_BACKLOG:
            return on, None  # still in triage on the demo date
        if c.respondent_address.startswith("网络店铺") and self.rng.random() < 0.6:
            to, reason = self.rng.choice(OTHER_BUREAUS[:2])
            routing.complaint_transfer(actor=self.desk, pk=c.pk, version=None, to=to, reason=reason, on=on)
            return on, None
        sub = self.rng.choice(self.subdistricts)
        routing.complaint_assign(actor=self.desk, pk=c.pk, version=None, subdistrict=sub, on=on)
        return on, sub.station_id

    def reroute(self, c: Complaint, start: dt.date, station: int) -> tuple[dt.date, int | None]:
        """A station hands the item back to triage, or the desk re-assigns it, saying why."""
        on = self.later(start, 1)
        if on > DEMO_DATE:
            return start, station
        sub = self.rng.choice([s for s in self.subdistricts if s.station_id != station])
        reason = f"经核实，被投诉举报对象实际经营场所位于{sub.name}"
        if self.rng.random() < 0.4:
            routing.complaint_return(actor=self.officer(station), pk=c.pk, version=None, reason=f"不属本所辖区：{reason}", on=on)
            on = self.later(on, 1)
            if on > DEMO_DATE:
                return on, None
            routing.complaint_assign(actor=self.desk, pk=c.pk, version=None, subdistrict=sub, on=on)
        else:
            routing.complaint_assign(actor=self.desk, pk=c.pk, version=None, subdistrict=sub, reason=reason, on=on)
        self.counts.reassigned += 1
        return on, sub.station_id

    # ---- the three kinds --------------------------------------------------------------------

    def complaint(self, c: Complaint, start: dt.date, station: int) -> None:
        rng, officer = self.rng, self.officer(station)
        if c.duplicate_of_id:
            on = self.later(start, 1, 2)
            if on <= DEMO_DATE:
                handling.complaint_refuse(
                    actor=officer, pk=c.pk, version=None, reason=RefusalReason.OTHER, on=on,
                    note=f"与{c.duplicate_of.number}为同一投诉人就同一事项的重复投诉，已并入原件办理",
                )
            return
        if any(o.business_id == c.business_id and o.active_on(start) for o in self.odr):
            handling.odr_start(actor=self.desk, pk=c.pk, version=None, on=start)
            end = self.later(start, 1, 6)
            if end > DEMO_DATE:
                return
            settled = rng.random() < 0.8
            handling.odr_end(
                actor=self.desk, pk=c.pk, version=None, on=end, outcome=OdrOutcome.SETTLED if settled else OdrOutcome.FAILED,
                note="企业已与消费者和解并反馈" if settled else "企业反馈双方未能和解，转入受理程序",
            )
            if settled:
                return
            start = end
        roll = rng.random()
        if roll < 0.02:
            on = self.later(start, 1, 3)
            if on <= DEMO_DATE:
                to, reason = rng.choice(OTHER_AUTHORITIES)
                routing.complaint_transfer(actor=officer, pk=c.pk, version=None, to=to, reason=reason, on=on)
            return
        if roll < 0.10:
            on = self.later(start, 1, 6)
            if on <= DEMO_DATE:
                reason = rng.choice([r for r in RefusalReason if r != RefusalReason.OTHER])
                handling.complaint_refuse(actor=officer, pk=c.pk, version=None, reason=reason, on=on)
            return
        accepted = self.later(start, 1, 5) if rng.random() < 0.92 else self.later(start, 8, 12)
        if accepted > DEMO_DATE:
            return
        handling.complaint_accept(actor=officer, pk=c.pk, version=None, on=accepted)
        ended = self.later(accepted, 3, 30) if rng.random() < 0.94 else self.later(accepted, 47, 60)
        if rng.random() < 0.05:  # sent for testing: the 45 days stop meanwhile
            paused = self.later(accepted, 2, 6)
            if paused > DEMO_DATE:
                return
            handling.mediation_pause(actor=officer, pk=c.pk, version=None, note=rng.choice(TESTS), on=paused)
            resumed = self.later(paused, 5, 15)
            if resumed > DEMO_DATE:
                return
            handling.mediation_resume(actor=officer, pk=c.pk, version=None, on=resumed)
            ended = self.later(resumed, 2, 15)
        if ended > DEMO_DATE:
            return
        outcome = _pick(rng, ((MediationOutcome.SUCCESS, 62), (MediationOutcome.FAILED, 25), (MediationOutcome.TERMINATED, 13)))
        recovered = None
        if outcome == MediationOutcome.SUCCESS and c.amount:
            recovered = (c.amount * Decimal(rng.choice((100, 100, 100, 80, 50, 30))) / 100).quantize(Decimal("0.01"))
        handling.mediation_end(
            actor=officer, pk=c.pk, version=None, outcome=outcome, recovered_amount=recovered, on=ended,
            note=rng.choice(MEDIATION_NOTES[outcome]),
        )
        told = self.later(ended, 1, 4) if rng.random() < 0.96 else self.later(ended, 8, 10)
        if told <= DEMO_DATE:
            handling.parties_notify(actor=officer, pk=c.pk, version=None, on=told, note=rng.choice(NOTICES))

    def report(self, c: Complaint, start: dt.date, station: int) -> None:
        rng, officer = self.rng, self.officer(station)
        if rng.random() < 0.03:
            on = self.later(start, 1, 5)
            if on <= DEMO_DATE:
                to, reason = rng.choice(OTHER_AUTHORITIES)
                routing.complaint_transfer(actor=officer, pk=c.pk, version=None, to=to, reason=reason, on=on)
            return
        if rng.random() < 0.06:  # sampled for testing: the decision needs the one approved extension
            extended = self.later(c.received_on, 9, 13)
            if extended > DEMO_DATE:
                return
            handling.filing_extend(
                actor=officer, pk=c.pk, version=None, approved_by=self.approver, on=extended,
                reason="涉案商品已抽样送检，检验周期较长，需待检验报告作出立案决定",
            )
            decided = self.later(c.received_on, 17, 27)
        else:
            decided = self.later(start, 3, 13) if rng.random() < 0.95 else self.later(c.received_on, 16, 20)
        if decided > DEMO_DATE:
            return
        decision = FilingDecision.FILED if c.business_id and rng.random() < 0.25 else FilingDecision.NOT_FILED
        c = handling.report_decide(actor=officer, pk=c.pk, version=None, decision=decision, on=decided, note=VERIFIED[decision])
        if c.status == Status.DECIDED:  # a named reporter is told
            told = self.later(decided, 1, 4)
            if told <= DEMO_DATE:
                handling.parties_notify(actor=officer, pk=c.pk, version=None, on=told, note="电话告知举报人处理结果")

    def inquiry(self, c: Complaint, start: dt.date) -> None:
        on = start if self.rng.random() < 0.85 else self.later(start, 1, 2)
        if on <= DEMO_DATE:
            answer = ANSWERS.get(Category(c.category), DEFAULT_ANSWER)
            handling.inquiry_answer(actor=self.desk, pk=c.pk, version=None, answer=answer, on=on)

    # ---- afterwards ---------------------------------------------------------------------------

    def stamp_events(self, first_event: int) -> int:
        """Move the events' times (the real clock when written) onto their business dates: a receipt at
        its registration time, every later step in office hours, in order within its item."""
        rows = Event.objects.filter(pk__gt=first_event).order_by("complaint_id", "pk").values_list("pk", "complaint_id", "on")
        stamped, last = [], {}
        for pk, complaint_id, on in rows:
            at = self.received_at.get(complaint_id) if complaint_id not in last else None
            if at is None:
                at = _at(on, 9) + dt.timedelta(minutes=self.rng.randrange(8 * 60))
                if complaint_id in last and at <= last[complaint_id]:  # the same day as the step before: after it
                    after = last[complaint_id] + dt.timedelta(minutes=self.rng.randrange(5, 60))
                    at = after if timezone.localdate(after) == on else last[complaint_id] + dt.timedelta(seconds=1)
            last[complaint_id] = at
            stamped.append(Event(pk=pk, at=at))
        Event.objects.bulk_update(stamped, ["at"], batch_size=500)
        return len(stamped)

    def tally(self) -> ComplaintCounts:
        counts = self.counts
        counts.by_kind = Counter(Complaint.objects.values_list("kind", flat=True))
        counts.events = Event.objects.count()
        counts.open = Complaint.objects.exclude(status__in=(Status.CLOSED, Status.TRANSFERRED)).count()
        counts.overdue = queue(User.objects.get(username="admin"), today=DEMO_DATE, overdue_only=True).count()
        counts.triage = Complaint.objects.filter(status=Status.TRIAGE).count()
        counts.odr_enterprises = len(self.odr)
        counts.odr_settled = Complaint.objects.filter(odr_outcome=OdrOutcome.SETTLED).count()
        counts.transferred = Complaint.objects.filter(status=Status.TRANSFERRED).count()
        counts.duplicates = Complaint.objects.filter(duplicate_of__isnull=False).count()
        counts.filed = Complaint.objects.filter(filing_decision=FilingDecision.FILED).count()
        recovered = Complaint.objects.aggregate(s=Sum("recovered_amount"))["s"] or 0
        counts.recovered = Decimal(recovered).quantize(Decimal("0.01"))  # SQLite sums decimals as floats
        return counts
