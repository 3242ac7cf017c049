"""What the public look-up (/public/credit/) and the business flags read: the list entries in force or ended
and the annual-report years filed — as the national enterprise credit publicity system shows them for this
jurisdiction. Never the computed risk class, never a proposal or a declined proposal, never a listing revoked
as wrongly made (it is withdrawn, not a record of the business's conduct)."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Value

from jianguan.businesses.models import Business
from jianguan.businesses.rules import UsccError, normalize_uscc
from jianguan.core.flags import Flag

from ..choices import EntryKind, EntryStatus, RemovalReason
from ..models import AbnormalEntry, AnnualReport, SeriousEntry

MIN_NAME_CHARS = 2
USCC_LENGTH = 18


class SearchError(ValueError):
    """A query the look-up does not run; `message` says why, in Chinese."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def public_search(query: str) -> QuerySet[Business]:
    """Businesses of the register by their exact unified social credit code (18 characters, checked) or by a
    fragment of their name (at least two characters), ordered by name. Raises SearchError otherwise."""
    text = (query or "").strip()
    if not text:
        raise SearchError("empty_query", "请输入市场主体名称（至少2个字）或18位统一社会信用代码")
    compact = text.replace(" ", "")
    if len(compact) == USCC_LENGTH and compact.isascii() and compact.isalnum():
        try:
            code = normalize_uscc(compact)
        except UsccError as exc:
            raise SearchError("invalid_uscc", str(exc)) from exc
        qs = Business.objects.filter(uscc=code)
    else:
        if len(text) < MIN_NAME_CHARS:
            raise SearchError("query_too_short", f"按名称查询请至少输入{MIN_NAME_CHARS}个字")
        qs = Business.objects.filter(name__contains=text)
    return qs.select_related("subdistrict").order_by("name", "uscc")


def _published_abnormal(on: dt.date) -> Q:
    """Listed (marked) by a decision taken by `on`, still in force or since removed (not revoked as an error)."""
    return (Q(status__in=[EntryStatus.LISTED, EntryStatus.REMOVED], listed_on__lte=on)
            & ~Q(removal_reason=RemovalReason.REVOKED))


def _published_serious(on: dt.date) -> Q:
    return (Q(status__in=[EntryStatus.LISTED, EntryStatus.REMOVED], listed_on__lte=on)
            & ~Q(removal_reason=RemovalReason.REVOKED))


@dataclass
class PublicRecord:
    """One business's public credit record."""

    business: Business
    abnormal: list[AbnormalEntry] = field(default_factory=list)
    serious: list[SeriousEntry] = field(default_factory=list)
    report_years: list[int] = field(default_factory=list)

    @property
    def abnormal_current(self) -> bool:
        return any(e.public_removed_on is None for e in self.abnormal)

    @property
    def serious_current(self) -> bool:
        return any(e.public_removed_on is None for e in self.serious)


def public_records(businesses: list[Business], on: dt.date) -> list[PublicRecord]:
    """The public record of each business, in the order given, in three queries whatever their number. An
    entry removed after `on` is shown as in force on `on` (`public_removed_on` is None)."""
    records = {b.pk: PublicRecord(business=b) for b in businesses}
    if not records:
        return []
    ids = list(records)
    for e in (AbnormalEntry.objects.filter(_published_abnormal(on), business_id__in=ids)
              .select_related("decision", "removal_decision").order_by("-listed_on", "-pk")):
        e.public_removed_on = e.removed_on if e.removed_on and e.removed_on <= on else None
        records[e.business_id].abnormal.append(e)
    for e in (SeriousEntry.objects.filter(_published_serious(on), business_id__in=ids)
              .select_related("decision", "removal_decision").order_by("-listed_on", "-pk")):
        e.public_removed_on = e.removed_on if e.removed_on and e.removed_on <= on else None
        records[e.business_id].serious.append(e)
    for business_id, year in (AnnualReport.objects.filter(business_id__in=ids, published=True, filed_on__lte=on)
                              .order_by("-year").values_list("business_id", "year")):
        records[business_id].report_years.append(year)
    return list(records.values())


# ---------------------------------------------------------------- flags beside a business's name

ABNORMAL_FLAG = "经营异常"
SERIOUS_FLAG = "严重违法失信"


def flags_on(ids: set[int], on: dt.date) -> dict[int, list[Flag]]:
    """The businesses among `ids` that are on the abnormal list (or marked) or on the serious violation list on
    `on`, in one query: {id: [Flag(经营异常), Flag(严重违法失信)]}."""
    abnormal = (AbnormalEntry.objects.filter(business_id__in=ids, status=EntryStatus.LISTED, listed_on__lte=on)
                .annotate(flag_source=Value("abnormal")).values_list("business_id", "kind", "flag_source").order_by())
    serious = (SeriousEntry.objects.filter(Q(list_until__isnull=True) | Q(list_until__gte=on), business_id__in=ids,
                                           status=EntryStatus.LISTED, listed_on__lte=on)
               .annotate(flag_source=Value("serious")).values_list("business_id", "category", "flag_source").order_by())
    found: dict[int, dict[str, set[str]]] = {}
    for business_id, kind, source in abnormal.union(serious, all=True):
        found.setdefault(business_id, {}).setdefault(source, set()).add(kind)
    flags = {}
    for business_id, sources in found.items():
        out = []
        if "abnormal" in sources:
            kinds = sources["abnormal"]
            title = "；".join(label for value, label in EntryKind.choices if value in kinds)
            out.append(Flag(ABNORMAL_FLAG, "danger", title))
        if "serious" in sources:
            out.append(Flag(SERIOUS_FLAG, "danger", "列入严重违法失信名单"))
        flags[business_id] = out
    return flags
