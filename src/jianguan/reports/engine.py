"""From a template and parameters to a report: values, text, and a hash that identifies them."""

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from jianguan.campaigns.selectors import campaign_by_code
from jianguan.core.errors import DomainError, NotFound
from jianguan.core.indicators import all_indicators, compute, get_indicator
from jianguan.core.periods import Params
from jianguan.inspections.metrics import GOAL_FIGURES, progress
from jianguan.org.models import OrgUnit

from .figures import build_namespace
from .models import ReportTemplate
from .templating import TemplateInvalid, check_template, render_budget, render_template

BUILTIN_DIR = Path(__file__).parent / "builtin"


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _builtin_files() -> dict[str, tuple[str, str]]:
    found = {}
    for path in sorted(BUILTIN_DIR.glob("*.md.j2")):
        body = path.read_text(encoding="utf-8")
        first = body.splitlines()[0] if body else ""
        title = first.removeprefix("{# title:").removesuffix("#}").strip() if first.startswith("{# title:") else path.stem
        found[path.name.removesuffix(".md.j2")] = (title, body)
    return found


@transaction.atomic
def sync_builtin_templates() -> list[str]:
    """Copy shipped templates into the database; a shipped update replaces an unmodified copy."""
    changed = []
    for key, (title, body) in _builtin_files().items():
        row = ReportTemplate.objects.select_for_update().filter(key=key).first()
        if row is None:
            ReportTemplate.objects.create(key=key, title=title, body=body, builtin=True)
            changed.append(key)
        elif row.builtin and not row.customized and row.body != body:
            row.body, row.title, row.version = body, title, row.version + 1
            row.save(update_fields=["body", "title", "version", "updated_at"])
            changed.append(key)
    return changed


def builtin_body(key: str) -> str | None:
    found = _builtin_files().get(key)
    return found[1] if found else None


def get_template(key: str) -> ReportTemplate:
    # Every build first takes in the shipped templates: after an upgrade, an unmodified copy of a built-in
    # template is replaced before its first report (not only once someone opens the template list).
    if key in _builtin_files() or not ReportTemplate.objects.filter(key=key).exists():
        sync_builtin_templates()
    template = ReportTemplate.objects.filter(key=key).first()
    if template is None:
        raise NotFound(f"报表模板“{key}”不存在")
    return template


def build_params(*, as_of=None, period: str | None = None, scope: str | None = None, campaign: str | None = None,
                 report_year: int | str | None = None) -> Params:
    """Params.build, checking the campaign's code; given only a campaign, its own dates are the period
    and the figures count its records up to today."""
    campaign = (campaign or "").strip()
    if campaign:
        found = campaign_by_code(campaign)  # an unknown code is refused, naming it
        if not period and not as_of:
            period, as_of = f"{found.start.isoformat()}..{found.end.isoformat()}", timezone.localdate()
    return Params.build(as_of=as_of, period=period, scope=scope, campaign=campaign, report_year=report_year)


def area_label(params: Params) -> str:
    if params.scope.kind == "station":
        return f"{params.scope.name}辖区"
    if params.scope.kind == "subdistrict":
        return params.scope.name
    return "全区"


def _context(params: Params, campaign=None, values: dict | None = None) -> dict:
    bureau = OrgUnit.objects.filter(kind="bureau").values_list("name", flat=True).first() or ""
    return {
        "bureau": bureau,
        "area": area_label(params),
        "period": params.period.label,
        "as_of": cn_date(params.as_of),
        "period_start": cn_date(params.period.start),
        "period_end": cn_date(params.period.end),
        "scope": params.scope.label,
        "report_year": params.annual_report_year,
        **_campaign_context(campaign, values or {}),
    }


def _campaign_context(campaign, values: dict) -> dict:
    """The campaign's name, dates, goals and progress (value ÷ goal, %), like the other parameters:
    flat names, empty without a campaign. `campaign.*` itself holds the campaign's figures."""
    goals = dict.fromkeys(GOAL_FIGURES)
    if campaign is None:
        return {"campaign_name": "", "campaign_code": "", "campaign_start": "", "campaign_end": "",
                "campaign_goals": goals, "campaign_progress": dict(goals)}
    goals.update({k: int(v) for k, v in (campaign.goals or {}).items() if k in goals and v})
    return {
        "campaign_name": campaign.name,
        "campaign_code": campaign.code,
        "campaign_start": cn_date(campaign.start),
        "campaign_end": cn_date(campaign.end),
        "campaign_goals": goals,
        "campaign_progress": {k: progress(values.get(GOAL_FIGURES[k]), goal) for k, goal in goals.items()},
    }


def json_number(value):
    if isinstance(value, Decimal):
        return float(value.quantize(Decimal("0.01")))
    return value


@dataclass
class Report:
    template: ReportTemplate
    params: Params
    values: dict
    text: str
    keys: list[str]
    html: str = ""
    link: Callable | None = field(default=None, repr=False)
    campaign: object = field(default=None, repr=False)  # the Campaign named by params.campaign, if any

    def payload(self) -> dict:
        return {
            "template": self.template.key,
            "parameters": self.params.as_dict(),
            "indicators": {k: json_number(v) for k, v in sorted(self.values.items())},
            "text": self.text,
        }

    @property
    def sha256(self) -> str:
        return payload_sha256(self.payload())

    def as_json(self) -> dict:
        return {**self.payload(), "sha256": self.sha256}

    @property
    def title(self) -> str:
        first = next((line for line in self.text.splitlines() if line.startswith("# ")), "")
        return first[2:].strip() or self.template.title


def payload_sha256(payload: dict) -> str:
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def build_report(template: ReportTemplate | str, params: Params, *, actor=None, link: Callable | None = None,
                 body: str | None = None) -> Report:
    """Compute the figures a template uses and render its text (and HTML when a link maker is given)."""
    if isinstance(template, str):
        template = get_template(template)
    body = template.body if body is None else body
    problems, used = check_template(body)
    if problems:
        raise TemplateInvalid(problems)
    keys = sorted(used)
    campaign = campaign_by_code(params.campaign) if params.campaign else None
    # Progress against the campaign's goals needs the goal figures, quoted or not.
    extra = list(GOAL_FIGURES.values()) if campaign is not None and "campaign_progress" in body else []
    values, all_values = _values(keys, params, actor, extra)
    indicators = [get_indicator(k) for k in keys]
    context = _context(params, campaign, all_values)
    budget = render_budget()
    text = render_template(body, {**context, **build_namespace(indicators, values, None)}, html=False, budget=budget)
    text = text.strip() + "\n"
    report = Report(template, params, values, text, keys, link=link, campaign=campaign)
    if link is not None:
        report.html = render_template(body, {**context, **build_namespace(indicators, values, link)}, html=True,
                                      budget=budget)
    return report


def _values(keys: list[str], params: Params, actor, extra: list[str] = ()) -> tuple[dict, dict]:
    values = compute([*keys, *extra], params, actor)
    wanted = set(keys)
    # Keep what the template quotes and its parts; rates' helpers stay out of the report's values.
    return {k: v for k, v in values.items() if k.split("[")[0] in wanted}, values


def indicator_catalogue() -> list[dict]:
    return [
        {
            "key": i.key,
            "label": i.label,
            "unit": i.unit,
            "definition": i.definition,
            "parameter": i.describe_params(),
            "dimension": i.dimension.label if i.dimension else "",
            "rate_of": f"{i.numerator} ÷ {i.denominator}" if i.is_rate else "",
        }
        for i in all_indicators()
    ]


def ensure_valid(body: str) -> set[str]:
    problems, used = check_template(body)
    if problems:
        raise DomainError("template_invalid", "；".join(str(p) for p in problems), {"problems": [p.__dict__ for p in problems]})
    return used
