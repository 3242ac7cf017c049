"""Gap-free document numbers per kind and year.

`next_document_number(kind, year)` must be called inside the transaction that saves the document
carrying the number: the counter row stays locked (SELECT … FOR UPDATE on PostgreSQL; SQLite
serialises writers) until that transaction ends, so a number is only consumed when the document is
committed, and a rollback gives it back. Parallel callers wait for each other on that one row;
keep the rest of the transaction short.
"""

import string

from django.db import IntegrityError, transaction

from .errors import DomainError
from .models import DocumentNumberFormat, DocumentSequence

PLACEHOLDERS = {"year", "n"}


def format_document_number(pattern: str, *, year: int, n: int) -> str:
    """Render a pattern such as `X市监特指〔{year}〕{n}号` (also `{n:03d}`)."""
    try:
        names = {field for _, field, _, _ in string.Formatter().parse(pattern) if field is not None}
        if not names <= PLACEHOLDERS or "n" not in names:
            raise ValueError(names)
        return pattern.format(year=year, n=n)
    except (ValueError, KeyError, IndexError):
        raise DomainError(
            "document_number_format_invalid",
            f"文号格式“{pattern}”不正确：须包含 {{n}}（序号），只能使用 {{year}} 与 {{n}}",
            {"pattern": pattern},
        ) from None


def _locked_sequence(kind: str, year: int) -> DocumentSequence:
    seq = DocumentSequence.objects.select_for_update().filter(kind=kind, year=year).first()
    if seq is not None:
        return seq
    try:
        with transaction.atomic():
            DocumentSequence.objects.create(kind=kind, year=year, last=0)
    except IntegrityError:
        pass  # a parallel caller created it first: wait for and lock theirs
    return DocumentSequence.objects.select_for_update().get(kind=kind, year=year)


def next_document_number(kind: str, year: int) -> str:
    """The next number of `kind` in `year`, e.g. `X市监特指〔2026〕12号`; gap-free and unique."""
    if not transaction.get_connection().in_atomic_block:
        raise DomainError(
            "document_number_outside_transaction",
            "取文号必须在保存文书的同一事务中进行，否则文书保存失败时会留下空号",
            {"kind": kind},
        )
    if not 1900 <= int(year) <= 9999:
        raise DomainError("invalid_year", f"年度“{year}”不正确", {"year": year})
    pattern = DocumentNumberFormat.objects.filter(kind=kind).values_list("pattern", flat=True).first()
    if pattern is None:
        raise DomainError(
            "document_number_format_missing",
            f"文书种类“{kind}”尚未配置文号格式，请管理员在“文号格式”中添加",
            {"kind": kind},
        )
    format_document_number(pattern, year=year, n=1)  # reject a bad pattern before taking a number
    with transaction.atomic():
        seq = _locked_sequence(kind, int(year))
        seq.last += 1
        seq.save(update_fields=["last"])
    return format_document_number(pattern, year=year, n=seq.last)
