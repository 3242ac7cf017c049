"""Helpers every app's services use: the audit actor context and validation errors in Chinese."""

import contextlib

from auditlog.context import set_actor
from django.core.exceptions import ValidationError

from .errors import DomainError


@contextlib.contextmanager
def acting(actor, ip: str | None = None):
    """Attribute every audit row written inside to actor (and the client's IP when known)."""
    with set_actor(actor, remote_addr=ip):
        yield


def validation_error(exc: ValidationError) -> DomainError:
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    text = "；".join(f"{'' if name == '__all__' else name + '：'}{'，'.join(msgs)}" for name, msgs in fields.items())
    return DomainError("invalid", text or "数据不合法", {"fields": fields})


def save_valid(obj) -> None:
    """Save a model instance after full_clean(); its validation errors come back as one DomainError in Chinese."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise validation_error(exc) from exc
    obj.save()
