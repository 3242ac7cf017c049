import json

from django.core.management.base import BaseCommand, CommandError

from jianguan.spotchecks.draw import verify
from jianguan.spotchecks.labels import check_meanings


class Command(BaseCommand):
    help = (
        "复核 jianguan-draw-v1 抽取记录：重算全部结果并核对承诺值，一致时输出 OK，否则指出第一个不一致的字段。"
        "公开记录（分层、人员为代号）与内部完整记录（另含代号对照 labels）均可复核"
    )

    def add_arguments(self, parser):
        parser.add_argument("record", help="抽取记录 JSON 文件")

    def handle(self, *args, **opts):
        try:
            with open(opts["record"], encoding="utf-8") as fh:
                record = json.load(fh)
        except OSError as exc:
            raise CommandError(f"无法读取抽取记录 {opts['record']}：{exc.strerror}") from exc
        except json.JSONDecodeError as exc:
            raise CommandError(f"抽取记录不是合法的 JSON（第{exc.lineno}行第{exc.colno}列）：{exc.msg}") from exc
        field = verify(record) if isinstance(record, dict) else "record"
        # A full record also carries what each label stands for: one meaning per label, none shared.
        field = field or check_meanings(record)
        if field is not None:
            raise CommandError(f"复核不通过：字段“{field}”与重算结果不一致")
        self.stdout.write("OK")
