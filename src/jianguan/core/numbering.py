"""Gap-free document numbers per kind and year.

The counter row is locked for the caller's transaction, so a number is only consumed when the
document that carries it is committed: a rollback gives the number back.
"""

from django.db import IntegrityError, transaction

from .models import DocumentNumberFormat, DocumentSequence

DEFAULT_PATTERN = "{kind}〔{year}〕{n}号"


def _locked_sequence(kind: str, year: int) -> DocumentSequence:
    try:
        return DocumentSequence.objects.select_for_update().get(kind=kind, year=year)
    except DocumentSequence.DoesNotExist:
        try:
            with transaction.atomic():
                DocumentSequence.objects.create(kind=kind, year=year, last=0)
        except IntegrityError:
            pass  # a parallel caller created it first; lock theirs
        return DocumentSequence.objects.select_for_update().get(kind=kind, year=year)


@transaction.atomic
def next_document_number(kind: str, year: int) -> str:
    seq = _locked_sequence(kind, year)
    seq.last += 1
    seq.save(update_fields=["last"])
    fmt = DocumentNumberFormat.objects.filter(kind=kind).values_list("pattern", flat=True).first()
    return (fmt or DEFAULT_PATTERN).format(kind=kind, year=year, n=seq.last)
