"""Where the monthly scoring keeps what it computed: each business's latest score (RiskScore, sparse) and the
history of its effective class (RiskClassPeriod). A run writes only what changed, in a handful of statements."""

import datetime as dt
import re

from django.db import connection

from ..models import RiskClassPeriod, RiskScore

CHUNK = 2000
_MISSED = re.compile(r"^no_annual_report:\d+:\d+:\D*(\d{4})")


def raw(qs) -> list[tuple]:
    """The rows of a values_list queryset as the database driver returns them: the ORM's per-row work costs
    more than the query itself over the hundred thousand rows a run reads (ids, counts, strings only)."""
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def chunks(ids):
    ids = sorted(ids)
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def signature(factors: list[dict]) -> str:
    # The label of the missing report names its year: a new year missed is a change even at the same points.
    return " ".join(f"{f['key']}:{f['count']}:{f['points']}" + (f":{f['label']}" if f["key"] == "no_annual_report" else "")
                    for f in factors)


def missed_year(sig: str) -> int | None:
    """The report year a stored signature says the business had not filed, if any (the factor comes first)."""
    found = _MISSED.match(sig)
    return int(found.group(1)) if found else None


def stored_scores(only: int | None = None) -> dict[int, tuple[str, str]]:
    """{business id: (computed class, signature)} of the stored scores: what a run compares its results with."""
    qs = RiskScore.objects.all() if only is None else RiskScore.objects.filter(business_id=only)
    return {b: (cls, sig) for b, cls, sig in raw(qs.order_by().values_list("business_id", "computed_class", "signature"))}


def update_grouped(model, rows: dict[int, dict], key: str = "pk") -> None:
    """UPDATE rows {key value: values} with one statement per distinct values and chunk: a run's changes repeat a
    few combinations (a point more for a new penalty…), so this is a handful of statements, not one per row."""
    groups: dict[tuple, list[int]] = {}
    for pk, values in rows.items():
        groups.setdefault(tuple(sorted((k, repr(v)) for k, v in values.items())), []).append(pk)
    for pks in groups.values():
        values = rows[pks[0]]
        for chunk in chunks(pks):
            model.objects.filter(**{f"{key}__in": chunk}).update(**values)


def write_scores(new: dict[int, tuple], on: dt.date, old: dict[int, tuple[str, str]], live_of) -> int:
    """Store the scores that changed: rows for businesses with points, and rows of businesses that had points
    and have none now (back to 0, A). `new` holds every business with points, `old` the stored_scores;
    `live_of(ids)` tells which of some businesses exist on the day (one that ended keeps its last score)."""
    creates, updates, signatures = [], {}, {}
    for pk, (points, cls, factors) in new.items():
        sig = signatures.get(id(factors))
        if sig is None:  # the factors of one combination of counts are one shared list (see risk_score_all)
            sig = signatures[id(factors)] = signature(factors)
        before = old.get(pk)
        if before is None:
            creates.append(RiskScore(business_id=pk, scored_on=on, points=points, computed_class=cls, factors=factors, signature=sig,
                                     changed_on=on))
        elif before != (cls, sig):  # the signature holds every factor's points, so equal signatures mean equal points
            updates[pk] = {"scored_on": on, "points": points, "computed_class": cls, "factors": factors, "signature": sig,
                           **({"changed_on": on} if cls != before[0] else {})}
    for b in live_of([b for b, (cls, sig) in old.items() if b not in new and (sig or cls != "A")]):
        updates[b] = {"scored_on": on, "points": 0, "computed_class": "A", "factors": [], "signature": "",
                      **({"changed_on": on} if old[b][0] != "A" else {})}
    RiskScore.objects.bulk_create(creates, batch_size=CHUNK)
    update_grouped(RiskScore, updates, key="business_id")
    return len(creates) + len(updates)


def write_periods(wanted: dict[int, tuple[str, bool]], on: dt.date) -> None:
    """Make each business's open class period say (class, overridden) from `on`: close the one in force and
    open a new one, or correct it in place when it began the same day."""
    closes, fixes, opens = [], [], []
    for chunk in chunks(wanted):
        open_rows = RiskClassPeriod.objects.filter(valid_to__isnull=True, business_id__in=chunk)
        current = {b: (pk, c, o, f) for pk, b, c, o, f in open_rows.values_list("pk", "business_id", "risk_class", "overridden", "valid_from")}
        for b in chunk:
            cls, overridden = wanted[b]
            row = current.get(b)
            if row is not None and (row[1], row[2]) == (cls, overridden):
                continue
            if row is not None and row[3] >= on:
                fixes.append(RiskClassPeriod(pk=row[0], risk_class=cls, overridden=overridden))
                continue
            if row is not None:
                closes.append(row[0])
            opens.append(RiskClassPeriod(business_id=b, risk_class=cls, overridden=overridden, valid_from=on))
    for chunk in chunks(closes):
        RiskClassPeriod.objects.filter(pk__in=chunk).update(valid_to=on)
    update_grouped(RiskClassPeriod, {f.pk: {"risk_class": f.risk_class, "overridden": f.overridden} for f in fixes})
    RiskClassPeriod.objects.bulk_create(opens, batch_size=CHUNK)
