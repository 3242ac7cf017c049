"""Helpers every app's services use: the audit actor context and validation errors in Chinese."""

import contextlib
import contextvars

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


_GENERATED = contextvars.ContextVar("generated_data", default=False)


@contextlib.contextmanager
def generated_data():
    """For data the program itself generates (the demo district): save_valid still checks every field
    and the model's clean(), but leaves foreign keys, unique and check constraints to the database, which
    enforces them anyway — those checks cost a query each, a quarter of the demo's queries. Never around
    what a person or a file supplies: there the Chinese message of a violated constraint matters."""
    token = _GENERATED.set(True)
    try:
        yield
    finally:
        _GENERATED.reset(token)


def save_valid(obj) -> None:
    """Save a model instance after full_clean(); its validation errors come back as one DomainError in Chinese."""
    try:
        if _GENERATED.get():
            obj.clean_fields(exclude=[f.name for f in obj._meta.concrete_fields if f.is_relation])
            obj.clean()
        else:
            obj.full_clean()
    except ValidationError as exc:
        raise validation_error(exc) from exc
    obj.save()
