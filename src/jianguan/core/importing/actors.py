"""Who a command-line import or export acts as."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def resolve_actor(username: str | None):
    """The named user; without a name, the first active superuser, or None when there is none."""
    User = get_user_model()
    if username:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"用户“{username}”不存在") from None
    return User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
