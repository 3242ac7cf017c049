"""/healthz: 200 with JSON when the database answers and the worker's heartbeat is fresh, else 503.
Open without login, and not redirected to HTTPS (monitors ask over the loopback)."""

import datetime as dt

import pytest
from django.db.backends.utils import CursorWrapper
from django.db.utils import OperationalError
from django.test import Client, override_settings
from django.utils import timezone

from jianguan.core import scheduler
from jianguan.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_no_worker_is_unhealthy(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok" and body["worker"] != "ok" and body["status"] == "error"


def test_a_fresh_heartbeat_is_healthy(client):
    scheduler.beat("worker")
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["status"] == "ok"


@override_settings(JIANGUAN_HEARTBEAT_MAX_AGE=60)
def test_a_stale_heartbeat_is_unhealthy(client):
    scheduler.beat("worker")
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - dt.timedelta(seconds=61))
    assert client.get("/healthz").status_code == 503


def test_a_database_that_does_not_answer_is_unhealthy(client, monkeypatch):
    scheduler.beat("worker")

    def refuse(self, *args, **kwargs):
        raise OperationalError("unable to open database file")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] != "ok"


def test_open_without_login_and_over_plain_http():
    scheduler.beat("worker")
    with override_settings(SECURE_SSL_REDIRECT=True):
        response = Client().get("/healthz")
    assert response.status_code == 200
