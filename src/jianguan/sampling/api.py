"""/api/v1/sampling/: reading samples and quick tests by the caller's jurisdiction, and recording them from
other systems (a testing institution's platform, a market's quick-test station): a sample as taken, its
result when the report arrives, a quick test. Refusals are the services', in Chinese, naming the field."""

from django.db.models import Q
from ninja import Query, Router, Status
from ninja.pagination import paginate

from jianguan.core.errors import DomainError
from jianguan.core.middleware import client_ip
from jianguan.core.paging import ApiPagination
from jianguan.org.models import Subdistrict

from . import selectors, services
from .choices import Conclusion, DisposalStatus, QuickTestMode, QuickTestResult, SamplingType
from .models import BusinessFormat, FoodCategory
from .schemas import (
    DisposalIn,
    QuickTestFilters,
    QuickTestIn,
    QuickTestOut,
    ResultIn,
    SampleDetailOut,
    SampleFilters,
    SampleIn,
    SampleOut,
    ServeIn,
)
from .services import Item

router = Router(tags=["抽检"])


def _code(text: str | None, choices, field: str, label: str) -> str:
    """A code given as itself or as its Chinese label."""
    text = (text or "").strip()
    by_label = {name: value for value, name in choices.choices}
    value = by_label.get(text, text.lower())
    if value not in choices.values:
        names = "、".join(str(label) for label in choices.labels)
        raise DomainError("invalid", f"{label}：“{text[:40]}”不是可选的值（可选：{names}）", {"field": field})
    return value


def _reference(model, text: str, field: str, label: str):
    text = (text or "").strip()
    found = model.objects.filter(Q(code=text) | Q(name=text)).first() if text else None
    if found is None:
        raise DomainError("invalid", f"{label}：“{text[:40]}”不是可选的{label}代码或名称", {"field": field})
    return found


def _subdistrict(text: str) -> Subdistrict | None:
    text = (text or "").strip()
    if not text:
        return None
    found = Subdistrict.objects.filter(Q(code=text) | Q(name=text)).first()
    if found is None:
        raise DomainError("invalid", f"所属街道：“{text[:40]}”不是本辖区的街道名称或代码", {"field": "subdistrict"})
    return found


@router.get("/samples", response=list[SampleOut], summary="抽检样品列表（按辖区，抽样日期从近到远）")
@paginate(ApiPagination, page_size=50)
def list_samples(request, filters: Query[SampleFilters]):
    if filters.sampled_from and filters.sampled_to and filters.sampled_from > filters.sampled_to:
        raise DomainError("invalid", "抽样日期起不能晚于抽样日期止", {"field": "sampled_from"})
    data = {
        "q": filters.q or "", "year": filters.year, "sampled_from": filters.sampled_from, "sampled_to": filters.sampled_to,
        "sampling_type": _code(filters.sampling_type, SamplingType, "sampling_type", "抽检类型") if filters.sampling_type else "",
        "conclusion": _code(filters.conclusion, Conclusion, "conclusion", "检验结论") if filters.conclusion else "",
        "disposal": _code(filters.disposal_status, DisposalStatus, "disposal_status", "处置状态") if filters.disposal_status else "",
        "format": _reference(BusinessFormat, filters.business_format, "business_format", "业态").code if filters.business_format else "",
        "category": _reference(FoodCategory, filters.food_category, "food_category", "食品大类").code if filters.food_category else "",
    }
    return selectors.sample_list(actor=request.auth, filters=data)


@router.get("/samples/{int:pk}", response=SampleDetailOut, summary="抽检样品详情（期限、不合格项目、处置）")
def get_sample(request, pk: int):
    return selectors.sample_get(actor=request.auth, pk=pk)


@router.post("/samples", response={201: SampleDetailOut}, summary="登记抽样单")
def record_sample(request, payload: SampleIn):
    sample = services.sample_record(
        actor=request.auth, ip=client_ip(request), number=payload.number, sampled_on=payload.sampled_on,
        sampling_type=_code(payload.sampling_type, SamplingType, "sampling_type", "抽检类型"),
        business_uscc=payload.business_uscc, business_name=payload.business_name, subdistrict=_subdistrict(payload.subdistrict),
        business_format=_reference(BusinessFormat, payload.business_format, "business_format", "业态"),
        food_category=_reference(FoodCategory, payload.food_category, "food_category", "食品大类"),
        sample_name=payload.sample_name, specification=payload.specification, batch=payload.batch,
        producer_name=payload.producer_name, producer_uscc=payload.producer_uscc, institution=payload.institution,
        sent_on=payload.sent_on,
    )
    return Status(201, selectors.sample_get(actor=request.auth, pk=sample.pk))


@router.post("/samples/{int:pk}/result", response=SampleDetailOut, summary="录入检验结论（不合格项目逐项）")
def enter_result(request, pk: int, payload: ResultIn):
    sample = selectors.sample_get(actor=request.auth, pk=pk)
    services.sample_result(
        actor=request.auth, ip=client_ip(request), sample=sample, report_on=payload.report_on, version=payload.version,
        conclusion=_code(payload.conclusion, Conclusion, "conclusion", "检验结论"), institution=payload.institution,
        items=[Item(i.name, i.measured, i.standard, i.unit) for i in payload.items],
    )
    return selectors.sample_get(actor=request.auth, pk=pk)


@router.post("/samples/{int:pk}/service", response=SampleDetailOut, summary="登记不合格检验结论的送达")
def serve_result(request, pk: int, payload: ServeIn):
    sample = selectors.sample_get(actor=request.auth, pk=pk)
    services.sample_serve(actor=request.auth, ip=client_ip(request), sample=sample, served_on=payload.served_on,
                          version=payload.version)
    return selectors.sample_get(actor=request.auth, pk=pk)


@router.post("/samples/{int:pk}/disposal", response=SampleDetailOut, summary="登记不合格样品的核查处置（可先记措施，后报完成）")
def record_disposal(request, pk: int, payload: DisposalIn):
    sample = selectors.sample_get(actor=request.auth, pk=pk)
    services.sample_dispose(
        actor=request.auth, ip=client_ip(request), sample=sample, disposed_on=payload.disposed_on, cause=payload.cause,
        removed_qty=payload.removed_qty, recalled_qty=payload.recalled_qty, destroyed_qty=payload.destroyed_qty,
        qty_unit=payload.qty_unit, stopped_selling=payload.stopped_selling, note=payload.note, open_lead=payload.open_lead,
        no_case_reason=payload.no_case_reason, version=payload.version,
    )
    return selectors.sample_get(actor=request.auth, pk=pk)


@router.get("/quicktests", response=list[QuickTestOut], summary="快检记录列表（按辖区，检测日期从近到远）")
@paginate(ApiPagination, page_size=50)
def list_quicktests(request, filters: Query[QuickTestFilters]):
    data = {"q": filters.q or "", "tested_from": filters.tested_from, "tested_to": filters.tested_to,
            "result": _code(filters.result, QuickTestResult, "result", "检测结果") if filters.result else ""}
    return selectors.quicktest_list(actor=request.auth, filters=data)


@router.post("/quicktests", response={201: QuickTestOut}, summary="登记快检结果")
def record_quicktest(request, payload: QuickTestIn):
    test = services.quicktest_record(
        actor=request.auth, ip=client_ip(request), tested_on=payload.tested_on, place=payload.place, product=payload.product,
        item=payload.item, result=_code(payload.result, QuickTestResult, "result", "检测结果"),
        mode=_code(payload.mode, QuickTestMode, "mode", "检测方式"), business_uscc=payload.business_uscc,
        subdistrict=_subdistrict(payload.subdistrict), note=payload.note,
    )
    return Status(201, selectors.quicktest_get(actor=request.auth, pk=test.pk))
