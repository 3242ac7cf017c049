"""Inspectors with certificates, and a ready-made inspection with a finding, for the inspections tests."""

import datetime as dt
import itertools

from jianguan.inspections.choices import InspectionKind, InspectionResult, InspectionStatus
from jianguan.inspections.services.inspections import NewFinding, inspection_complete, inspection_create

from ..factories import BusinessFactory, UserFactory

_cert = itertools.count(1)


def inspector(org_unit, *, valid_until=dt.date(2030, 12, 31), **kw):
    n = next(_cert)
    return UserFactory(
        username=kw.pop("username", f"inspector{n}"), role=kw.pop("role", "station"), org_unit=org_unit,
        full_name=kw.pop("full_name", f"执法员{n}"), cert_no=f"37010200{n:04d}", cert_valid_until=valid_until, **kw,
    )


def team(org_unit, size=2):
    return [inspector(org_unit) for _ in range(size)]


def inspection_with_finding(org, *, date=dt.date(2026, 9, 1), deadline=dt.date(2026, 9, 15), actor=None, campaign=None, business=None, equipment=None):
    business = business or BusinessFactory(subdistrict=org.subs["dongguan"])
    inspectors = team(org.east)
    actor = actor or inspectors[0]
    inspection = inspection_create(
        actor=actor, kind=InspectionKind.ROUTINE, business=business, date=date, inspectors=inspectors,
        equipment=[equipment] if equipment else [], campaign=campaign, status=InspectionStatus.IN_PROGRESS,
    )
    inspection = inspection_complete(
        actor=actor, pk=inspection.pk, version=inspection.version, result=InspectionResult.ORDERED,
        findings=[NewFinding(description="灭火器过期", deadline=deadline, equipment=equipment)],
    )
    return inspection, inspection.findings.get(), inspectors
