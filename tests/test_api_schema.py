"""Schemathesis over /api/v1/openapi.json, in-process against the WSGI app: a few valid and a few
invalid requests per operation, with an API token of each role; no answer may be a server error.

Bounded (a handful of derandomized examples per operation) so that it runs in every `make test`."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error

from jianguan.org.auth import api_token_issue
from jianguan.org.choices import OrgKind, Role

from .factories import BusinessFactory, OrgUnitFactory, SubdistrictFactory, UserFactory

pytestmark = pytest.mark.django_db

EXAMPLES = 5
FUZZ = settings(
    max_examples=EXAMPLES, derandomize=True, database=None, deadline=None, phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def api_schema(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():  # the middleware may read the (empty) session tables
        return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def in_process_requests():
    """Keep the test's connection open across the WSGI calls, as Django's test client does: Django
    closes it at the end of every request otherwise, and on PostgreSQL that ends the test transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(db, in_process_requests):
    bureau = OrgUnitFactory(kind=OrgKind.BUREAU, code="B", name="测试区市场监督管理局")
    dept = OrgUnitFactory(kind=OrgKind.DEPARTMENT, code="D1", name="消费者权益保护科", parent=bureau)
    east = OrgUnitFactory(kind=OrgKind.STATION, code="S1", name="东关市场监管所", parent=bureau)
    BusinessFactory(subdistrict=SubdistrictFactory(code="370102001", name="东关街道", station=east))
    admin = UserFactory(username="admin", role=Role.ADMIN, org_unit=bureau, is_staff=True, is_superuser=True)
    users = {
        "dept": UserFactory(username="dept", role=Role.DEPARTMENT, org_unit=dept),
        "east": UserFactory(username="east", role=Role.STATION, org_unit=east),
        "leader": UserFactory(username="leader", role=Role.LEADERSHIP, org_unit=bureau),
    }
    return {role: api_token_issue(actor=admin, user=user, name="schemathesis")[1] for role, user in users.items()}


def _operations(schema) -> list:
    return [result.ok() for result in schema.get_all_operations()]


def test_the_schema_lists_the_api(api_schema):
    paths = {op.path for op in _operations(api_schema)}
    assert {"/api/v1/businesses/", "/api/v1/inspections/", "/api/v1/complaints/", "/api/v1/cases/", "/api/v1/cases/leads"} <= paths


ANSWERS: set = set()


def _fuzz(operation, mode, role: str, token: str, failures: list) -> None:
    @FUZZ
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        ANSWERS.add((role, mode.value, operation.method.upper(), operation.path, response.status_code))
        try:
            case.validate_response(response, checks=[not_a_server_error])
        except (Exception, BaseExceptionGroup) as exc:  # every operation's failure, not only the first
            failures.append(f"{operation.method.upper()} {operation.path}: {case.as_curl_command()}\n{exc}")

    run()


# schemathesis's own pytest integration (schema.parametrize) does not run under pytest 9 yet, so the
# operations are walked here, each with its Hypothesis strategy: valid requests and invalid ones.
@pytest.mark.parametrize("mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])
@pytest.mark.parametrize("role", ["dept", "east", "leader"])
def test_no_operation_answers_a_server_error(api_schema, tokens, role, mode):
    failures = []
    for operation in _operations(api_schema):
        _fuzz(operation, mode, role, tokens[role], failures)
    assert not failures, "\n\n".join(failures[:10])
    answers = {(method, path, status) for r, m, method, path, status in ANSWERS if (r, m) == (role, mode.value)}
    assert answers and all(status != 401 for *_, status in answers), sorted(answers)  # the token was taken
    if mode == schemathesis.GenerationMode.POSITIVE:
        assert ("GET", "/api/v1/businesses/", 200) in answers, sorted(answers)
