"""`jianguan classify-eval [--split dev|holdout|all] [--json] [--file PATH] [--errors]`.

Measures the keyword classifier (jianguan.complaints.classify) on labelled texts: a JSON-lines file of
{"text", "category", "split"}. The default file is the test fixture in the source tree.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jianguan.complaints.choices import Category
from jianguan.complaints.classify import evaluate

# src/jianguan/complaints/management/commands/ → the repository root is five levels up.
DEFAULT_FILE = Path(__file__).resolve().parents[5] / "tests" / "complaints" / "fixtures" / "labelled_texts.jsonl"
SPLITS = ("dev", "holdout", "all")


def read_labelled(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                Category(row["category"])
                if not isinstance(row["text"], str) or not isinstance(row["split"], str):
                    raise TypeError("text 与 split 须为字符串")
            except (ValueError, KeyError, TypeError) as e:
                raise CommandError(f"{path} 第 {n} 行格式不对（需要 text、category、split）：{e!r}") from None
            rows.append(row)
    return rows


def _pct(x) -> str:
    return "—" if x is None else f"{x:.1%}"


class Command(BaseCommand):
    help = "投诉举报自动分类：用带标注的样本测量关键词规则的准确率（总体、分类别、误分对）。"

    def add_arguments(self, parser):
        parser.add_argument("--split", choices=SPLITS, default="all", help="dev（调规则用）、holdout（只测不调）或 all；默认 all")
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help=f"标注样本（JSON Lines）；默认 {DEFAULT_FILE}")
        parser.add_argument("--json", dest="as_json", action="store_true", help="输出 JSON")
        parser.add_argument("--errors", action="store_true", help="同时列出分错的每条文本")

    def handle(self, *args, split, file, as_json, errors, **options):
        if not file.is_file():
            raise CommandError(f"找不到标注样本文件 {file}，请用 --file 指定")
        rows = [r for r in read_labelled(file) if split == "all" or r["split"] == split]
        if not rows:
            raise CommandError(f"{file} 中没有 split={split} 的样本")
        result = evaluate(rows)
        result["split"] = split
        result["file"] = str(file)
        if not errors:
            result.pop("errors")
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        label = {c.value: c.label for c in Category}
        self.stdout.write(f"样本：{file}（{split}，{result['total']} 条）")
        self.stdout.write(f"总体准确率：{_pct(result['accuracy'])}（{result['correct']}/{result['total']}）")
        self.stdout.write("分类别：")
        for value, stats in result["per_category"].items():
            if stats["total"]:
                self.stdout.write(f"  {label[value]}\t{_pct(stats['accuracy'])}\t{stats['correct']}/{stats['total']}")
        self.stdout.write("误分（应为 → 判为：条数）：")
        for pair in result["confusions"]:
            self.stdout.write(f"  {label[pair['expected']]} → {label[pair['predicted']]}：{pair['count']}")
        if not result["confusions"]:
            self.stdout.write("  （无）")
        for err in result.get("errors", ()):
            scores = "，".join(f"{label[c]}{s}" for c, s in sorted(err["scores"].items(), key=lambda kv: -kv[1]))
            self.stdout.write(
                f"- 应为{label[err['expected']]} 判为{label[err['predicted']]}（{scores or '无命中'}）：{err['text']}"
            )
