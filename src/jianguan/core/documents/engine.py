"""One engine for every numbered document (责令整改通知书, 安全监察指令书, and later 立案审批表, 处罚决定书,
列入经营异常名录决定书 …).

The app that owns a kind registers a template: its title and a `build(builder, context)` function that
lays the document out from a context dict (plain JSON values: text, ISO dates, lists), never from
model instances, so that what a document says is exactly what is stored with it. The issuing service
calls `issue()` inside its own transaction: the Word file is rendered, saved through Django's storage
and recorded (IssuedDocument) with its SHA-256, the context, and a reference to the issuing record.
Downloads serve that file, checked against its hash, so a document reads the same years later.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile

from ..errors import DomainError
from .builder import Builder
from .models import IssuedDocument

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class DocumentTemplate:
    kind: str  # also the numbering kind (DocumentNumberFormat.kind)
    title: str  # 文种, e.g. 责令整改通知书
    build: Callable[[Builder, dict], None]


class UnknownKind(DomainError):
    def __init__(self, kind: str):
        super().__init__("document_kind_unknown", f"文书种类“{kind}”没有登记模板", {"kind": kind})


_templates: dict[str, DocumentTemplate] = {}


def register(template: DocumentTemplate) -> DocumentTemplate:
    """Called once per kind by the owning app (at import of its documents module)."""
    _templates[template.kind] = template
    return template


def registered() -> dict[str, DocumentTemplate]:
    return dict(_templates)


def template_for(kind: str) -> DocumentTemplate:
    try:
        return _templates[kind]
    except KeyError:
        raise UnknownKind(kind) from None


def render(kind: str, context: dict) -> bytes:
    """The Word file of a document of `kind` rendered from `context`."""
    template = template_for(kind)
    builder = Builder()
    template.build(builder, context)
    return builder.to_bytes(title=template.title, subject=context.get("number", ""), keywords=kind)


def owner_ref(record) -> str:
    return f"{record._meta.app_label}.{record._meta.model_name}:{record.pk}"


def issue(*, kind: str, context: dict, owner, actor=None) -> IssuedDocument:
    """Render and keep a document for `owner` (the issuing record, already saved). Call inside the
    transaction that issues it; the caller links the returned row to its record."""
    template = template_for(kind)
    content = render(kind, context)
    digest = hashlib.sha256(content).hexdigest()
    issued = IssuedDocument(
        kind=kind, number=context.get("number", ""), title=template.title, owner_ref=owner_ref(owner),
        sha256=digest, size=len(content), context=context,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    issued.file.save(f"{owner._meta.model_name}-{owner.pk}-{digest[:12]}.docx", ContentFile(content), save=False)
    issued.save()
    return issued


def stored_bytes(issued: IssuedDocument) -> bytes:
    """The kept file, refused if it no longer matches the hash recorded when it was issued."""
    try:
        with issued.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise DomainError("document_file_missing", f"文书 {issued} 的文件已丢失，请联系管理员从备份恢复", {"id": issued.pk}) from None
    if hashlib.sha256(content).hexdigest() != issued.sha256:
        raise DomainError("document_file_altered", f"文书 {issued} 的文件与签发时的摘要不符，可能已被改动", {"id": issued.pk})
    return content


def download_name(issued: IssuedDocument) -> str:
    return f"{issued.title}{issued.number}.docx"
