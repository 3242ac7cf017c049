from django.core.management.base import BaseCommand

from ...engine import indicator_catalogue


class Command(BaseCommand):
    help = "列出所有指标：标识、名称、单位、口径。"

    def handle(self, *args, **options):
        for row in indicator_catalogue():
            extra = f"；分项：{row['dimension']}" if row["dimension"] else ""
            extra += f"；比率：{row['rate_of']}" if row["rate_of"] else ""
            self.stdout.write(f"{row['key']}\t{row['label']}\t{row['unit']}\t按{row['parameter']}{extra}\t{row['definition']}")
