"""`jianguan food …`: food risk grading and the yearly inspection plan."""

from django.core.management.base import BaseCommand, CommandError

from jianguan.core.errors import DomainError

from ...commands import subcommands


class Command(BaseCommand):
    help = "食品安全：jianguan food grade --year 2026（风险分级）、jianguan food plan --year 2026（年度检查计划）"

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
