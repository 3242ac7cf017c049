"""The subcommands of `jianguan credit`, one module per part. Each module defines SUBCOMMANDS: a list of
(name, help, add_arguments(parser), handle(command, options)) — `handle` raises CommandError with a
Chinese message and writes with command.stdout."""

import importlib

PARTS = ("propose", "lists", "score")


def subcommands() -> list:
    found = []
    for part in PARTS:
        found.extend(importlib.import_module(f"{__name__}.{part}").SUBCOMMANDS)
    return found
