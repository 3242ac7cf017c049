"""jianguan-draw-v1 against an implementation written apart from it (reference_draw.py, from the
specification only): each verifies the other's records, and any tampering is caught."""

import copy
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jianguan.spotchecks.draw import DrawError, draw, verify

from . import reference_draw as ref

REFERENCE = Path(ref.__file__)


@pytest.fixture(params=[(1, None), (7, 3), (11, 6)], ids=["no-cap", "cap-3", "cap-6"])
def inp(request):
    seed, cap = request.param
    return ref.make_input(400, {"A": "0.03", "B": "0.05", "C": "0.10", "D": "0.30"}, 40, 2, cap, seed_for_test_data=seed)


def test_both_implementations_produce_the_same_record(inp):
    assert draw(inp) == ref.draw(copy.deepcopy(inp))


def test_each_verifies_the_others_record_through_files(inp, tmp_path):
    (tmp_path / "in.json").write_text(json.dumps(inp, ensure_ascii=False), encoding="utf-8")
    call_command("draw", "--input", str(tmp_path / "in.json"), "-o", str(tmp_path / "ours.json"))
    answer = subprocess.run(
        [sys.executable, str(REFERENCE), "verify", str(tmp_path / "ours.json")], capture_output=True, text=True, check=False
    )
    assert answer.returncode == 0 and answer.stdout.strip() == "OK", answer.stdout + answer.stderr
    subprocess.run([sys.executable, str(REFERENCE), "draw", str(tmp_path / "in.json"), str(tmp_path / "theirs.json")], check=True)
    call_command("verify-draw", str(tmp_path / "theirs.json"))


def _tamper(record, how):
    r = copy.deepcopy(record)
    if how == "selected key":
        r["selected"][0]["key"] = r["selected"][1]["key"]
    elif how == "team member":
        first = next(iter(r["teams"]))
        others = [i["key"] for i in r["inspectors"] if i["key"] not in r["teams"][first]]
        r["teams"][first][0] = others[0]
    elif how == "witness":
        r["witness"] += "。"
    elif how == "pool":
        r["pool"][5]["stratum"] = "D" if r["pool"][5]["stratum"] != "D" else "A"
    elif how == "dropped object":
        del r["pool"][7]
    elif how == "secret":
        r["secret"] = hashlib.sha256(b"other").hexdigest()
    return r


@pytest.mark.parametrize(
    "how, field",
    [("selected key", "selected"), ("team member", "teams"), ("witness", "seed"), ("pool", "pool_digest"),
     ("dropped object", "pool_digest"), ("secret", "commitment")],
)
def test_any_change_breaks_verification_in_both(inp, how, field, tmp_path):
    bad = _tamper(draw(inp), how)
    assert verify(bad) == field
    assert ref.verify(copy.deepcopy(bad)) == field
    (tmp_path / "bad.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match=f"字段“{field}”"):
        call_command("verify-draw", str(tmp_path / "bad.json"))


def test_stratum_shares_are_exact_ceilings_and_teams_respect_exclusions_and_cap():
    inp = ref.make_input(75, {"A": "0.3333333333333333333333333333334", "B": "0.5"}, 30, 3, 4, seed_for_test_data=3)
    record = draw(inp)
    strata = {}
    for entry in inp["pool"]:
        strata.setdefault(entry["stratum"], []).append(entry["key"])
    picked = {s: sum(1 for o in record["selected"] if o["stratum"] == s) for s in strata}
    assert picked == {"A": 9, "B": 13, "-": 0}  # ceil(25 × 0.333…334) = 9, ceil(25 × 0.5) = 13
    assert [(o["rank"], o["key"]) for o in record["selected"]] == sorted((o["rank"], o["key"]) for o in record["selected"])
    excluded = {i["key"]: set(i["excluded"]) for i in inp["inspectors"]}
    load = {}
    for key, team in record["teams"].items():
        assert len(team) == 3 == len(set(team)) and not any(key in excluded[p] for p in team)
        for p in team:
            load[p] = load.get(p, 0) + 1
    assert max(load.values()) <= 4
    # Exactness where a float would round down: 75 × 0.3333333333333333333333333333334 is just above 25.
    exact = draw({**inp, "pool": [{"key": f"K{i:03d}", "stratum": "A"} for i in range(75)], "ratios": {"A": "0.3333333333333333333333333333334"}})
    assert len(exact["selected"]) == 26


@pytest.mark.parametrize(
    "change, message",
    [
        ({"ratios": {"A": "1.5"}}, "超出 0～1"),
        ({"ratios": {"A": 0.05}}, "不是 0 到 1 之间的小数字符串"),
        ({"ratios": {"A": "5%"}}, "不是 0 到 1 之间的小数字符串"),
        ({"pool": []}, "名录为空"),
        ({"team_size": 1}, "不得少于 2 名"),
        ({"witness": "  "}, "见证文字"),
        ({"commitment": "0" * 64}, "承诺值"),
    ],
)
def test_bad_input_is_refused_in_chinese(change, message):
    inp = ref.make_input(40, {"A": "0.5"}, 6, 2, None)
    with pytest.raises(DrawError, match=message):
        draw({**inp, **change})


def test_duplicate_keys_and_too_few_eligible_inspectors_are_refused():
    inp = ref.make_input(40, {"A": "0.5"}, 6, 2, None)
    with pytest.raises(DrawError, match="重复出现"):
        draw({**inp, "pool": inp["pool"] + [inp["pool"][0]]})
    with pytest.raises(DrawError, match="执法证号.*重复出现"):
        draw({**inp, "inspectors": inp["inspectors"] + [inp["inspectors"][0]]})
    with pytest.raises(DrawError, match="可派的执法人员只有"):
        draw({**inp, "max_objects_per_inspector": 1})


def test_a_rank_bound_that_admits_too_few_falls_back_to_the_whole_stratum(monkeypatch):
    from jianguan.spotchecks import draw as module

    inp = ref.make_input(3000, {"A": "0.01", "B": "0.02"}, 12, 2, None, seed_for_test_data=5)
    monkeypatch.setattr(module, "_threshold", lambda fraction: b"\x00\x00")  # admits almost nothing
    assert draw(inp) == ref.draw(copy.deepcopy(inp))
