"""/healthz, /readyz, /metrics and the operator page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from prometheus_client import CONTENT_TYPE_LATEST

from cupure.sources.models import Feed

from . import health
from .metrics import exposition
from .models import WorkerBeat


def healthz(request):
    """Liveness: the process answers. It touches nothing else, so a slow database never gets it restarted."""
    return HttpResponse("ok\n", content_type="text/plain")


def readyz(request):
    """Readiness: the database answers and is migrated; 503 (with the reasons) otherwise."""
    checks = health.readiness()
    ok = all(c.ok for c in checks)
    return JsonResponse(
        {"ready": ok, "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail, "advice": c.advice} for c in checks]},
        status=200 if ok else 503,
    )


def metrics(request):
    if request.META.get("REMOTE_ADDR") not in settings.METRICS_ALLOW and "*" not in settings.METRICS_ALLOW:
        return HttpResponse(
            "Metrics are served to the addresses in CUPURE_METRICS_ALLOW only.\n", status=403, content_type="text/plain"
        )
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)


@staff_member_required
def operator(request):
    checks = health.everything()
    queue = next((c for c in checks if c.name == "queue"), None)
    return render(
        request,
        "ops/operator.html",
        {
            "checks": checks,
            "queue": queue,
            "task_queue": settings.TASK_QUEUE,
            "workers": WorkerBeat.objects.all()[:50],
            "failing": Feed.objects.in_error().select_related("source").order_by("-error_count", "url")[:100],
        },
    )
