from django.db import DataError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from ninja.security import django_auth

from jianguan.businesses.api import router as businesses_router
from jianguan.cases.api import router as cases_router
from jianguan.complaints.api import router as complaints_router
from jianguan.core.errors import DomainError
from jianguan.inspections.api import router as inspections_router
from jianguan.org.auth import TokenAuth
from jianguan.reports.api import router as figures_router
from jianguan.sampling.api import router as sampling_router


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


def _reason(error: dict) -> str:
    """pydantic's reason in Chinese for the kinds of mistake that people make; its English otherwise."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind.startswith("date") or kind.startswith("datetime"):
        return "不是有效的日期（YYYY-MM-DD）" if kind.startswith("date_") else "不是有效的时间（ISO 8601）"
    if kind.startswith("int_") or kind.startswith("float_") or kind.startswith("decimal_"):
        return "不是有效的数字"
    if kind in ("less_than_equal", "less_than"):
        return f"不能大于 {ctx.get('le', ctx.get('lt'))}"
    if kind in ("greater_than_equal", "greater_than"):
        return f"不能小于 {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("enum", "literal_error"):
        return f"不是可选的值（可选：{ctx.get('expected', '')}）"
    if kind == "missing":
        return "不能为空"
    if kind in ("string_type", "bool_parsing", "bool_type"):
        return "类型不对"
    return error.get("msg", "")


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    problems = [
        {"field": ".".join(str(p) for p in e.get("loc", [])[1:]) or "body", "reason": _reason(e)}
        for e in exc.errors
    ]
    text = "；".join(f"{p['field']}：{p['reason']}" for p in problems)
    # "field" names the first culprit, as a DomainError's extra does, for clients that read only one.
    return _error(request, 422, "invalid", f"请求数据不合法：{text}", {"field": problems[0]["field"], "errors": problems}
                  if problems else {"errors": problems})


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def on_out_of_range(request, exc):
    # A value the database cannot hold that no schema refused (a number past 64 bits: OverflowError on
    # SQLite, DataError on PostgreSQL; a NUL character in text on PostgreSQL): the client's mistake.
    return _error(request, 400, "out_of_range", "请求中的数据超出了可保存的范围（数值过大，或含有不可保存的字符）")


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
api.add_router("/cases", cases_router)
api.add_router("/sampling", sampling_router)
api.add_router("/figures", figures_router)
