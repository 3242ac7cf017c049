"""Report outputs. Each renderer turns a Report into the bytes of one file format."""

import importlib

from jianguan.core.errors import DomainError

FORMATS = {
    "json": ("application/json", "json"),
    "md": ("text/markdown; charset=utf-8", "md"),
    "html": ("text/html; charset=utf-8", "html"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def render(report, fmt: str, **options) -> bytes:
    if fmt not in FORMATS:
        raise DomainError("unknown_format", f"不支持的格式“{fmt}”；可选：{'、'.join(FORMATS)}")
    module = importlib.import_module(f"{__name__}.{'docx_out' if fmt == 'docx' else fmt + '_out'}")
    return module.render(report, **options)


def content_type(fmt: str) -> str:
    return FORMATS[fmt][0]
