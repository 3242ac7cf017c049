"""Every write of sampling: samples and their results, the disposal of unqualified products, quick tests
and plans. Each service runs in a transaction and leaves its audit rows."""

from jianguan.campaigns import services as campaign_services
from jianguan.campaigns.models import Campaign
from jianguan.core.deadlines import DeadlineChange, on_deadline_recomputed
from jianguan.core.errors import DomainError

from ..models import QuickTest, Sample
from .disposal import (  # noqa: F401
    sample_dispose,
    sample_objection,
    sample_open_lead,
    sample_retest_request,
    sample_retest_result,
    sample_serve,
)
from .plans import Target, plan_save  # noqa: F401
from .quicktests import quicktest_record, sample_proposal  # noqa: F401
from .samples import Item, sample_record, sample_result, sample_send  # noqa: F401


@on_deadline_recomputed("sampling")
def sample_clocks_recomputed(changes: list[DeadlineChange]) -> None:
    """A year's calendar was entered: each provisional clock moves to its official date; the sample stays
    暂定 while any of its clocks still is."""
    by_sample: dict[int, list[DeadlineChange]] = {}
    for change in changes:
        kind, _, pk = change.object_ref.partition(":")
        if kind == "sample":
            by_sample.setdefault(int(pk), []).append(change)
    for pk, sample_changes in by_sample.items():
        fields = {c.field_name: c.new_due for c in sample_changes}
        Sample.objects.filter(pk=pk).update(dues_provisional=any(not c.resolved for c in sample_changes), **fields)


@campaign_services.period_check
def samples_within_period(campaign: Campaign) -> None:
    """A campaign's dates may not move past samples or quick tests already counted toward it."""
    for model, field, what in ((Sample, "sampled_on", "抽样"), (QuickTest, "tested_on", "快检")):
        outside = model.objects.filter(campaign=campaign).exclude(**{f"{field}__range": (campaign.start, campaign.end)})
        first = outside.order_by(field).first()
        if first is not None:
            raise DomainError("samples_outside", f"已有{what}记录（{getattr(first, field)}）在新的起止日期之外，不能这样修改期间",
                              {"field": "start"})
