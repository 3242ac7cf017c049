"""Quick tests (快检) at a market's test station or by a mobile team; a positive result proposes a sample
(监督抽检) of the same product at the same business, linked back when it is recorded."""

import datetime as dt

from django.db import transaction

from jianguan.businesses.models import Business
from jianguan.campaigns.models import Campaign
from jianguan.core.errors import DomainError
from jianguan.core.services import acting
from jianguan.org.models import Subdistrict, User

from ..choices import QuickTestMode, QuickTestResult, SamplingType
from ..models import QuickTest
from .common import business_fields, check_campaign, check_writer, require_text, save


@transaction.atomic
def quicktest_record(*, actor: User | None, tested_on: dt.date, place: str, product: str, item: str, result: str,
                     mode: str = QuickTestMode.STATION, business: Business | None = None, business_uscc: str = "",
                     subdistrict: Subdistrict | None = None, campaign: Campaign | None = None, note: str = "",
                     imported: bool = False, ip: str | None = None) -> QuickTest:
    if result not in QuickTestResult.values:
        raise DomainError("invalid_result", "检测结果只能是阴性或阳性", {"field": "result"})
    if mode not in QuickTestMode.values:
        raise DomainError("invalid_mode", f"检测方式“{mode}”不存在", {"field": "mode"})
    place = require_text(place, "place", "检测地点")
    fields = business_fields(business=business, name=place, uscc=business_uscc, subdistrict=subdistrict)
    fields.pop("business_name")
    check_writer(actor, fields["subdistrict"])
    check_campaign(campaign, tested_on, "检测日期")
    test = QuickTest(tested_on=tested_on, mode=mode, place=place, product=require_text(product, "product", "样品名称"),
                     item=require_text(item, "item", "检测项目"), result=result, campaign=campaign, note=note.strip(),
                     imported=imported, created_by=actor, **fields)
    with acting(actor, ip):
        save(test)
    return test


def sample_proposal(test: QuickTest) -> dict:
    """What the sample form starts from after a positive quick test: the same business and product."""
    if test.result != QuickTestResult.POSITIVE:
        raise DomainError("not_positive", "只有快检阳性结果才需要跟进抽样", {"field": "result"})
    if test.sample_id is not None:
        raise DomainError("quicktest_has_sample", "该快检阳性结果已登记跟进抽样", {"field": "quick_test"})
    return {"sampling_type": SamplingType.SUPERVISION, "sampled_on": test.tested_on, "business": test.business,
            "business_name": test.business.name if test.business else test.place, "business_uscc": test.business_uscc,
            "subdistrict": test.subdistrict, "sample_name": test.product, "campaign": test.campaign, "quick_test": test}
