"""GET /healthz for load balancers, monitors and `jianguan serve`'s own checks: 200 when the database
answers and a worker's heartbeat is fresh, 503 otherwise, with the details as JSON. Open without login
and reads only, so that probing it never adds to the database's load."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import WorkerHeartbeat


def status() -> tuple[bool, dict]:
    body = {"status": "error", "database": "ok", "worker": "ok", "heartbeats": []}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        beats = list(WorkerHeartbeat.objects.order_by("-beat_at").values("name", "pid", "beat_at"))
    except DatabaseError as exc:
        body.update(database=f"error: {exc}", worker="unknown")
        return False, body
    now = timezone.now()
    max_age = dt.timedelta(seconds=settings.JIANGUAN_HEARTBEAT_MAX_AGE)
    body["heartbeats"] = [{"name": b["name"], "pid": b["pid"], "age_seconds": round((now - b["beat_at"]).total_seconds())}
                          for b in beats]
    workers = [b for b in beats if b["name"].endswith(":worker")]
    if not workers:
        body["worker"] = "error: no worker heartbeat (is `jianguan worker` running?)"
    elif now - workers[0]["beat_at"] > max_age:
        body["worker"] = f"error: last heartbeat {round((now - workers[0]['beat_at']).total_seconds())} s ago"
    ok = body["worker"] == "ok"
    body["status"] = "ok" if ok else "error"
    return ok, body


@login_not_required
@never_cache
@require_GET
def healthz(request):
    ok, body = status()
    return JsonResponse(body, status=200 if ok else 503)
