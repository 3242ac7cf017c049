"""jianguan-draw-v1: the random draw of 双随机、一公开, re-playable by anyone (docs/draw.md).

Pure functions over plain JSON-like data; no database. The record holds every input, so
`verify()` can recompute everything from it alone. All hashes are SHA-256 over UTF-8, written
as lowercase hex; strings are ordered by Unicode code point (Python's own str ordering).
"""

import hashlib
import heapq
import operator
import re
from fractions import Fraction

from jianguan.core.errors import DomainError

ALGORITHM = "jianguan-draw-v1"
INPUT_FIELDS = ("pool", "ratios", "inspectors", "team_size", "max_objects_per_inspector", "commitment", "secret", "witness")
# The order in which verify() compares; the first difference is the one reported.
CHECKED_FIELDS = ("algorithm", "commitment", "pool_digest", "inspector_digest", "seed", "selected", "teams")
RATIO_TEXT = re.compile(r"^(\d+(\.\d*)?|\.\d+)$")


class DrawError(DomainError):
    def __init__(self, message: str, extra: dict | None = None):
        super().__init__("draw_invalid", message, extra)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_ratio(stratum: str, text) -> Fraction:
    """A ratio is a decimal string in [0, 1]; kept exact (a Fraction), never a float."""
    if not isinstance(text, str) or not RATIO_TEXT.match(text):
        raise DrawError(f"分层“{stratum}”的抽取比例“{text}”不是 0 到 1 之间的小数字符串（如 \"0.05\"）", {"stratum": stratum})
    value = Fraction(text)
    if not 0 <= value <= 1:
        raise DrawError(f"分层“{stratum}”的抽取比例 {text} 超出 0～1", {"stratum": stratum})
    return value


def ceil_share(n: int, ratio: Fraction) -> int:
    """k = ceil(n × ratio), exactly."""
    return -((-n * ratio.numerator) // ratio.denominator)


def pool_digest(pool: list[dict]) -> str:
    return _pool_digest(*_columns(pool))


def _columns(pool: list[dict]) -> tuple[list[str], list[str]]:
    """The pool's keys and strata as two lists, checked: whole-list operations instead of a Python
    loop per object, since a city's pool has millions of them."""
    try:
        keys = list(map(operator.itemgetter("key"), pool))
        strata = list(map(operator.itemgetter("stratum"), pool))
    except (KeyError, TypeError):
        bad = next(e for e in pool if not isinstance(e, dict) or "key" not in e or "stratum" not in e)
        raise DrawError(f"检查对象名录中有条目缺少标识（key）或分层（stratum）：{bad}") from None
    if not set(map(type, keys)) <= {str} or "" in keys:
        bad = next(k for k in keys if not isinstance(k, str) or not k)
        raise DrawError(f"检查对象名录中有对象的标识不是非空文字：{bad!r}")
    kinds = set(strata)
    if not all(isinstance(k, str) and k for k in kinds):
        raise DrawError(f"检查对象的分层须为非空文字（信用风险分类或 \"-\"），收到 {sorted(map(repr, kinds))}")
    return keys, strata


def _pool_digest(keys: list[str], strata: list[str]) -> str:
    """sha256 of `key TAB stratum` lines sorted by key; also refuses duplicate keys (adjacent once sorted)."""
    if any(map(operator.ge, keys, keys[1:])):
        ordered = sorted(keys)
        if any(map(operator.eq, ordered, ordered[1:])):
            dup = next(a for a, b in zip(ordered, ordered[1:], strict=False) if a == b)
            raise DrawError(f"检查对象“{dup}”在名录中重复出现", {"key": dup})
        stratum_of = dict(zip(keys, strata, strict=True))
        keys, strata = ordered, [stratum_of[k] for k in ordered]
    # The usual case lands here directly: the database hands the pool over in key order (hence unique).
    # A pool has a handful of strata, so each line's "\t" + stratum + "\n" tail is one shared string and
    # the text is joined without building a string per line.
    tail = {s: f"\t{s}\n" for s in set(strata)}
    parts: list = [None] * (2 * len(keys))
    parts[0::2], parts[1::2] = keys, [tail[s] for s in strata]
    return sha256_hex("".join(parts)[:-1])


def inspector_digest(inspectors: list[dict]) -> str:
    return sha256_hex(
        "\n".join(f"{i['key']}\t{','.join(sorted(i['excluded']))}" for i in sorted(inspectors, key=lambda i: i["key"]))
    )


def draw_seed(secret: str, witness: str, pool_hex: str, inspector_hex: str) -> str:
    return sha256_hex(f"{secret}\n{witness}\n{pool_hex}\n{inspector_hex}")


def check_input(inp: dict) -> None:
    """Everything but the pool's objects (checked column-wise by _columns and _pool_digest)."""
    missing = [f for f in INPUT_FIELDS if f not in inp]
    if missing:
        raise DrawError(f"抽取输入缺少字段：{'、'.join(missing)}")
    if not inp["pool"]:
        raise DrawError("检查对象名录为空，无法抽取")
    keys: set[str] = set()
    for person in inp["inspectors"]:
        key = person.get("key") if isinstance(person, dict) else None
        if not isinstance(key, str) or not key:
            raise DrawError(f"执法人员名录中有人员缺少执法证号（key）：{person}")
        if key in keys:
            raise DrawError(f"执法证号“{key}”在执法人员名录中重复出现", {"key": key})
        if not isinstance(person.get("excluded"), list) or not all(isinstance(x, str) for x in person["excluded"]):
            raise DrawError(f"执法人员“{key}”的回避对象（excluded）须为对象标识的列表", {"key": key})
        keys.add(key)
    team_size = inp["team_size"]
    if not isinstance(team_size, int) or isinstance(team_size, bool) or team_size < 2:
        raise DrawError(f"每组检查人员不得少于 2 名，收到 {team_size}")
    cap = inp["max_objects_per_inspector"]
    if cap is not None and (not isinstance(cap, int) or isinstance(cap, bool) or cap < 1):
        raise DrawError(f"每名执法人员最多承担的对象数须为正整数或 null，收到 {cap}")
    if not isinstance(inp["ratios"], dict):
        raise DrawError("抽取比例（ratios）须为 {分层: 小数字符串}")
    for stratum, text in inp["ratios"].items():
        parse_ratio(stratum, text)
    if not isinstance(inp["witness"], str) or not inp["witness"].strip():
        raise DrawError("监督人员未录入见证文字（witness），不能抽取")
    if not isinstance(inp["secret"], str) or sha256_hex(inp["secret"]) != inp["commitment"]:
        raise DrawError("密钥（secret）与锁定时公布的承诺值（commitment）不符")


# Longer than any 32-byte digest and above all of them: the bound that admits every rank.
ALL_RANKS = b"\xff" * 33


def _ranked(prefix: str, keys, strata, bound: bytes) -> list[tuple[bytes, str, str]]:
    """(sha256(prefix + key).digest(), key, stratum) for the keys whose digest is below `bound`.
    The prefix starts with the 64-character seed, one whole SHA-256 block: its state is computed
    once and copied, which saves a block per hash. A plain loop: this is the draw's hot path."""
    copy = hashlib.sha256(prefix.encode()).copy
    rows: list[tuple[bytes, str, str]] = []
    keep = rows.append
    for key, stratum in zip(keys, strata, strict=True):
        h = copy()
        h.update(key.encode())
        rank = h.digest()
        if rank < bound:
            keep((rank, key, stratum))
    return rows


def _threshold(fraction: Fraction) -> bytes:
    """A rank bound (raw digest bytes) admitting about `fraction` of uniformly random ranks."""
    if fraction >= 1:
        return ALL_RANKS
    return int(fraction * 2**64).to_bytes(8, "big")


def select_objects(keys: list[str], strata: list[str], ratios: dict, seed: str) -> list[dict]:
    """Per stratum the k objects with the smallest (rank, key). Every rank is computed (the floor of
    any implementation); only candidates under a generous bound are kept, and a stratum whose
    candidates fall short of k is redone over all its objects, so the result is always exact.
    Ranks are compared as raw digests (their byte order is the order of the lowercase hex) and
    written as hex only for the objects drawn."""
    counts = {stratum: strata.count(stratum) for stratum in set(strata)}
    want = {
        s: min(ceil_share(n, parse_ratio(s, ratios[s]) if s in ratios else Fraction(0)), n) for s, n in counts.items()
    }
    prefix = seed + ":object:"
    # Twice the expected share plus a margin: the k-th smallest of n uniform ranks lies near k/n.
    share = max((Fraction(2 * k + 64, n) for s, n in counts.items() if (k := want[s])), default=Fraction(0))
    if not share:
        return []
    bound = _threshold(share)
    rows = _ranked(prefix, keys, strata, bound)  # hashing and filtering in one pass
    picks: list[tuple[bytes, str, str]] = []
    for stratum, k in want.items():
        if not k:
            continue
        mine = [row for row in rows if row[2] == stratum]
        if len(mine) < k:  # unlucky bound: rank the whole stratum
            own = [key for key, s in zip(keys, strata, strict=True) if s == stratum]
            mine = _ranked(prefix, own, [stratum] * len(own), ALL_RANKS)
        picks.extend(heapq.nsmallest(k, mine))
    picks.sort()
    return [{"key": key, "stratum": stratum, "rank": rank.hex()} for rank, key, stratum in picks]


def form_teams(selected: list[dict], inspectors: list[dict], team_size: int, cap: int | None, seed: str) -> dict[str, list[str]]:
    """For each selected object in order, the team_size eligible inspectors with the smallest
    (sha256(seed:inspector:object:inspector), inspector)."""
    conflicts: dict[str, set[str]] = {}
    for person in inspectors:
        for key in person["excluded"]:
            conflicts.setdefault(key, set()).add(person["key"])
    available = [person["key"] for person in inspectors]  # still under the cap
    encoded = [p.encode() for p in available]  # once, not once per object: the keys are mostly Chinese
    load = dict.fromkeys(available, 0)
    seed_state = hashlib.sha256(seed.encode())  # one whole block, absorbed once (see _ranked)
    teams: dict[str, list[str]] = {}
    for obj in selected:
        key = obj["key"]
        names, codes = available, encoded
        if key in conflicts:
            barred = conflicts[key]
            names = [p for p in available if p not in barred]
            codes = [c for p, c in zip(available, encoded, strict=True) if p not in barred]
        if len(names) < team_size:
            raise DrawError(
                f"检查对象“{key}”可派的执法人员只有 {len(names)} 名（回避或已达上限后），少于每组 {team_size} 名，本次抽取作废，请调整执法人员名录或上限",
                {"key": key},
            )
        state = seed_state.copy()
        state.update(f":inspector:{key}:".encode())
        copy = state.copy
        digests = []
        for code in codes:
            h = copy()
            h.update(code)
            digests.append(h.digest())
        # Raw digests order as their lowercase hex does.
        team = [p for _, p in heapq.nsmallest(team_size, zip(digests, names, strict=True))]
        teams[key] = team
        if cap is not None:
            for p in team:
                load[p] += 1
            if any(load[p] >= cap for p in team):
                keep = [i for i, p in enumerate(available) if load[p] < cap]
                available, encoded = [available[i] for i in keep], [encoded[i] for i in keep]
    return teams


def draw(inp: dict) -> dict:
    """Run jianguan-draw-v1 on an input; the record it returns contains every input."""
    check_input(inp)
    keys, strata = _columns(inp["pool"])
    pool_hex, inspector_hex = _pool_digest(keys, strata), inspector_digest(inp["inspectors"])
    seed = draw_seed(inp["secret"], inp["witness"], pool_hex, inspector_hex)
    selected = select_objects(keys, strata, inp["ratios"], seed)
    teams = form_teams(selected, inp["inspectors"], inp["team_size"], inp["max_objects_per_inspector"], seed)
    return {
        "algorithm": ALGORITHM,
        **{name: inp[name] for name in INPUT_FIELDS},
        "pool_digest": pool_hex,
        "inspector_digest": inspector_hex,
        "seed": seed,
        "selected": selected,
        "teams": teams,
    }


def verify(record: dict) -> str | None:
    """None when the record recomputes exactly; else the first field that differs."""
    if record.get("algorithm") != ALGORITHM:
        return "algorithm"
    try:
        if sha256_hex(record["secret"]) != record["commitment"]:
            return "commitment"
        again = draw({name: record[name] for name in INPUT_FIELDS})
    except (KeyError, TypeError):
        return next((f for f in INPUT_FIELDS if f not in record), "record")
    except DrawError:
        return "inputs"
    for name in CHECKED_FIELDS:
        if record.get(name) != again[name]:
            return name
    return None
