"""`jianguan credit …`: the credit-supervision jobs (proposals, list expiry, risk scoring)."""

from django.core.management.base import BaseCommand, CommandError

from jianguan.core.errors import DomainError

from ...commands import subcommands


class Command(BaseCommand):
    help = "信用监管：jianguan credit propose --year 2025（提出列入经营异常名录）、jianguan credit score（信用风险分类）等"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="子命令", required=True)
        self._handlers = {}
        for name, help_text, add_arguments, handle in subcommands():
            add_arguments(sub.add_parser(name, help=help_text))
            self._handlers[name] = handle

    def handle(self, *args, action, **options):
        try:
            self._handlers[action](self, options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
