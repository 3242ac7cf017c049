from ninja import Query, Router, Status
from ninja.pagination import paginate

from jianguan.core.middleware import client_ip
from jianguan.core.paging import ApiPagination

from . import selectors
from .schemas import FindingFilters, FindingOut, InspectionFilters, InspectionOut, ReportIn
from .services.findings import finding_report

router = Router(tags=["监督检查"])


@router.get("/", response=list[InspectionOut], summary="监督检查列表")
@paginate(ApiPagination, page_size=50)
def list_inspections(request, filters: Query[InspectionFilters]):
    return selectors.inspection_list(actor=request.auth, filters=filters.dict(exclude_none=True))


@router.get("/findings", response=list[FindingOut], summary="隐患问题列表")
@paginate(ApiPagination, page_size=50)
def list_findings(request, filters: Query[FindingFilters]):
    return selectors.finding_list(actor=request.auth, filters=filters.dict(exclude_none=True))


@router.post("/findings/{pk}/reports", response={201: FindingOut}, summary="提交整改报告（需带 version）")
def report_finding(request, pk: int, payload: ReportIn):
    finding = selectors.finding_get(actor=request.auth, pk=pk)
    finding_report(actor=request.auth, ip=client_ip(request), pk=finding.pk, **payload.dict())
    return Status(201, selectors.finding_get(actor=request.auth, pk=pk))


@router.get("/{pk}", response=InspectionOut, summary="监督检查详情")
def get_inspection(request, pk: int):
    return selectors.inspection_get(actor=request.auth, pk=pk)
