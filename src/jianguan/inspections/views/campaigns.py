"""专项行动: the list, a campaign's page (facts, goals, figures as a chart and a table, its
inspections) and the create/edit form for departments and administrators."""

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.http import Http404
from django.shortcuts import redirect, render

from jianguan.businesses.choices import EntityType
from jianguan.campaigns import selectors as campaign_selectors
from jianguan.campaigns.choices import GOAL_KEYS
from jianguan.campaigns.rules import CAMPAIGN_PHASES, campaign_phase
from jianguan.core.errors import DomainError, NotFound
from jianguan.core.middleware import client_ip
from jianguan.equipment.models import CatalogueEntry

from .. import selectors
from ..forms import CampaignForm
from ..metrics import campaign_figures
from ..services import campaigns as services
from .common import INSPECTION_STATUS_BADGE, can_plan, today

ECHARTS_STATIC = "vendor/echarts/echarts.min.js"
INSPECTION_LIMIT = 50


def _campaign_or_404(request, code: str):
    try:
        return campaign_selectors.campaign_get(actor=request.user, code=code)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def with_phase(campaign, on):
    """The state shown for a campaign: archived, or upcoming / running / ended by its dates; and the
    checklist its inspections start from."""
    campaign.phase = campaign_phase(campaign.status, campaign.start, campaign.end, on)
    campaign.phase_label, campaign.phase_badge = CAMPAIGN_PHASES[campaign.phase]
    campaign.inspection_checklist = selectors.campaign_checklist(campaign)
    return campaign


def campaign_list(request):
    on = today()
    campaigns = [with_phase(c, on) for c in selectors.campaigns_with_checklists(actor=request.user)]
    return render(request, "inspections/campaigns.html", {"campaigns": campaigns, "can_plan": can_plan(request.user)})


def figures_for(campaign, actor) -> tuple[list, str]:
    """The campaign's figures, counted from its records: (figures, why none)."""
    try:
        return list(campaign_figures(campaign, actor)), ""
    except DomainError as exc:
        return [], exc.message


def _chart_data(figures) -> dict:
    return {
        "labels": [f.label for f in figures],
        "units": [f.unit for f in figures],
        "values": [f.value for f in figures],
        "goals": [f.goal for f in figures],
    }


def campaign_detail(request, code: str):
    campaign = with_phase(_campaign_or_404(request, code), today())
    figures, figures_note = figures_for(campaign, request.user)
    qs = selectors.inspection_list(actor=request.user, filters={"campaign": campaign.code})
    inspections = list(qs[: INSPECTION_LIMIT + 1])
    for row in inspections:
        row.status_badge = INSPECTION_STATUS_BADGE.get(row.status, "")
    goals = [(GOAL_KEYS.get(key, key), value) for key, value in (campaign.goals or {}).items()]
    return render(request, "inspections/campaign.html", {
        "campaign": campaign,
        "goals": goals,
        "figures": figures,
        "figures_note": figures_note,
        "chart": _chart_data(figures),
        "echarts_available": finders.find(ECHARTS_STATIC) is not None,
        "inspections": inspections[:INSPECTION_LIMIT],
        "more_inspections": len(inspections) > INSPECTION_LIMIT,
        "subdistricts": list(campaign.subdistricts.order_by("code")),
        "entity_types": [dict(EntityType.choices).get(v, v) for v in campaign.entity_types or []],
        "equipment_types": [
            f"{code} {name}" for code, name in
            CatalogueEntry.objects.filter(code__in=campaign.equipment_types or []).order_by("code").values_list("code", "name")
        ],
        "target_count": campaign.targets.count(),
        "can_plan": can_plan(request.user),
    })


def _save(request, form, campaign=None):
    data = form.cleaned_data
    fields = form.service_fields()
    if campaign is None:
        return services.campaign_create(
            actor=request.user, code=data["code"].strip(), subdistricts=data["subdistricts"], targets=data["targets"],
            ip=client_ip(request), **fields,
        )
    return services.campaign_update(
        actor=request.user, pk=campaign.pk, version=data["version"], subdistricts=data["subdistricts"], targets=data["targets"],
        ip=client_ip(request), **fields,
    )


def campaign_edit(request, code: str | None = None):
    """Create (no code) or edit; the services refuse anyone but departments and administrators."""
    campaign = _campaign_or_404(request, code) if code else None
    editing = campaign is not None
    stale = False
    status = 200
    if request.method == "POST":
        form = CampaignForm(request.POST, actor=request.user, editing=editing,
                            initial=CampaignForm.initial_for(campaign) if editing else None)
        if form.is_valid():
            try:
                campaign = _save(request, form, campaign)
            except DomainError as exc:
                stale = exc.code == "concurrent_edit"
                form.add_domain_error(exc)
                if stale:
                    form.data = form.data.copy()
                    form.data["version"] = str(_campaign_or_404(request, code).version)
            else:
                messages.success(request, f"已保存专项行动“{campaign.name}”。")
                return redirect("inspections:campaign", code=campaign.code)
        status = 409 if stale else 400
    else:
        form = CampaignForm(actor=request.user, editing=editing, initial=CampaignForm.initial_for(campaign) if editing else None)
    return render(request, "inspections/campaign_form.html", {
        "form": form,
        "campaign": campaign,
        "can_plan": can_plan(request.user),
        "stale": stale,
    }, status=status)
