import json
import sys

from django.core.management.base import BaseCommand, CommandError

from jianguan.core.errors import DomainError
from jianguan.spotchecks.draw import draw


class Command(BaseCommand):
    help = "按 jianguan-draw-v1 对 JSON 输入执行抽取（审计、复核用，不读写数据库）：jianguan draw --input 输入.json -o 记录.json"

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="抽取输入 JSON（pool, ratios, inspectors, team_size, max_objects_per_inspector, commitment, secret, witness）")
        parser.add_argument("-o", "--output", help="抽取记录输出文件；缺省打印到屏幕")

    def handle(self, *args, **opts):
        try:
            with open(opts["input"], encoding="utf-8") as fh:
                inp = json.load(fh)
        except OSError as exc:
            raise CommandError(f"无法读取输入文件 {opts['input']}：{exc.strerror}") from exc
        except json.JSONDecodeError as exc:
            raise CommandError(f"输入文件不是合法的 JSON（第{exc.lineno}行第{exc.colno}列）：{exc.msg}") from exc
        if not isinstance(inp, dict):
            raise CommandError("输入文件须为一个 JSON 对象")
        try:
            record = draw(inp)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
        if opts["output"]:
            with open(opts["output"], "w", encoding="utf-8") as fh:
                fh.write(text)
            sys.stderr.write(f"已抽取 {len(record['selected'])} 个对象，记录写入 {opts['output']}\n")
        else:
            self.stdout.write(text, ending="")
