"""The numbered decisions of credit supervision, as templates of core's document engine: one per
DecisionKind (the kind is also the numbering kind, seeded in migration 0002).

A decision is taken on a batch: its document names the bureau, every business it decides (名称, 统一社会信用代码,
事由), the legal basis, the remedies (复议 / 诉讼) and the date. It is rendered from plain values stored
with it (IssuedDocument.context), so that it reads the same after a business renames itself.
"""

import datetime as dt

from jianguan.core import documents
from jianguan.core.documents import Builder, cn_date
from jianguan.core.documents.models import IssuedDocument
from jianguan.org.choices import OrgKind
from jianguan.org.models import OrgUnit

from .choices import DecisionKind

BASIS = {
    DecisionKind.ABNORMAL_LIST: "《企业信息公示暂行条例》第十七条、《企业经营异常名录管理暂行办法》第四条",
    DecisionKind.ABNORMAL_MARK: "《个体工商户年度报告暂行办法》第十三条",
    DecisionKind.ABNORMAL_REMOVE: "《企业经营异常名录管理暂行办法》第十一条至第十四条、《个体工商户年度报告暂行办法》第十四条",
    DecisionKind.SERIOUS_LIST: "《市场监督管理严重违法失信名单管理办法》第二条至第十三条",
    DecisionKind.SERIOUS_REMOVE: "《市场监督管理严重违法失信名单管理办法》第十六条至第十九条",
    DecisionKind.REPAIR: "《市场监督管理信用修复管理办法》",
}
# What the decision does to each business listed in it.
DECIDES = {
    DecisionKind.ABNORMAL_LIST: "列入经营异常名录",
    DecisionKind.ABNORMAL_MARK: "标记为经营异常状态",
    DecisionKind.ABNORMAL_REMOVE: "移出经营异常名录（恢复正常记载状态）",
    DecisionKind.SERIOUS_LIST: "列入严重违法失信名单",
    DecisionKind.SERIOUS_REMOVE: "移出严重违法失信名单",
    DecisionKind.REPAIR: "准予信用修复",
}
REMEDY = "如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。"


def bureau_name() -> str:
    """The bureau whose seal the decision bears (credit decisions are the bureau's, never a station's)."""
    unit = OrgUnit.objects.filter(kind=OrgKind.BUREAU).order_by("pk").first()
    return unit.name if unit else "市场监督管理局"


def decision_context(*, kind: str, number: str, decided_on: dt.date, approved_by: str, rows: list[dict], note: str = "",
                     extra_text: str = "") -> dict:
    """`rows`: [{"name", "uscc", "reason"}, …] — the businesses decided and why."""
    return {
        "kind": kind, "title": DecisionKind(kind).label, "number": number, "issuer": bureau_name(),
        "issued_on": decided_on.isoformat(), "approved_by": approved_by, "basis": BASIS[DecisionKind(kind)],
        "decides": DECIDES[DecisionKind(kind)], "rows": rows, "note": note, "extra_text": extra_text,
    }


def issue_decision(decision, rows: list[dict], *, actor=None, extra_text: str = "") -> IssuedDocument:
    """Render and keep the document of a saved Decision; call inside the deciding transaction."""
    context = decision_context(kind=decision.kind, number=decision.number, decided_on=decision.decided_on,
                               approved_by=decision.approved_by, rows=rows, note=decision.note, extra_text=extra_text)
    return documents.issue(kind=decision.kind, context=context, owner=decision, actor=actor)


def build_decision(b: Builder, context: dict) -> None:
    b.title(context["issuer"])
    b.title(context["title"])
    b.number(context["number"])
    rows = context["rows"]
    if len(rows) == 1:
        b.addressee(f"{rows[0]['name']}：")
    b.paragraph(f"经查，下列{len(rows)}户市场主体存在下表所列情形。依据{context['basis']}的规定，本局决定将其{context['decides']}。")
    if context.get("extra_text"):
        b.paragraph(context["extra_text"])
    if context.get("note"):
        b.paragraph(context["note"])
    for i, row in enumerate(rows, 1):
        b.line(f"{i}. {row['name']}（统一社会信用代码：{row['uscc'] or '无'}）")
        b.line(f"　　事由：{row['reason']}")
    b.paragraph(REMEDY)
    b.blank()
    b.line(f"{context['issuer']}（印章）", right=True)
    b.line(cn_date(context["issued_on"]), right=True)
    b.note(f"审批人：{context['approved_by']}")


for _kind in DecisionKind:
    documents.register(documents.DocumentTemplate(_kind.value, _kind.label, build_decision))
