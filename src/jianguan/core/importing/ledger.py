"""A ledger: the model, its natural key and its columns, plus the hooks a domain fills in."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import models
from django.urls import NoReverseMatch, reverse

from .columns import Column


@dataclass
class Context:
    """What one import or export run knows: who acts, whether it writes, and reference data
    the ledger loaded once in prepare() so that parsers never query per row."""

    actor: Any = None
    dry_run: bool = False
    data: dict = field(default_factory=dict)


class Ledger:
    """Subclass per ledger; instances are module-level constants in each app's resources.py."""

    name: str = ""
    label: str = ""
    model: type[models.Model]
    key: str = ""  # attribute of the natural key; must also be a column's attr
    columns: tuple[Column, ...] = ()
    batch_size: int = 2000
    write_batch_size: int = 2000

    # ---- what the web import pages say (core/importing/web.py serves every ledger with these) ----
    import_title: str = ""  # default: 导入 + label
    import_intro: str = "上传 Excel（.xlsx）或 CSV（UTF-8 或 GBK）文件，先预览校验结果，确认后才写入。"
    home_url: str = ""  # URL name of the ledger's own list, where the done page leads
    home_label: str = ""  # that list's name (default: the label)
    export_url: str = ""  # URL name of its export page, when there is one
    # The counts a run shows, as (ImportResult attribute, Chinese label).
    count_labels: tuple[tuple[str, str], ...] = (("created", "新增"), ("updated", "更新"), ("unchanged", "未变"))
    # Options of a run, offered as check boxes: (keyword of for_run(), Chinese label).
    import_options: tuple[tuple[str, str], ...] = ()

    def __init__(self):
        fields = {f.attname: f for f in self.model._meta.concrete_fields}
        columns = []
        for column in self.columns:
            model_field = fields.get(column.attr)
            if column.max_length is None and isinstance(model_field, models.CharField):
                column = replace(column, max_length=model_field.max_length)
            columns.append(column)
        self.columns = tuple(columns)
        self.key_column = next(c for c in self.columns if c.attr == self.key)

    # ---- headers ---------------------------------------------------------------------------

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def title(self) -> str:
        return self.import_title or f"导入{self.label}"

    def column_for(self, attr: str) -> Column:
        return next(c for c in self.columns if c.attr == attr)

    # ---- hooks -----------------------------------------------------------------------------

    def for_run(self, *, ip: str | None = None, **options) -> Ledger:
        """The ledger one import run uses: a fresh instance when the ledger keeps per-run state or
        reads another file than it exports (complaints, inspections). `options` are those named
        in import_options; ip is the client's address on the web."""
        return self

    def notes(self, *, dry_run: bool = False) -> list[str]:
        """What the last run did beyond the counts (a per-run ledger fills this in)."""
        return []

    def import_instructions(self, actor) -> list[str]:
        """填写说明 for the upload page, after the header row and before the all-or-nothing rule."""
        return []

    def will_write(self, result) -> str:
        """What confirming the previewed file writes."""
        return f"确认后将新增 {result.created} 条、更新 {result.updated} 条{self.label}记录。"

    def check_import(self, actor) -> None:
        """Raise PermissionDenied when actor may not import this ledger at all."""

    def prepare(self, ctx: Context) -> None:
        """Load reference data into ctx.data (one query per table, never per row)."""

    def clean_row(self, values: dict, existing, ctx: Context) -> list[tuple[str, str]]:
        """Cross-field and scope checks of one parsed row; return (header, reason) pairs."""
        return []

    def new_instance(self, values: dict, ctx: Context) -> models.Model:
        return self.model(**values)

    def touch(self, instance, ctx: Context) -> list[str]:
        """Bookkeeping on an updated instance (version, updated_at); return the fields it set."""
        return []

    def write(self, creates: list[dict], updates: list[tuple[models.Model, list[str]]], ctx: Context) -> None:
        """Write one validated batch: bulk_create the new rows, bulk_update the changed ones."""
        if creates:
            self.model.objects.bulk_create(
                [self.new_instance(v, ctx) for v in creates], batch_size=self.write_batch_size
            )
        if updates:
            # bulk_update per set of changed fields keeps each UPDATE's CASE small.
            groups: dict[tuple[str, ...], list] = {}
            for instance, changed in updates:
                extra = self.touch(instance, ctx)
                groups.setdefault(tuple(sorted({*changed, *extra})), []).append(instance)
            for fields, instances in groups.items():
                self.model.objects.bulk_update(instances, list(fields), batch_size=500)

    # ---- export ----------------------------------------------------------------------------

    def export_queryset(self, ctx: Context) -> models.QuerySet:
        return self.model.objects.order_by(self.key)

    def export_rows(self, ctx: Context) -> Iterator[list]:
        attrs = [c.attr for c in self.columns]
        for values in self.export_queryset(ctx).values_list(*attrs).iterator(chunk_size=5000):
            yield [c.format(v, ctx) for c, v in zip(self.columns, values, strict=True)]

    def display(self, attr: str, value, ctx: Context):
        """A value as the file shows it (used in the audit's before/after)."""
        return self.column_for(attr).format(value, ctx)

    def describe(self, keys: Iterable[str]) -> str:
        return "、".join(keys)


def url_if_routed(name: str) -> str:
    """The URL name when the pages module routes it (the import pages link to the lists and their exports),
    else "": the ledgers work on the command line whether or not the pages are installed."""
    try:
        reverse(name)
    except NoReverseMatch:
        return ""
    return name
