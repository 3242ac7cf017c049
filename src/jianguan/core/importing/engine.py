"""The batched import: read, validate in batches of ~2000 rows, upsert by natural key, all or nothing.

Per batch there is one query for the existing rows (`key__in`), no per-row query and no per-row
full_clean(): cells go through cheap per-column parsers and the ledger's clean_row(). Batches are
written as soon as they validate; the first bad row stops the writing, validation goes on to
collect every error, and the one transaction is rolled back at the end, so a file with any bad
row writes nothing. An accepted, non-dry-run import records an ImportBatch and one audit entry
for it in the same transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction

from .columns import CellError
from .ledger import Context, Ledger
from .readers import FileRejected, open_table

Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class RowError:
    row: int  # as Excel shows it: the header is row 1
    column: str  # the Chinese header, "" for the row as a whole
    reason: str

    def __str__(self):
        where = f"第 {self.row} 行" + (f"【{self.column}】" if self.column else "")
        return f"{where}：{self.reason}"


@dataclass
class ImportResult:
    ledger: str
    file_name: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_error: str | None = None
    batch: object = None  # the ImportBatch of an accepted, written import

    @property
    def accepted(self) -> bool:
        return self.file_error is None and not self.errors

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _map_headers(ledger: Ledger, headers: list[str]) -> dict[str, int]:
    expected = "、".join(ledger.headers)
    index: dict[str, int] = {}
    for i, header in enumerate(headers):
        if not header:
            continue
        if header in index and header in ledger.headers:
            raise FileRejected(
                f"表头“{header}”出现了两次（第 {index[header] + 1} 列和第 {i + 1} 列）。表头应为：{expected}"
            )
        index.setdefault(header, i)
    missing = [c.header for c in ledger.columns if c.required and c.header not in index]
    if missing:
        raise FileRejected(
            f"缺少必填列：{'、'.join(missing)}。第 1 行应为表头，依次为：{expected}",
            "import_missing_columns",
            {"missing": missing, "expected": ledger.headers},
        )
    return {c.header: index[c.header] for c in ledger.columns if c.header in index}


class _Run:
    """The state of one import run."""

    def __init__(self, ledger: Ledger, ctx: Context, positions: dict[str, int], result: ImportResult):
        self.ledger, self.ctx, self.result = ledger, ctx, result
        self.present = [(c, positions[c.header]) for c in ledger.columns if c.header in positions]
        self.seen_keys: dict = {}  # natural key -> first row number
        self.created_keys: list = []
        self.updated_changes: list[dict] = []

    def parse_row(self, number: int, cells: list) -> dict | None:
        values, errors = {}, self.result.errors
        ok = True
        width = len(cells)
        for column, pos in self.present:
            raw = cells[pos] if pos < width else None
            try:
                value = column.parse(raw, self.ctx)
            except CellError as exc:
                errors.append(RowError(number, column.header, str(exc)))
                ok = False
                continue
            if value is None or value == "":
                if column.required:
                    errors.append(RowError(number, column.header, f"{column.header}不能为空"))
                    ok = False
                    continue
                if column.default is not None:
                    value = column.default
            elif column.max_length and isinstance(value, str) and len(value) > column.max_length:
                errors.append(
                    RowError(
                        number,
                        column.header,
                        f"{column.header}过长：最多 {column.max_length} 个字，实为 {len(value)} 个字",
                    )
                )
                ok = False
                continue
            values[column.attr] = value
        if not ok:
            return None
        key = values[self.ledger.key]
        first = self.seen_keys.get(key)
        if first is not None:
            header = self.ledger.key_column.header
            errors.append(
                RowError(number, header, f"{header} {key} 与第 {first} 行重复（同一文件中不能出现两次）")
            )
            return None
        self.seen_keys[key] = number
        return values

    def process(self, batch: list[tuple[int, list]], write: bool) -> None:
        ledger, ctx, result = self.ledger, self.ctx, self.result
        parsed = [(n, v) for n, cells in batch if (v := self.parse_row(n, cells)) is not None]
        keys = [v[ledger.key] for _, v in parsed]
        existing = ledger.model.objects.in_bulk(keys, field_name=ledger.key) if keys else {}
        creates, updates = [], []
        for number, values in parsed:
            current = existing.get(values[ledger.key])
            problems = ledger.clean_row(values, current, ctx)
            if problems:
                result.errors.extend(RowError(number, header, reason) for header, reason in problems)
                continue
            if current is None:
                creates.append(values)
                self.created_keys.append(values[ledger.key])
                continue
            changed = [attr for attr, value in values.items() if getattr(current, attr) != value]
            if not changed:
                result.unchanged += 1
                continue
            self.updated_changes.append(
                {
                    "key": values[ledger.key],
                    "before": {a: ledger.display(a, getattr(current, a), ctx) for a in changed},
                    "after": {a: ledger.display(a, values[a], ctx) for a in changed},
                }
            )
            for attr in changed:
                setattr(current, attr, values[attr])
            updates.append((current, changed))
        result.created += len(creates)
        result.updated += len(updates)
        if write and not result.errors:
            ledger.write(creates, updates, ctx)


def _is_blank(cells: list) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def run_import(
    ledger: Ledger,
    path: str | Path,
    *,
    actor=None,
    dry_run: bool = False,
    file_name: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate and (unless dry_run or any row is bad) write the file. PermissionDenied propagates;
    every problem of the file itself comes back as result.file_error."""
    path = Path(path)
    result = ImportResult(ledger=ledger.name, file_name=file_name or path.name, dry_run=dry_run)
    ledger.check_import(actor)
    ctx = Context(actor=actor, dry_run=dry_run)
    try:
        with open_table(path) as table, transaction.atomic():
            positions = _map_headers(ledger, table.headers)
            ledger.prepare(ctx)
            run = _Run(ledger, ctx, positions, result)
            batch: list = []
            for number, cells in table.rows:
                if _is_blank(cells):
                    continue
                result.rows += 1
                batch.append((number, cells))
                if len(batch) >= ledger.batch_size:
                    run.process(batch, write=not dry_run)
                    batch = []
                    if progress:
                        progress(result.rows, table.total)
            if batch:
                run.process(batch, write=not dry_run)
            if progress:
                progress(result.rows, result.rows)
            if result.rows == 0:
                raise FileRejected("文件中没有数据行（只有表头）", "import_file_empty")
            if dry_run or result.errors:
                result.errors.sort(key=lambda e: e.row)
                transaction.set_rollback(True)
                return result
            result.batch = _record_batch(ledger, path, result, run, actor)
    except FileRejected as exc:
        result.file_error = exc.message
    except IntegrityError as exc:  # a rule the ledger does not check yet; still nothing written
        result.file_error = f"数据库拒绝写入（{exc}），整个文件未写入"
    return result


def _record_batch(ledger: Ledger, path: Path, result: ImportResult, run: _Run, actor):
    from auditlog.models import LogEntry

    from jianguan.core.models import ImportBatch
    from jianguan.core.services import acting

    batch = ImportBatch.objects.create(
        ledger=ledger.name,
        file_name=result.file_name[:255],
        file_sha256=file_sha256(path),
        actor=actor if getattr(actor, "pk", None) else None,
        created_count=result.created,
        updated_count=result.updated,
        unchanged_count=result.unchanged,
        changes={"created": [str(k) for k in run.created_keys], "updated": run.updated_changes},
    )
    summary = {
        "ledger": [None, ledger.name],
        "file_name": [None, batch.file_name],
        "file_sha256": [None, batch.file_sha256],
        "created_count": [None, str(result.created)],
        "updated_count": [None, str(result.updated)],
        "unchanged_count": [None, str(result.unchanged)],
    }
    with acting(batch.actor):
        LogEntry.objects.log_create(batch, action=LogEntry.Action.CREATE, changes=summary, force_log=True)
    return batch
