"""Independent reference implementation of the random draw "jianguan-draw-v1".

Written from the published specification only (issue, item 3, "The draw"), without
looking at the application code, so that the two implementations can be checked
against each other.  Standard library only; runs as a script:

    python reference_draw.py draw INPUT.json RECORD.json
    python reference_draw.py verify RECORD.json      # prints OK or the first differing field
"""

import hashlib
import json
import math
import random
import re
import sys
from decimal import Decimal
from fractions import Fraction

ALGORITHM = "jianguan-draw-v1"
INPUT_FIELDS = ("pool", "ratios", "inspectors", "team_size", "max_objects_per_inspector",
                "commitment", "secret", "witness")


def sha(text: str) -> str:
    # Spec: "All hashes are SHA-256 over UTF-8, written as lowercase hex."
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pool_digest(pool) -> str:
    # Spec: sha256("\n".join(key + "\t" + stratum for each pool entry, sorted by key)).
    # Sorting is by Unicode code point, which is Python's default str ordering.
    return sha("\n".join(p["key"] + "\t" + p["stratum"] for p in sorted(pool, key=lambda p: p["key"])))


def inspector_digest(inspectors) -> str:
    # Spec: sha256("\n".join(key + "\t" + ",".join(sorted(excluded)) for each inspector, sorted by key)).
    return sha("\n".join(i["key"] + "\t" + ",".join(sorted(i["excluded"]))
                         for i in sorted(inspectors, key=lambda i: i["key"])))


def make_seed(secret, witness, p_digest, i_digest) -> str:
    # Spec: seed = sha256(secret + "\n" + witness + "\n" + pool_digest + "\n" + inspector_digest).
    return sha(secret + "\n" + witness + "\n" + p_digest + "\n" + i_digest)


def _unique(keys, what):
    seen = set()
    for k in keys:
        if k in seen:
            raise ValueError(f"duplicate {what} key: {k}")
        seen.add(k)


def _ratio(stratum, text) -> Fraction:
    # Ratios are plain decimal strings ("0.1", "1", ".5"; no sign, exponent or spaces) in 0..1,
    # kept exact (Decimal -> Fraction) so that k = ceil(n x ratio) is exact; never float.
    if not isinstance(text, str) or not re.fullmatch(r"[0-9]+(\.[0-9]*)?|\.[0-9]+", text):
        raise ValueError(f"ratio of stratum {stratum!r} is not a decimal string: {text!r}")
    d = Decimal(text)
    if not (0 <= d <= 1):
        raise ValueError(f"ratio of stratum {stratum!r} is outside 0..1: {text!r}")
    return Fraction(d)


def select(pool, ratios, seed):
    """Objects: rank(key) = sha256(seed + ":object:" + key); per stratum k = ceil(n x ratio)."""
    _unique([p["key"] for p in pool], "pool")
    exact = {s: _ratio(s, r) for s, r in ratios.items()}
    strata = {}
    for p in pool:
        strata.setdefault(p["stratum"], []).append(
            {"key": p["key"], "stratum": p["stratum"], "rank": sha(seed + ":object:" + p["key"])})
    picks = []
    for stratum, members in strata.items():
        n = len(members)
        k = min(n, math.ceil(n * exact.get(stratum, Fraction(0))))  # absent stratum = ratio 0
        picks += sorted(members, key=lambda o: (o["rank"], o["key"]))[:k]
    # Spec: selected = all strata's picks ordered by (rank, key); ranks compared as hex strings.
    return sorted(picks, key=lambda o: (o["rank"], o["key"]))


def make_teams(selected, inspectors, team_size, cap, seed):
    """Teams: in selected order, eligible = not excluded and (no cap or count < cap)."""
    _unique([i["key"] for i in inspectors], "inspector")
    if not isinstance(team_size, int) or isinstance(team_size, bool) or team_size < 2:
        raise ValueError(f"team_size must be an integer >= 2, got {team_size!r}")
    if cap is not None and (not isinstance(cap, int) or isinstance(cap, bool)):
        raise ValueError(f"max_objects_per_inspector must be an integer or null, got {cap!r}")
    counts = {i["key"]: 0 for i in inspectors}
    teams = {}
    for obj in selected:
        o = obj["key"]
        eligible = [i["key"] for i in inspectors
                    if o not in i["excluded"] and (cap is None or counts[i["key"]] < cap)]
        if len(eligible) < team_size:
            raise ValueError(f"too few eligible inspectors for object {o}: "
                             f"{len(eligible)} < team_size {team_size}")
        eligible.sort(key=lambda ik: (sha(seed + ":inspector:" + o + ":" + ik), ik))
        teams[o] = eligible[:team_size]
        for ik in teams[o]:
            counts[ik] += 1
    return teams


def draw(inp: dict) -> dict:
    """Run the draw on an input object and return the full record."""
    if sha(inp["secret"]) != inp["commitment"]:
        raise ValueError("commitment does not match sha256(secret)")
    p_digest, i_digest = pool_digest(inp["pool"]), inspector_digest(inp["inspectors"])
    seed = make_seed(inp["secret"], inp["witness"], p_digest, i_digest)
    selected = select(inp["pool"], inp["ratios"], seed)
    teams = make_teams(selected, inp["inspectors"], inp["team_size"], inp["max_objects_per_inspector"], seed)
    record = {"algorithm": ALGORITHM}
    record.update({f: inp[f] for f in INPUT_FIELDS})
    record.update(pool_digest=p_digest, inspector_digest=i_digest, seed=seed, selected=selected, teams=teams)
    return record


def verify(record: dict) -> "str | None":
    """Recompute from the record's inputs; None if all fields agree, else the first differing field.

    Order: algorithm, commitment, pool_digest, inspector_digest, seed, selected, teams.  If a
    step cannot be recomputed (malformed input, too few inspectors) that step's field is named.
    """
    r = record
    if r.get("algorithm") != ALGORITHM:
        return "algorithm"
    try:
        if sha(r["secret"]) != r["commitment"]:
            return "commitment"
    except (KeyError, TypeError, AttributeError):
        return "commitment"
    # Later steps use the *recomputed* values, never the recorded ones.
    steps = [("pool_digest", lambda c: pool_digest(r["pool"])),
             ("inspector_digest", lambda c: inspector_digest(r["inspectors"])),
             ("seed", lambda c: make_seed(r["secret"], r["witness"], c["pool_digest"], c["inspector_digest"])),
             ("selected", lambda c: select(r["pool"], r["ratios"], c["seed"])),
             ("teams", lambda c: make_teams(c["selected"], r["inspectors"], r["team_size"],
                                            r["max_objects_per_inspector"], c["seed"]))]
    computed = {}
    for field, step in steps:
        try:
            computed[field] = step(computed)
        except (ValueError, KeyError, TypeError, AttributeError):
            return field
        if r.get(field) != computed[field]:
            return field
    return None


def make_input(n_objects, strata_ratios, n_inspectors, team_size, cap,
               witness="监督人员 张三，2024-05-20 10:00 在场", seed_for_test_data=1) -> dict:
    """Deterministic test input: objects spread over the strata of strata_ratios plus "-"
    (unrated, ratio 0 unless given); a few non-ASCII keys; a few inspector exclusions."""
    rnd = random.Random(seed_for_test_data)
    alnum = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # USCC alphabet
    strata = list(strata_ratios) + ([] if "-" in strata_ratios else ["-"])
    pool, keys = [], set()
    for i in range(n_objects):
        if i % 7 == 3:  # registration codes of individual businesses, non-ASCII
            key = f"鲁个体{rnd.randrange(10**6):06d}-{i}"
        else:  # 18-char USCC-like: 91 + 6-digit region + 10 chars
            key = "91370102" + "".join(rnd.choice(alnum) for _ in range(10))
        if key in keys:
            key += f"-{i}"
        keys.add(key)
        pool.append({"key": key, "stratum": strata[i % len(strata)]})
    inspectors = []
    for j in range(n_inspectors):
        excluded = rnd.sample(sorted(keys), min(len(keys), 1 + j % 3)) if j % 3 == 0 else []
        inspectors.append({"key": f"鲁ZF{370100 + j * 37:08d}", "excluded": excluded})
    secret = hashlib.sha256(str(seed_for_test_data).encode()).hexdigest()
    return {"pool": pool, "ratios": dict(strata_ratios), "inspectors": inspectors,
            "team_size": team_size, "max_objects_per_inspector": cap,
            "commitment": sha(secret), "secret": secret, "witness": witness}


def _main(argv) -> int:
    if len(argv) == 3 and argv[0] == "draw":
        with open(argv[1], encoding="utf-8") as f:
            inp = json.load(f)
        try:
            record = draw(inp)
        except ValueError as e:
            print(f"draw failed: {e}", file=sys.stderr)
            return 1
        with open(argv[2], "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False, indent=2)
        return 0
    if len(argv) == 2 and argv[0] == "verify":
        with open(argv[1], encoding="utf-8") as f:
            field = verify(json.load(f))
        print("OK" if field is None else field)
        return 0 if field is None else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
