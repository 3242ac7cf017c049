"""The numbered documents of a case, as templates of core's document engine: 立案审批表, 不予立案审批表,
行政处罚告知书, (行政处罚)听证告知书, 行政处罚决定书, 不予行政处罚决定书, 结案审批表.

Each is rendered from a context of plain values (what the document says is what is stored with it),
numbered gap-free per kind and year inside the issuing service's transaction, and kept as an
IssuedDocument owned by the case (the lead for 不予立案) and linked from the step that issued it.
The documents carry the party's full identity: they go to the party and the file, never to the public.
"""

import datetime as dt
from decimal import Decimal

from jianguan.core import documents
from jianguan.core.documents import Builder, cn_date
from jianguan.core.documents.models import IssuedDocument
from jianguan.core.numbering import next_document_number
from jianguan.org.choices import OrgKind
from jianguan.org.models import OrgUnit

from .choices import EvidenceKind, LeadSource, NoPenaltyReason, PenaltyKind, Procedure, RespondentKind
from .models import Case, CaseStep, Lead

FILING_APPROVAL = "case_filing_approval"
NOT_FILING_APPROVAL = "lead_not_filing_approval"
PENALTY_NOTICE = "penalty_notice"
HEARING_NOTICE = "hearing_notice"
PENALTY_DECISION = "penalty_decision"
NO_PENALTY_DECISION = "no_penalty_decision"
CLOSING_APPROVAL = "case_closing_approval"

TITLES = {
    FILING_APPROVAL: "立案审批表",
    NOT_FILING_APPROVAL: "不予立案审批表",
    PENALTY_NOTICE: "行政处罚告知书",
    HEARING_NOTICE: "行政处罚听证告知书",
    PENALTY_DECISION: "行政处罚决定书",
    NO_PENALTY_DECISION: "不予行政处罚决定书",
    CLOSING_APPROVAL: "结案审批表",
}

# The Penalty Law's ground for each reason not to penalise (2021 revision).
NO_PENALTY_BASIS = {
    NoPenaltyReason.NO_VIOLATION: "《中华人民共和国行政处罚法》第五十七条第一款第（三）项",
    NoPenaltyReason.MINOR_CORRECTED: "《中华人民共和国行政处罚法》第三十三条第一款",
    NoPenaltyReason.FIRST_MINOR: "《中华人民共和国行政处罚法》第三十三条第一款",
    NoPenaltyReason.NO_FAULT: "《中华人民共和国行政处罚法》第三十三条第二款",
    NoPenaltyReason.TIME_BARRED: "《中华人民共和国行政处罚法》第三十六条第一款",
    NoPenaltyReason.OTHER: "《中华人民共和国行政处罚法》",
}
REMEDY = ("如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。"
          "{suspension}")
SERVICE_METHODS = "直接送达□　留置送达□　邮寄送达□　电子送达□　公告送达□"
CN_DIGITS = "零一二三四五六七八九"


def cn_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二 (the numbering of a decision's penalties)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return f"{'' if tens == 1 else CN_DIGITS[tens]}十{CN_DIGITS[ones] if ones else ''}"


def yuan(amount) -> str:
    return f"{Decimal(amount or 0):.2f}"


def _bureau(unit: OrgUnit | None) -> str:
    while unit is not None and unit.kind != OrgKind.BUREAU:
        unit = unit.parent
    if unit is None:
        unit = OrgUnit.objects.filter(kind=OrgKind.BUREAU).order_by("pk").first()
    return unit.name if unit else "市场监督管理局"


def issuer(record, actor=None) -> str:
    """The bureau whose seal the document bears: the one over the respondent's station, or over the
    issuing officer's unit for a case without a subdistrict (稽查)."""
    subdistrict = record.subdistrict
    if subdistrict is not None and subdistrict.station_id:
        return _bureau(subdistrict.station)
    return _bureau(getattr(actor, "org_unit", None))


def _party(record) -> dict:
    business = record.business
    return {
        "name": record.respondent_name, "kind": record.respondent_kind,
        "kind_label": RespondentKind(record.respondent_kind).label if record.respondent_kind else "",
        "uscc": record.respondent_uscc, "id_no": record.respondent_id_no,
        "address": business.address if business else "", "legal_rep": business.legal_rep if business else "",
    }


def penalty_context(kinds, fine, income, value) -> dict:
    return {"kinds": list(kinds), "labels": [PenaltyKind(k).label for k in kinds], "fine": yuan(fine), "income": yuan(income),
            "value": yuan(value)}


def case_context(case: Case, *, kind: str, number: str, issued_on: dt.date, actor=None, **extra) -> dict:
    """What a case document says, as plain values."""
    officers = list(case.officers.order_by("cert_no", "pk"))
    context = {
        "kind": kind, "title": TITLES[kind], "number": number, "issuer": issuer(case, actor), "issued_on": issued_on.isoformat(),
        "party": _party(case),
        "case": {
            "number": case.number, "filed_on": case.filed_on.isoformat(), "cause": case.cause, "category": str(case.category),
            "source": LeadSource(case.source).label, "procedure": Procedure(case.procedure).label,
            "violated_articles": case.violated_articles, "penalising_articles": case.penalising_articles,
            "goods_value": yuan(case.goods_value) if case.goods_value is not None else "",
        },
        "officers": [{"name": u.full_name or u.username, "cert_no": u.cert_no or ""} for u in officers],
        "evidence": [{"kind": EvidenceKind(e.kind).label, "description": e.description, "collected_on": e.collected_on.isoformat()}
                     for e in case.evidence.order_by("collected_on", "pk")],
    }
    if case.lead_id:
        lead = case.lead
        context["lead"] = {"source": lead.get_source_display(), "source_label": lead.source_label,
                           "received_on": lead.received_on.isoformat(), "summary": lead.summary}
    context.update(extra)
    return context


def _keep(owner, kind: str, context: dict, actor, step: CaseStep | None) -> IssuedDocument:
    issued = documents.issue(kind=kind, context=context, owner=owner, actor=actor)
    if step is not None:
        step.document = issued
        step.save(update_fields=["document"])
    return issued


def issue_case_document(case: Case, kind: str, *, on: dt.date, actor=None, step: CaseStep | None = None,
                        number: str | None = None, **extra) -> IssuedDocument:
    """Number (unless the caller already took the number, e.g. the decision's), render and keep a case
    document; call inside the issuing service's transaction, so that a refusal consumes no number."""
    number = number or next_document_number(kind, on.year)
    context = case_context(case, kind=kind, number=number, issued_on=on, actor=actor, **extra)
    return _keep(case, kind, context, actor, step)


def issue_not_filing_approval(lead: Lead, *, on: dt.date, actor=None, approved_by: str = "") -> IssuedDocument:
    """不予立案审批表 for a lead decided not to be filed."""
    number = next_document_number(NOT_FILING_APPROVAL, on.year)
    context = {
        "kind": NOT_FILING_APPROVAL, "title": TITLES[NOT_FILING_APPROVAL], "number": number, "issuer": issuer(lead, actor),
        "issued_on": on.isoformat(), "party": _party(lead),
        "lead": {"source": lead.get_source_display(), "source_label": lead.source_label, "received_on": lead.received_on.isoformat(),
                 "summary": lead.summary, "category": str(lead.category or "")},
        "reason": lead.get_not_filed_reason_display(), "note": lead.decision_note,
        "decided_by": (actor.full_name or actor.username) if getattr(actor, "pk", None) else "",
        "approved_by": approved_by,
    }
    return _keep(lead, NOT_FILING_APPROVAL, context, actor, None)


# --- layout -----------------------------------------------------------------------------------------------

def _you(context: dict) -> str:
    return "你" if context["party"]["kind"] == RespondentKind.PERSON else "你单位"


def _identity_rows(context: dict) -> list[tuple[str, str]]:
    party = context["party"]
    rows = [("当事人", party["name"])]
    if party["kind"] == RespondentKind.PERSON:
        rows.append(("身份证件号码", party["id_no"] or "—"))
    else:
        rows.append(("统一社会信用代码", party["uscc"] or "—"))
        if party.get("legal_rep"):
            rows.append(("法定代表人（负责人）", party["legal_rep"]))
    rows.append(("住所（经营场所）", party["address"] or "—"))
    return rows


def _party_lines(b: Builder, context: dict) -> None:
    for label, value in _identity_rows(context):
        b.line(f"{label}：{value}")


def _officer_text(context: dict) -> str:
    return "、".join(f"{o['name']}（执法证号{o['cert_no'] or '—'}）" for o in context["officers"]) or "—"


def _seal(b: Builder, context: dict) -> None:
    b.blank()
    b.line(f"{context['issuer']}（印章）", right=True)
    b.line(cn_date(context["issued_on"]), right=True)


def _penalty_lines(p: dict) -> list[str]:
    lines = []
    for kind, label in zip(p["kinds"], p["labels"], strict=True):
        if kind == PenaltyKind.FINE:
            lines.append(f"罚款人民币{p['fine']}元")
        elif kind == PenaltyKind.CONFISCATE_INCOME:
            lines.append(f"没收违法所得人民币{p['income']}元")
        elif kind == PenaltyKind.CONFISCATE_PROPERTY and Decimal(p["value"]) > 0:
            lines.append(f"没收非法财物（货值人民币{p['value']}元）")
        else:
            lines.append(label)
    return [f"{cn_ordinal(n)}、{text}{'。' if n == len(lines) else '；'}" for n, text in enumerate(lines, 1)]


def _facts(b: Builder, context: dict) -> None:
    case = context["case"]
    b.paragraph(f"本局于{cn_date(case['filed_on'])}对{_you(context)}{case['cause']}一案立案调查。"
                f"经查，{_you(context)}存在{case['cause']}的违法行为。")
    if context["evidence"]:
        b.paragraph("上述事实，有以下证据证实：" + "；".join(f"{e['kind']}：{e['description']}" for e in context["evidence"]) + "。")


def _service_receipt(b: Builder, context: dict) -> None:
    """送达回证, on a page of its own."""
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
        ("备注", "受送达人拒绝签收的，由送达人注明情况并由见证人签名。"),
    ])
    b.blank()
    b.line(f"{context['issuer']}（印章）", right=True)


def _head(b: Builder, context: dict) -> None:
    b.title(context["issuer"])
    b.title(context["title"])
    b.number(context["number"])


def _approval(label: str, approved_by: str, opinion: str, on: str) -> tuple[str, str]:
    return (label, f"{opinion or '同意。'}\n签名：{approved_by or '　　　　'}　　{cn_date(on)}")


def build_filing_approval(b: Builder, context: dict) -> None:
    _head(b, context)
    case, lead = context["case"], context.get("lead")
    rows = [("案件编号", case["number"]), ("案件来源", case["source"] + (f"（{lead['source_label']}）" if lead and lead["source_label"] else "")),
            ("案件类别", case["category"]), ("案由", case["cause"])]
    rows += _identity_rows(context)
    if lead:
        rows += [("线索受理日期", cn_date(lead["received_on"])), ("简要案情", lead["summary"])]
    rows += [("涉嫌违反的条款", case["violated_articles"] or "—"), ("货值（元）", case["goods_value"] or "—"),
             ("承办人员", _officer_text(context)),
             ("承办人意见", "经核查，当事人涉嫌违法，符合立案条件，建议立案调查。"),
             _approval("负责人审批意见", context["approval"]["approved_by"], context["approval"]["opinion"] or "同意立案。",
                       context["approval"]["on"])]
    b.form_table(rows, label_width_mm=44)


def build_not_filing_approval(b: Builder, context: dict) -> None:
    _head(b, context)
    lead = context["lead"]
    rows = [("线索来源", lead["source"] + (f"（{lead['source_label']}）" if lead["source_label"] else "")),
            ("受理日期", cn_date(lead["received_on"])), ("案件类别", lead["category"] or "—")]
    rows += _identity_rows(context)
    rows += [("线索内容", lead["summary"]), ("不予立案理由", context["reason"]),
             ("核查意见", context["note"] or f"经核查，{context['reason']}，建议不予立案。"),
             ("核查人", context["decided_by"] or "—"),
             _approval("负责人审批意见", context["approved_by"], "同意不予立案。", context["issued_on"])]
    b.form_table(rows, label_width_mm=44)


def build_notice(b: Builder, context: dict) -> None:
    _head(b, context)
    b.addressee(f"{context['party']['name']}：")
    _facts(b, context)
    case, notice = context["case"], context["notice"]
    if case["violated_articles"]:
        b.paragraph(f"{_you(context)}的上述行为违反了{case['violated_articles']}的规定。")
    basis = f"依据{case['penalising_articles']}的规定，" if case["penalising_articles"] else ""
    b.paragraph(f"{basis}本局拟对{_you(context)}作出如下行政处罚：")
    for line in _penalty_lines(notice):
        b.paragraph(line)
    days = notice["statement_days"]
    b.paragraph(f"根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，{_you(context)}有权进行陈述和申辩。"
                f"{_you(context)}可在收到本告知书之日起{days}个工作日内（{cn_date(notice['statement_due'])}前）向本局提出陈述、申辩，"
                "逾期未提出的，视为放弃此权利。")
    if context["kind"] == HEARING_NOTICE:
        b.paragraph(f"根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，{_you(context)}有要求听证的权利。"
                    f"要求听证的，应当在收到本告知书之日起{days}个工作日内向本局提出，逾期未要求听证的，视为放弃此权利。")
    b.paragraph(f"联系人：{_officer_text(context)}。")
    _seal(b, context)
    _service_receipt(b, context)


def build_penalty_decision(b: Builder, context: dict) -> None:
    _head(b, context)
    _party_lines(b, context)
    _facts(b, context)
    case, decision = context["case"], context["decision"]
    if decision.get("notified_on"):
        notice = "行政处罚听证告知书" if decision.get("hearing_available") else "行政处罚告知书"
        text = f"本局于{cn_date(decision['notified_on'])}向{_you(context)}送达了《{notice}》，告知拟作出的行政处罚及{_you(context)}依法享有的权利。"
        if decision.get("hearing_on"):
            text += f"应{_you(context)}要求，本局于{cn_date(decision['hearing_on'])}依法举行了听证。"
        elif decision.get("statement"):
            text += f"{_you(context)}在法定期限内提出了陈述、申辩，本局已予复核。"
        else:
            text += f"{_you(context)}在法定期限内未提出陈述、申辩{'和听证要求' if decision.get('hearing_available') else ''}。"
        b.paragraph(text)
    if case["violated_articles"]:
        b.paragraph(f"{_you(context)}的上述行为违反了{case['violated_articles']}的规定。")
    basis = f"依据{case['penalising_articles']}的规定，" if case["penalising_articles"] else ""
    b.paragraph(f"{basis}本局决定对{_you(context)}作出如下行政处罚：")
    for line in _penalty_lines(decision):
        b.paragraph(line)
    if Decimal(decision["fine"]) > 0 or Decimal(decision["income"]) > 0:
        b.paragraph(f"{_you(context)}应当自收到本决定书之日起{decision['payment_days']}日内，将罚没款缴至指定银行或者通过电子支付系统缴纳。"
                    f"到期不缴纳罚款的，本局可以每日按罚款数额的{decision['surcharge_percent']}%加处罚款，加处罚款的数额不超过罚款的数额。")
    b.paragraph(REMEDY.format(suspension="行政复议和行政诉讼期间，本决定不停止执行，法律另有规定的除外。"))
    _seal(b, context)
    _service_receipt(b, context)


def build_no_penalty_decision(b: Builder, context: dict) -> None:
    _head(b, context)
    _party_lines(b, context)
    _facts(b, context)
    decision = context["decision"]
    b.paragraph(f"鉴于{_you(context)}{decision['reason']}，依据{decision['basis']}的规定，本局决定对{_you(context)}不予行政处罚。")
    if decision["reason_code"] != NoPenaltyReason.NO_VIOLATION:
        b.paragraph(f"本局已对{_you(context)}进行了教育。{_you(context)}应当依法经营，杜绝类似违法行为再次发生。")
    b.paragraph(REMEDY.format(suspension=""))
    _seal(b, context)
    _service_receipt(b, context)


def build_closing_approval(b: Builder, context: dict) -> None:
    _head(b, context)
    case, closing = context["case"], context["closing"]
    rows = [("案件编号", case["number"]), ("案由", case["cause"]), ("立案日期", cn_date(case["filed_on"]))]
    rows += _identity_rows(context)
    rows += [("决定书文号", closing["decision_number"]), ("决定日期", cn_date(closing["decided_on"])), ("处理结果", closing["result"]),
             ("送达日期", cn_date(closing["served_on"])), ("执行情况", closing["execution"]),
             ("执行完毕日期", cn_date(closing["executed_on"])), ("承办人员", _officer_text(context)),
             ("承办人意见", "案件已执行完毕，建议结案。"),
             _approval("负责人审批意见", closing["approved_by"], closing["opinion"] or "同意结案。", context["issued_on"])]
    b.form_table(rows, label_width_mm=44)


for _kind, _build in (
    (FILING_APPROVAL, build_filing_approval), (NOT_FILING_APPROVAL, build_not_filing_approval),
    (PENALTY_NOTICE, build_notice), (HEARING_NOTICE, build_notice), (PENALTY_DECISION, build_penalty_decision),
    (NO_PENALTY_DECISION, build_no_penalty_decision), (CLOSING_APPROVAL, build_closing_approval),
):
    documents.register(documents.DocumentTemplate(_kind, TITLES[_kind], _build))
