"""Downloading an issued 责令整改通知书 / 安全监察指令书: the kept Word file, for whoever may see the inspection."""

import io

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect

from jianguan.core import documents
from jianguan.core.errors import DomainError
from jianguan.core.middleware import client_ip

from .. import selectors
from ..services.findings import document_file


def document_download(request, pk: int):
    document = selectors.document_list(actor=request.user).filter(pk=pk).first()
    if document is None:
        raise Http404("文书不存在或不在您的辖区范围内")
    try:
        issued = document_file(actor=request.user, pk=document.pk, ip=client_ip(request))
        content = documents.stored_bytes(issued)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("inspections:detail", document.inspection_id)
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=documents.download_name(issued),
        content_type=documents.DOCX_TYPE,
    )
