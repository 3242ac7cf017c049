from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from .auth import api_token_issue, api_token_revoke
from .choices import Role
from .forms import TokenIssueForm
from .models import ApiToken


def _is_admin(user) -> bool:
    return user.role == Role.ADMIN or user.is_superuser


def _visible_tokens(user):
    qs = ApiToken.objects.select_related("user__org_unit").order_by("revoked_at", "-created_at")
    return qs if _is_admin(user) else qs.filter(user=user)


def may_hold_tokens(user) -> bool:
    """API tokens are for other systems that keep or fetch ledgers (a grid platform, the 12315
    platform): the administrator, departments and stations. The leadership reads its figures here."""
    return user.is_superuser or user.role != Role.LEADERSHIP


def tokens(request):
    if not may_hold_tokens(request.user):
        raise PermissionDenied("接口令牌供其他系统对接使用，局领导账号不签发令牌；如需对接，请联系系统管理员")
    admin = _is_admin(request.user)
    form = TokenIssueForm(request.POST or None, actor=request.user, may_choose_user=admin)
    issued = None
    if request.method == "POST" and form.is_valid():
        token, raw = api_token_issue(actor=request.user, user=form.owner(), name=form.cleaned_data["name"])
        issued = {"token": token, "raw": raw}
        form = TokenIssueForm(actor=request.user, may_choose_user=admin)
    context = {"form": form, "tokens": _visible_tokens(request.user)[:500], "issued": issued, "is_admin": admin}
    return render(request, "org/tokens.html", context)


@require_POST
def token_revoke(request, pk: int):
    token = _visible_tokens(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404("令牌不存在")
    if token.revoked_at is None:
        api_token_revoke(actor=request.user, token=token)
        messages.success(request, f"已吊销令牌“{token.name}”（{token.prefix}…），使用它的系统将无法再访问接口。")
    else:
        messages.info(request, f"令牌“{token.name}”此前已吊销。")
    return redirect("org:tokens")


class PasswordChange(auth_views.PasswordChangeView):
    """Every user changes their own password here, under the same policy (AUTH_PASSWORD_VALIDATORS)."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")  # every role has a home page (the leadership has no tokens page)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "密码已修改，其他设备上的登录已失效。")
        return response
