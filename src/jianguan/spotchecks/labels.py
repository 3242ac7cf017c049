"""Opaque labels for the public draw record (docs/draw.md, 公开记录与完整记录).

A credit risk class (信用风险分类) is internal, and an inspector's conflict declaration (回避) is
personal data, yet the draw record must be public so that anyone can recompute it. So the draw runs
on labelled inputs: each stratum and each inspector is named by a random label fixed at locking
(before the digests are announced), and the record the public downloads verifies as it is. The
labels' meaning — label → class, label → 执法证号 — stays inside the bureau and is added to the
full record that staff and auditors download; `jianguan verify-draw` checks both.

Pure functions; no database.
"""

import secrets

STRATUM_PREFIX = "S-"
INSPECTOR_PREFIX = "P-"
LABEL_HEX = 4  # bytes: 8 hex characters, a collision is retried


def _fresh(prefix: str, taken: set[str]) -> str:
    while True:
        label = prefix + secrets.token_hex(LABEL_HEX)
        if label not in taken:
            taken.add(label)
            return label


def make_labels(pool: list[dict], inspectors: list[dict], ratios: dict) -> dict:
    """Random labels for every stratum (of the pool and of the ratios) and every inspector."""
    taken: set[str] = set()
    strata = sorted({e["stratum"] for e in pool} | set(ratios or {}))
    # Shuffled so that the labels' order says nothing about the classes' order either.
    strata_labels = {s: _fresh(STRATUM_PREFIX, taken) for s in secrets.SystemRandom().sample(strata, len(strata))}
    people = [p["key"] for p in inspectors]
    inspector_labels = {cert: _fresh(INSPECTOR_PREFIX, taken) for cert in secrets.SystemRandom().sample(people, len(people))}
    return {"strata": strata_labels, "inspectors": inspector_labels}


def public_inputs(pool: list[dict], inspectors: list[dict], ratios: dict, labels: dict) -> tuple[list, list, dict]:
    """The draw's inputs as the public sees them: strata and inspectors by their labels."""
    strata, people = labels["strata"], labels["inspectors"]
    tail = {s: strata[s] for s in {e["stratum"] for e in pool}}
    public_pool = [{"key": e["key"], "stratum": tail[e["stratum"]]} for e in pool]
    public_people = [{"key": people[p["key"]], "excluded": list(p["excluded"])} for p in inspectors]
    return public_pool, public_people, {strata[s]: r for s, r in (ratios or {}).items()}


def meanings(labels: dict) -> dict:
    """label → class and label → 执法证号: what the full record adds to the public one."""
    return {
        "strata": {label: stratum for stratum, label in labels["strata"].items()},
        "inspectors": {label: cert for cert, label in labels["inspectors"].items()},
    }


def stratum_of(labels: dict | None, label: str) -> str:
    return meanings(labels)["strata"].get(label, label) if labels else label


def team_of(labels: dict | None, team: list[str]) -> list[str]:
    if not labels:
        return list(team)
    certs = meanings(labels)["inspectors"]
    return [certs.get(p, p) for p in team]


def full_record(record: dict, labels: dict | None) -> dict:
    """The public record plus the labels' meaning (internal: for staff and auditors)."""
    if not labels:
        return record
    return {**record, "labels": meanings(labels)}


def check_meanings(record: dict) -> str | None:
    """For a full record: every label in the record has exactly one meaning, and no two labels share
    one. None when consistent (or when the record has no `labels`), else the field that is not."""
    if "labels" not in record:
        return None
    given = record["labels"]
    if not isinstance(given, dict) or not isinstance(given.get("strata"), dict) or not isinstance(given.get("inspectors"), dict):
        return "labels"
    strata, people = given["strata"], given["inspectors"]
    used_strata = {e.get("stratum") for e in record.get("pool", []) if isinstance(e, dict)} | set(record.get("ratios") or {})
    used_people = {p.get("key") for p in record.get("inspectors", []) if isinstance(p, dict)}
    for mapping, used in ((strata, used_strata), (people, used_people)):
        if not used <= set(mapping) or len(set(mapping.values())) != len(mapping):
            return "labels"
    return None
