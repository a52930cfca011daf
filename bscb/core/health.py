"""The health endpoint a load balancer asks: may this app server take requests?

`GET /healthz` answers 200 when the database answers a query and every migration is
applied, 503 otherwise; the JSON body names each check with its verdict and nothing
else (the reason goes to the log: the caller is anonymous). The address has no
trailing slash, so it can never be a reporting period's address (`/<period>/`).

A middleware answers it, early in the chain: no session is read or written, no
cookie set, no CSRF or sign-in asked, no stored edition page or outage page stands
in for it, and neither the Host check nor the HTTPS redirect stops a load balancer
that probes an app server by its address over plain HTTP (SECURE_REDIRECT_EXEMPT).
"""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpResponseNotAllowed, JsonResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

PATH = "/healthz"
OK, FAILED, NOT_CHECKED, NOT_CONFIGURED = "ok", "failed", "not checked", "not configured"
NEVER_SEEN, NOT_SEEN_RECENTLY = "never seen", "not seen recently"

# The checks whose failure takes the server out of the load balancer's rotation.
REQUIRED = ("database", "migrations")


# The worker check's one source: a callable answering when the background worker was
# last seen (None: never): the newest heartbeat `manage.py worker` records every
# WORKER_HEARTBEAT_SECONDS. It stays out of REQUIRED, by decision: a load balancer asks
# whether this app server can answer requests, and it can without a worker (publishing
# and emails wait in the queue). A silent worker is reported ("not seen recently"; when,
# in the log: the caller is anonymous), and left to monitoring, never a 503 that would take every app server out.
def _newest_heartbeat() -> datetime.datetime | None:
    from bscb.core.models import WorkerHeartbeat  # models load after this module

    return WorkerHeartbeat.last_seen()


WORKER_LAST_SEEN: Callable[[], datetime.datetime | None] | None = _newest_heartbeat
WORKER_SEEN_WITHIN = datetime.timedelta(minutes=1)

Key = tuple[str, str]


@functools.cache
def expected_migrations() -> dict[Key, frozenset[Key]]:
    """Every migration on disk, with what it replaces if it is a squash: read once per process."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    return {key: frozenset(migration.replaces) for key, migration in graph.nodes.items()}


def applied_in_full(expected: dict[Key, frozenset[Key]], applied: set[Key]) -> bool:
    """As `migrate` sees it: a squash counts as applied when everything it replaces is."""
    return all(
        key in applied or (replaces and replaces <= applied) for key, replaces in expected.items()
    )


def database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


def migrations() -> str:
    expected = expected_migrations()
    applied = set(MigrationRecorder.Migration.objects.values_list("app", "name"))
    return OK if applied_in_full(expected, applied) else FAILED


def worker() -> str:
    """ok; "never seen"; "not seen recently" (when, in the log); "not configured" when tasks
    run in the request that queues them (TASK_BACKEND=immediate: no worker to see)."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if WORKER_LAST_SEEN is None or backend.endswith("ImmediateBackend"):
        return NOT_CONFIGURED
    seen = WORKER_LAST_SEEN()
    if seen is None:
        return NEVER_SEEN
    if timezone.now() - seen <= WORKER_SEEN_WITHIN:
        return OK
    logger.warning("Health check worker: not seen since %s", seen.isoformat(timespec="seconds"))
    return NOT_SEEN_RECENTLY


def _verdict(name: str, check: Callable[[], str]) -> str:
    try:
        verdict = check()
    except Exception as error:  # any failure is the check's failure, never a 500
        logger.warning("Health check %s failed: %r", name, error)
        return FAILED
    if verdict not in (OK, NOT_CONFIGURED, NOT_CHECKED, NOT_SEEN_RECENTLY):  # that one logs when
        logger.warning("Health check %s: %s", name, verdict)
    return verdict


def run_checks() -> dict[str, str]:
    results = {"database": _verdict("database", database)}
    reachable = results["database"] == OK
    results["migrations"] = _verdict("migrations", migrations) if reachable else NOT_CHECKED
    results["worker"] = _verdict("worker", worker)
    return results


def health(request):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"], content_type="text/plain; charset=utf-8")
    results = run_checks()
    healthy = all(results[name] == OK for name in REQUIRED)
    response = JsonResponse(
        {"status": OK if healthy else FAILED, "checks": results}, status=200 if healthy else 503
    )
    response["Cache-Control"] = "no-store"
    if request.method == "HEAD":
        response.content = b""
    return response


class HealthMiddleware:
    """Answers PATH itself; placed straight after SecurityMiddleware (see the module's doc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PATH:
            return health(request)
        return self.get_response(request)
