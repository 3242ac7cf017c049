"""Benchmark: importing N businesses from CSV through the ledger engine, against a bare bulk_create.

Makes a fresh SQLite database in a temporary directory, a bureau with 6 stations over 15
subdistricts, and N businesses (default 200,000: valid USCCs, realistic Chinese names, about 30 %
企业, 68 % 个体工商户, 2 % 合作社) written as a UTF-8 CSV with the ledger's headers. Then it times
(a) `run_import` of that CSV (read, parse, validate, upsert, audit batch) and (b) a bare
`Business.objects.bulk_create` of the same rows, already parsed, into the emptied table.
Prints JSON; the target is ratio = import_seconds / bulk_create_seconds <= 3.

    python bench/import_businesses.py [--rows N] [--seed S]
"""

import argparse
import csv
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红建国志"
BRANDS = [
    "恒泰",
    "鑫源",
    "华联",
    "众诚",
    "泉润",
    "鲁信",
    "宏达",
    "金盛",
    "同福",
    "佳和",
    "瑞丰",
    "德顺",
    "福瑞",
    "安康",
    "永兴",
    "万家",
    "明珠",
    "新华",
    "东方",
    "中信",
    "兴隆",
    "百合",
    "海川",
    "天成",
]
TRADES = [
    ("商贸", "F5211"),
    ("超市", "F5212"),
    ("餐饮管理", "H6210"),
    ("建材", "F5165"),
    ("电子科技", "I6510"),
    ("食品", "C1499"),
    ("医药", "F5251"),
    ("物流", "G5430"),
    ("文化传媒", "R8625"),
    ("机械设备", "C3499"),
]
SHOPS = [
    ("烟酒店", "F5226"),
    ("便利店", "F5212"),
    ("小吃部", "H6299"),
    ("理发店", "O8010"),
    ("水果店", "F5223"),
    ("五金店", "F5241"),
    ("干洗店", "O8020"),
    ("面馆", "H6220"),
    ("超市", "F5212"),
    ("手机维修部", "O8122"),
]
STATIONS = ["东关", "解放路", "泉城路", "千佛山", "文东", "龙洞"]
STREETS = [
    "东关",
    "大明湖",
    "解放路",
    "甸柳",
    "泉城路",
    "趵突泉",
    "千佛山",
    "燕山",
    "文东",
    "建新",
    "龙洞",
    "智远",
    "姚家",
    "舜华路",
    "旅游路",
]


def make_rows(n: int, subdistricts: list[str], seed: int):
    from jianguan.businesses.rules import with_check_digit

    rng = random.Random(seed)
    start = dt.date(1995, 1, 1).toordinal()
    span = dt.date(2026, 4, 30).toordinal() - start
    for i in range(n):
        draw = rng.random()
        surname = rng.choice(SURNAMES)
        person = surname + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
        street = rng.choice(subdistricts)
        if draw < 0.30:
            trade, code = rng.choice(TRADES)
            name = f"济南{rng.choice(BRANDS)}{trade}有限公司{'' if i % 7 else '历下分公司'}"
            kind, first2 = "企业", "91"
        elif draw < 0.98:
            shop, code = rng.choice(SHOPS)
            name = f"历下区{surname}记{shop}"
            kind, first2 = "个体工商户", "92"
        else:
            name = f"济南市历下区{rng.choice(BRANDS)}种植农民专业合作社"
            kind, first2, code = "农民专业合作社", "93", "A0141"
        name = f"{name}（{i}）" if rng.random() < 0.5 else name
        established = dt.date.fromordinal(start + rng.randrange(span))
        status, status_date = "存续", ""
        if rng.random() < 0.08:
            status = rng.choice(["注销", "吊销", "迁出"])
            status_date = (established + dt.timedelta(days=rng.randrange(30, 3000))).isoformat()
        uscc = with_check_digit(f"{first2}370102{i:09d}")
        address = f"济南市历下区{street}{rng.randrange(1, 300)}号"
        yield [
            uscc,
            name,
            kind,
            person,
            address,
            street,
            code,
            established.strftime("%Y-%m-%d"),
            status,
            status_date,
            # 信用风险分类 for a third of the rows, without a date (no rng draw: the other cells stay as they were).
            "ABCD"[i % 4] if i % 3 == 0 else "",
            "",
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="jianguan-bench-import-"))
    os.environ["JIANGUAN_VAR_DIR"] = str(tmp)
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "jianguan.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from jianguan.businesses.models import Business
    from jianguan.businesses.resources import BUSINESS_LEDGER, HEADERS
    from jianguan.core.importing import Context, run_import
    from jianguan.org.choices import OrgKind
    from jianguan.org.models import OrgUnit, Subdistrict

    call_command("migrate", verbosity=0)

    def checkpoint():
        # Start each timed phase with an empty write-ahead log, so neither pays for the other's writes.
        with connection.cursor() as cur:
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    bureau = OrgUnit.objects.create(kind=OrgKind.BUREAU, code="B", name="历下区市场监督管理局")
    stations = [
        OrgUnit.objects.create(
            kind=OrgKind.STATION, code=f"S{i + 1}", name=f"{name}市场监管所", parent=bureau
        )
        for i, name in enumerate(STATIONS)
    ]
    names = [f"{street}街道" for street in STREETS]
    for i, name in enumerate(names):
        Subdistrict.objects.create(
            code=f"370102{i + 1:03d}", name=name, station=stations[i * len(stations) // len(names)]
        )

    path = tmp / "businesses.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        writer.writerows(make_rows(args.rows, names, args.seed))

    checkpoint()
    started = time.perf_counter()
    result = run_import(BUSINESS_LEDGER, path)
    import_seconds = time.perf_counter() - started
    if not result.accepted or result.created != args.rows:
        raise SystemExit(f"import failed: {result.file_error or result.errors[:5]}")

    # The same rows, already parsed (outside the timing), for the bare bulk_create.
    ctx = Context()
    BUSINESS_LEDGER.prepare(ctx)
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        parsed = [
            {c.attr: c.parse(v, ctx) for c, v in zip(BUSINESS_LEDGER.columns, row, strict=True)}
            for row in reader
        ]
    Business.objects.all()._raw_delete(Business.objects.db)
    checkpoint()

    started = time.perf_counter()
    with transaction.atomic():
        Business.objects.bulk_create([Business(**values) for values in parsed])
    bulk_create_seconds = time.perf_counter() - started
    assert Business.objects.count() == args.rows

    print(
        json.dumps(
            {
                "rows": args.rows,
                "import_seconds": round(import_seconds, 3),
                "rows_per_second": round(args.rows / import_seconds),
                "bulk_create_seconds": round(bulk_create_seconds, 3),
                "ratio": round(import_seconds / bulk_create_seconds, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
