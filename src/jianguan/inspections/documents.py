"""The two documents a finding is issued with, as templates of core's document engine:
责令整改通知书 (any finding) and 特种设备安全监察指令书 (findings on special equipment). Each is the
notice itself followed by its 送达回证 on a page of its own."""

from jianguan.core import documents
from jianguan.core.documents import Builder, cn_date
from jianguan.org.choices import OrgKind
from jianguan.org.models import OrgUnit

from .choices import DocumentKind
from .models import Document

# 特种设备安全法 第六十一条: the written 安全监察指令 is the statute's own instrument.
SUPERVISION_BASIS = "《中华人民共和国特种设备安全法》第六十一条"
REMEDY = (
    "如不服本{kind}，可以在收到之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。"
    "复议和诉讼期间，本{kind}不停止执行。"
)
SERVICE_METHODS = "直接送达□　留置送达□　邮寄送达□　电子送达□"


def _issuer(document: Document) -> str:
    """The bureau the issuing station belongs to (the seal on the document is the bureau's)."""
    unit = document.subdistrict.station
    while unit is not None and unit.kind != OrgKind.BUREAU:
        unit = unit.parent
    if unit is None:
        unit = OrgUnit.objects.filter(kind=OrgKind.BUREAU).order_by("pk").first()
    return unit.name if unit else "市场监督管理局"


def _equipment(finding) -> str:
    device = finding.equipment
    if device is None:
        return ""
    kind = device.type.name if device.type_id else ""
    return f"{kind}，设备注册代码 {device.reg_code}" if kind else f"设备注册代码 {device.reg_code}"


def document_context(document: Document) -> dict:
    """What the document says, as plain values: stored with the file, so it can be read back and compared."""
    business = document.business
    inspection = document.inspection
    inspectors = list(
        inspection.inspectors.through.objects.filter(inspection=inspection).order_by("pk").select_related("user")
    )
    findings = document.findings.select_related("equipment__type").order_by("pk")
    return {
        "kind": document.kind,
        "title": DocumentKind(document.kind).label,
        "number": document.number,
        "issuer": _issuer(document),
        "issued_on": document.issued_on.isoformat(),
        "deadline": document.deadline.isoformat(),
        "party": {
            "name": business.name, "uscc": business.uscc, "address": business.address, "legal_rep": business.legal_rep,
        },
        "inspection": {"number": inspection.number, "date": inspection.date.isoformat()},
        "findings": [
            {"description": f.description, "legal_basis": f.legal_basis, "equipment": _equipment(f)} for f in findings
        ],
        "inspectors": [{"name": str(link.user), "cert_no": link.user.cert_no or ""} for link in inspectors],
    }


def _party(b: Builder, context: dict) -> None:
    party = context["party"]
    b.addressee(f"{party['name']}：")
    b.line(f"统一社会信用代码：{party['uscc'] or '—'}")
    b.line(f"住所（经营场所）：{party['address'] or '—'}")
    if party.get("legal_rep"):
        b.line(f"法定代表人（负责人）：{party['legal_rep']}")


def _findings(b: Builder, context: dict) -> None:
    for n, finding in enumerate(context["findings"], 1):
        where = f"（{finding['equipment']}）" if finding.get("equipment") else ""
        text = f"{n}. {finding['description'].rstrip('。')}{where}。"
        if finding.get("legal_basis"):
            text += f"违反了{finding['legal_basis']}的规定。"
        b.paragraph(text)


def _signatures(b: Builder, context: dict) -> None:
    b.blank()
    people = context["inspectors"]
    b.line("执法人员：" + "、".join(p["name"] for p in people))
    b.line("执法证号：" + "、".join(p["cert_no"] or "—" for p in people))
    b.line("当事人签收：　　　　　　　　　　　　　年　　月　　日")
    b.blank()
    b.line(f"{context['issuer']}（印章）", right=True)
    b.line(cn_date(context["issued_on"]), right=True)
    b.note(f"本{context['title']}一式两份，一份送达当事人，一份附卷存档。检查编号：{context['inspection']['number']}。")


def _service_receipt(b: Builder, context: dict) -> None:
    """送达回证 (行政执法文书送达): on its own page, filled in by the server and the recipient."""
    b.page_break()
    b.title(context["issuer"])
    b.title("送达回证")
    b.blank()
    b.form_table([
        ("送达文书名称及文号", f"{context['title']}（{context['number']}）"),
        ("受送达人", context["party"]["name"]),
        ("送达地点", context["party"]["address"] or ""),
        ("送达方式", SERVICE_METHODS),
        ("送达人（签名）", ""),
        ("受送达人（签名或盖章）", ""),
        ("送达时间", "　　　　年　　月　　日　　时　　分"),
        ("见证人（签名）", ""),
        ("备注", "受送达人拒绝签收的，由送达人注明情况并由见证人签名。"),
    ])
    b.blank()
    b.line(f"{context['issuer']}（印章）", right=True)


def _order(b: Builder, context: dict, *, subject: str, order: str, kind: str) -> None:
    """The layout both documents share; they differ in what was found wanting and what is ordered."""
    b.title(context["issuer"])
    b.title(context["title"])
    b.number(context["number"])
    _party(b, context)
    b.paragraph(f"经检查（{cn_date(context['inspection']['date'])}），你单位{subject}存在下列问题：")
    _findings(b, context)
    b.paragraph(order)
    b.paragraph(REMEDY.format(kind=kind))
    _signatures(b, context)
    _service_receipt(b, context)


def build_rectification_notice(b: Builder, context: dict) -> None:
    _order(b, context, subject="", kind="通知书", order=(
        f"现责令你单位于{cn_date(context['deadline'])}前改正上述问题，并将整改情况书面报告本局。"
        "逾期未改正的，本局将依法处理。"
    ))


def build_supervision_order(b: Builder, context: dict) -> None:
    _order(b, context, subject="使用的特种设备", kind="指令书", order=(
        f"根据{SUPERVISION_BASIS}的规定，现责令你单位于{cn_date(context['deadline'])}前采取措施予以改正或者消除事故隐患，"
        "并将整改情况书面报告本局。整改完成前，存在严重事故隐患的设备不得继续使用。"
    ))


documents.register(documents.DocumentTemplate(
    DocumentKind.RECTIFICATION_NOTICE.value, DocumentKind.RECTIFICATION_NOTICE.label, build_rectification_notice,
))
documents.register(documents.DocumentTemplate(
    DocumentKind.SUPERVISION_ORDER.value, DocumentKind.SUPERVISION_ORDER.label, build_supervision_order,
))
