"""Benchmark: keyword classification of complaint texts (jianguan.complaints.classify).

Classifies every labelled text of tests/complaints/fixtures/labelled_texts.jsonl and prints one JSON
object: {texts, accuracy_dev, accuracy_holdout, seconds, per_text_ms}. `seconds` is the best of R runs
over all texts, after a first call has loaded jieba and the rules (about a second, paid once per
process; not counted); per_text_ms = seconds / texts.

    python bench/classify.py [--repeat R] [--file PATH]
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "complaints" / "fixtures" / "labelled_texts.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--file", type=Path, default=FIXTURE)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
    sys.path.insert(0, str(ROOT / "src"))
    from jianguan.complaints.classify import classify, evaluate

    with open(args.file, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    texts = [r["text"] for r in rows]
    classify("预热")  # loads jieba and the rules

    best = float("inf")
    for _ in range(args.repeat):
        started = time.perf_counter()
        for text in texts:
            classify(text)
        best = min(best, time.perf_counter() - started)

    def accuracy(split: str):
        return evaluate([r for r in rows if r["split"] == split])["accuracy"]

    print(json.dumps({
        "texts": len(texts),
        "accuracy_dev": accuracy("dev"),
        "accuracy_holdout": accuracy("holdout"),
        "seconds": round(best, 4),
        "per_text_ms": round(best / len(texts) * 1000, 3),
    }))


if __name__ == "__main__":
    main()
