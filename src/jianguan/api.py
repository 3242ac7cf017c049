from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from ninja.security import django_auth

from jianguan.businesses.api import router as businesses_router
from jianguan.complaints.api import router as complaints_router
from jianguan.core.errors import DomainError
from jianguan.inspections.api import router as inspections_router
from jianguan.org.auth import TokenAuth
from jianguan.reports.api import router as figures_router


class ChineseJSONRenderer(JSONRenderer):
    # Staff read raw responses too; keep Chinese readable instead of \uXXXX escapes.
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=ChineseJSONRenderer(),
    title="监管 jianguan API",
    version="1",
    description="市场监督管理局工作平台接口。会话（网页登录）或令牌（Authorization: Bearer）认证。",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)


def _error(request, status: int, code: str, message: str, extra: dict | None = None):
    return api.create_response(request, {"code": code, "message": message, "extra": extra or {}}, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return _error(request, exc.status, exc.code, exc.message, exc.extra)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    problems = [
        {"field": ".".join(str(p) for p in e.get("loc", [])[1:]) or "body", "reason": e.get("msg", "")}
        for e in exc.errors
    ]
    text = "；".join(f"{p['field']}：{p['reason']}" for p in problems)
    return _error(request, 422, "invalid", f"请求数据不合法：{text}", {"errors": problems})


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(request, 401, "unauthorized", "未登录或令牌无效")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "not_found", "记录不存在或不在您的辖区范围内")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _error(request, exc.status_code, "http_error", str(exc))


api.add_router("/businesses", businesses_router)
api.add_router("/inspections", inspections_router)
api.add_router("/complaints", complaints_router)
api.add_router("/figures", figures_router)
