"""The subcommands of `jianguan food`, one module per part. Each module defines SUBCOMMANDS: a list of
(name, help, add_arguments(parser), handle(command, options)) — `handle` raises CommandError with a
Chinese message and writes with command.stdout."""

import importlib

PARTS = ("grade", "plan")


def subcommands() -> list:
    found = []
    for part in PARTS:
        found.extend(importlib.import_module(f"{__name__}.{part}").SUBCOMMANDS)
    return found


def parse_date(value: str | None, label: str):
    import datetime as dt

    from django.core.management.base import CommandError

    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{label}“{value}”无法识别，请写成 2026-01-01") from None
