"""What the benchmarks share: writing a million generated rows fast (`from rows import insert_rows`; each
benchmark runs as a script, so this folder is on its path)."""

import datetime as dt
import itertools

STAMP = dt.datetime(2026, 7, 15, 8, 0, tzinfo=dt.UTC)  # every auto_now / auto_now_add field of a generated row


def insert_rows(connection, model, rows, batch: int = 20_000) -> None:
    """Rows (dicts of attribute values) written with executemany, each value prepared by its field for this
    database and every other field at its default: minutes instead of the quarter of an hour bulk_create takes
    for instances."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    by_name = {f.attname: f for f in fields}
    defaults = {}
    for f in fields:
        value = STAMP if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        defaults[f.attname] = f.get_db_prep_save(value, connection)
    names = [f.attname for f in fields]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join('%s' for _ in fields)})")

    def row(given: dict) -> tuple:
        values = {**defaults, **{k: by_name[k].get_db_prep_save(v, connection) for k, v in given.items()}}
        return tuple(values[n] for n in names)

    rows = iter(rows)
    with connection.cursor() as cur:
        while chunk := [row(r) for r in itertools.islice(rows, batch)]:
            cur.executemany(sql, chunk)
