"""What the data migrations seed (rules, numbering formats, checklists, the equipment catalogue, the
audit chain head), put back for browser tests: a transactional test flushes every table after it ran,
and the next test's server would meet an empty rules table (a login then fails on the lockout rules)."""

import importlib


def reseed() -> None:
    """A transactional test before this one flushed what the data migrations seed (rules, numbering
    formats, checklists, the equipment catalogue, the audit chain head): run every jianguan data
    migration's seed() again, each in a savepoint, skipping those whose rows are still there."""
    from django.apps import apps
    from django.db import IntegrityError, connection, transaction
    from django.db.migrations.loader import MigrationLoader

    importlib.import_module("jianguan.core.migrations.0004_audit_chain_head").create_head(apps, None)
    for (app, _), migration in sorted(MigrationLoader(connection).disk_migrations.items()):
        seed = getattr(importlib.import_module(migration.__module__), "seed", None)
        if seed is None or not apps.get_app_config(app).name.startswith("jianguan."):
            continue
        try:
            with transaction.atomic():
                seed(apps, None)
        except IntegrityError:
            pass  # still seeded
