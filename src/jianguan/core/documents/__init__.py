"""The document engine: numbered documents in the GB/T 9704 layout, one template per kind registered by the
app that owns it, kept with the record that issued them (see engine.py)."""

from .builder import Builder, cn_date
from .engine import (
    DOCX_TYPE,
    DocumentTemplate,
    UnknownKind,
    download_name,
    issue,
    owner_ref,
    register,
    registered,
    render,
    stored_bytes,
    template_for,
)

__all__ = [
    "DOCX_TYPE", "Builder", "DocumentTemplate", "UnknownKind", "cn_date", "download_name", "issue", "owner_ref",
    "register", "registered", "render", "stored_bytes", "template_for",
]
