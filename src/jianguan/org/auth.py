"""Token authentication for other systems: `Authorization: Bearer <token>`."""

import secrets

from django.db import transaction
from django.utils import timezone
from ninja.security import HttpBearer

from jianguan.core.services import acting

from .models import ApiToken, User


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        found = (
            ApiToken.objects.select_related("user__org_unit")
            .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


@transaction.atomic
def api_token_issue(*, actor: User, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue a token; the raw value is returned once and never stored."""
    raw = "jg_" + secrets.token_urlsafe(32)
    with acting(actor):
        token = ApiToken.objects.create(user=user, name=name, prefix=raw[:8], digest=ApiToken.digest_of(raw))
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    with acting(actor):
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
