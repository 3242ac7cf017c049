"""An independent reckoning of 年报率 and of the proposals for the abnormal list, from the business export
(市场主体台账) and the annual-report file (统一社会信用代码, 年度, 报送日期) — openpyxl and the standard
library only, no jianguan code, so that the acceptance test compares jianguan with a second reading of the
definition (issue 15):

- due for report year Y as of D: established on or before Y-12-31 and not ended (注销, 吊销, 迁出) on or
  before the earlier of D and Y+1-06-30;
- filed: due, with a filing for Y dated on or before D; rate = filed ÷ due × 100, two decimals (half up);
- proposals on D (after Y+1-06-30): due, not filed by D, still 存续 on D — 企业 and 农民专业合作社 列入,
  个体工商户 标记.
"""

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

import openpyxl

TYPES = ("企业", "个体工商户", "农民专业合作社")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def as_date(value):
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    y, m, d = (int(x) for x in _DATE.match(str(value).strip()).groups())
    return dt.date(y, m, d)


def read(path):
    ws = openpyxl.load_workbook(path, read_only=True).active
    rows = ws.iter_rows(values_only=True)
    headers = [str(h).strip() if h is not None else "" for h in next(rows)]
    return [dict(zip(headers, r, strict=False)) for r in rows if any(c not in (None, "") for c in r)]


def businesses(path):
    out = []
    for r in read(path):
        status = (r.get("登记状态") or "存续").strip()
        out.append({"uscc": str(r["统一社会信用代码"]).strip().upper(), "type": r["主体类型"].strip(),
                    "established": as_date(r["成立日期"]), "ended": None if status == "存续" else as_date(r["状态日期"])})
    return out


def filings(path):
    """{(uscc, year): filing date}."""
    out = {}
    for r in read(path):
        year = int(str(r["年度"]).strip().rstrip("年度").split(".")[0])
        out[(str(r["统一社会信用代码"]).strip().upper(), year)] = as_date(r["报送日期"])
    return out


def window_end(year):
    return dt.date(year + 1, 6, 30)


def is_due(b, year, as_of):
    cutoff = min(as_of, window_end(year))
    return b["established"] <= dt.date(year, 12, 31) and not (b["ended"] and b["ended"] <= cutoff)


def has_filed(b, year, as_of, filed):
    day = filed.get((b["uscc"], year))
    return day is not None and day <= as_of


def rate(n, d):
    if not d:
        return None
    return (Decimal(n) * 100 / Decimal(d)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def annual_report_rate(rows, filed, year, as_of):
    """{"due": {type: n, "全部": n}, "filed": {…}, "rate": {…}}."""
    due = dict.fromkeys((*TYPES, "全部"), 0)
    done = dict.fromkeys((*TYPES, "全部"), 0)
    for b in rows:
        if is_due(b, year, as_of):
            due[b["type"]] += 1
            due["全部"] += 1
            if has_filed(b, year, as_of, filed):
                done[b["type"]] += 1
                done["全部"] += 1
    return {"due": due, "filed": done, "rate": {k: rate(done[k], due[k]) for k in due}}


def proposals(rows, filed, year, on):
    """{(uscc, 列入|标记)} proposed on `on` for not filing `year`."""
    out = set()
    for b in rows:
        alive = b["ended"] is None or b["ended"] > on
        if is_due(b, year, on) and alive and not has_filed(b, year, on, filed):
            out.add((b["uscc"], "标记" if b["type"] == "个体工商户" else "列入"))
    return out
