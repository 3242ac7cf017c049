from ninja import Query, Router, Status
from ninja.pagination import paginate

from jianguan.core.errors import DomainError
from jianguan.core.middleware import client_ip
from jianguan.core.paging import ApiPagination
from jianguan.org.models import Subdistrict

from . import selectors, services
from .schemas import BusinessFilters, BusinessIn, BusinessOut, BusinessPatch

router = Router(tags=["市场主体"])


def _subdistrict(code: str) -> Subdistrict:
    found = Subdistrict.objects.filter(code=code).first()
    if found is None:
        raise DomainError("unknown_subdistrict", f"所属街道代码“{code}”不存在", {"field": "subdistrict_code"})
    return found


@router.get("/", response=list[BusinessOut], summary="市场主体列表")
@paginate(ApiPagination, page_size=50)
def list_businesses(request, filters: Query[BusinessFilters]):
    return selectors.business_list(actor=request.auth, filters=filters.dict(exclude_none=True))


@router.get("/{uscc}", response=BusinessOut, summary="按统一社会信用代码查询")
def get_business(request, uscc: str):
    return selectors.business_get(actor=request.auth, uscc=uscc)


@router.post("/", response={201: BusinessOut}, summary="登记市场主体")
def create_business(request, payload: BusinessIn):
    data = payload.dict()
    data["subdistrict"] = _subdistrict(data.pop("subdistrict_code"))
    return Status(201, services.business_create(actor=request.auth, ip=client_ip(request), **data))


@router.patch("/{uscc}", response=BusinessOut, summary="修改市场主体（需带 version）")
def update_business(request, uscc: str, payload: BusinessPatch):
    business = selectors.business_get(actor=request.auth, uscc=uscc)
    data = payload.dict(exclude_unset=True)
    if "subdistrict_code" in data:
        data["subdistrict"] = _subdistrict(data.pop("subdistrict_code"))
    return services.business_update(actor=request.auth, ip=client_ip(request), pk=business.pk, **data)
