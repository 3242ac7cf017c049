"""Reads of the licence register for other apps and pages."""

from .models import LicenceKind, Sector


def kind_choices() -> list[tuple[str, str]]:
    """(code, name) of the kinds in use, in their order: what a form offers and a pool stores."""
    return list(LicenceKind.objects.filter(disabled_on__isnull=True).order_by("order", "code").values_list("code", "name"))


def kind_names() -> dict[str, str]:
    """Every kind's name by code, disabled ones too (old records keep theirs)."""
    return dict(LicenceKind.objects.values_list("code", "name"))


def sector_choices() -> list[tuple[str, str]]:
    return list(Sector.objects.filter(disabled_on__isnull=True).order_by("order", "code").values_list("code", "name"))
