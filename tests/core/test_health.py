"""The health endpoint a load balancer asks: 200 when this app server can serve, 503 naming the
check that failed, and nothing else about the server to an anonymous caller."""

import ast
import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import OperationalError, ProgrammingError, connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from bscb.core import health
from tests import factories as f
from tests.process_env import fresh_environment

URL = "/healthz"
VERDICTS = {"ok", "failed", "not checked", "not configured", "never seen", "not seen recently"}
# A migration no other depends on, whose reversal changes no table (a help text).
LAST = ("reviews", "0010_learning_event_date_help")
BEFORE_LAST = ("reviews", "0009_agenda_items")


def checks(response) -> dict:
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert set(body) == {"status", "checks"}
    assert set(body["checks"]) == {"database", "migrations", "worker"}
    assert set(body["checks"].values()) <= VERDICTS
    return body


def test_a_healthy_server_answers_200_with_each_check(db):
    response = Client().get(URL)
    assert response.status_code == 200
    assert checks(response) == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "worker": "not configured"},
    }
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db(transaction=True)
def test_an_unapplied_migration_answers_503_naming_the_migrations_check():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE_LAST])
    try:
        response = Client().get(URL)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert response.status_code == 503
    assert checks(response) == {
        "status": "failed",
        "checks": {"database": "ok", "migrations": "failed", "worker": "not configured"},
    }
    assert Client().get(URL).status_code == 200  # migrated again: healthy again


def test_a_migration_recorded_only_as_part_of_its_squash_counts_as_applied(db):
    """Django marks a squashed migration applied when all it replaces are: so does the check."""
    replaced = [("reviews", "0009_agenda_items"), LAST]
    assert health.applied_in_full({LAST: frozenset(replaced)}, set(replaced))
    assert not health.applied_in_full({LAST: frozenset(replaced)}, {replaced[0]})


def _lost(execute, sql, params, many, context):
    raise OperationalError("could not connect to server db-7.internal (10.1.2.3): timeout")


def test_an_unreachable_database_answers_503_in_json_not_the_outage_page(db):
    with connection.execute_wrapper(_lost):
        response = Client().get(URL)
    assert response.status_code == 503
    assert checks(response) == {
        "status": "failed",
        "checks": {"database": "failed", "migrations": "not checked", "worker": "not configured"},
    }
    body = response.content.decode()
    for secret in ("db-7", "10.1.2.3", "timeout", "connect", "Error"):
        assert secret not in body
    assert "Retry-After" not in response  # the outage middleware's page never answers it


def _no_recorder_table(execute, sql, params, many, context):
    if "django_migrations" in sql:
        raise ProgrammingError('relation "django_migrations" does not exist at db-7.internal')
    return execute(sql, params, many, context)


def test_an_anonymous_caller_learns_only_names_and_verdicts(db):
    with connection.execute_wrapper(_no_recorder_table):
        response = Client().get(URL)
    assert response.status_code == 503
    assert checks(response)["checks"] == {
        "database": "ok",
        "migrations": "failed",
        "worker": "not configured",
    }
    body = response.content.decode()
    for secret in ("relation", "django_migrations", "db-7", "5.2", "Django", "sqlite", "postgres"):
        assert secret not in body


def test_no_cookie_is_set_and_no_session_is_written_for_anyone(db):
    anonymous = Client()
    response = anonymous.get(URL)
    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response
    assert Session.objects.count() == 0

    signed_in = Client()
    signed_in.force_login(f.UserFactory(is_staff=True))
    session = Session.objects.get()
    expiry = session.expire_date
    response = signed_in.get(URL)
    assert response.status_code == 200
    assert not response.cookies
    # SESSION_SAVE_EVERY_REQUEST would otherwise write the session (and its cookie) again.
    assert Session.objects.get().expire_date == expiry
    assert response["Cache-Control"] == "no-store"


def test_it_is_answered_before_sessions_csrf_sign_in_the_outage_page_and_stored_pages():
    chain = settings.MIDDLEWARE
    answers_at = chain.index("bscb.core.health.HealthMiddleware")
    for later in (
        "bscb.core.security.RequestGuardMiddleware",
        "bscb.core.security.DatabaseUnavailableMiddleware",
        "bscb.reports.editions.EditionMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "axes.middleware.AxesMiddleware",
    ):
        assert answers_at < chain.index(later), later
    # Security headers (nosniff, HSTS over HTTPS) still apply to it.
    assert chain.index("django.middleware.security.SecurityMiddleware") < answers_at


def test_two_queries_a_request_and_the_migration_files_read_once_per_process(
    db, monkeypatch, django_assert_num_queries
):
    built = []
    real = health.MigrationLoader

    def counting(*args, **kwargs):
        built.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(health, "MigrationLoader", counting)
    health.expected_migrations.cache_clear()
    client = Client()
    for _ in range(3):
        with django_assert_num_queries(2):
            assert client.get(URL).status_code == 200
    assert len(built) == 1


def test_the_worker_is_reported_but_never_fails_the_answer(db, monkeypatch, settings, caplog):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    now = timezone.now()
    an_hour_ago = now - datetime.timedelta(hours=1)
    monkeypatch.setattr(health, "WORKER_LAST_SEEN", lambda: an_hour_ago)
    response = Client().get(URL)
    assert response.status_code == 200
    # A verdict only: when the worker was last seen is for the log, not an anonymous caller.
    assert checks(response)["checks"]["worker"] == "not seen recently"
    seen = an_hour_ago.isoformat(timespec="seconds")
    assert "since" not in response.content.decode()
    assert f"Health check worker: not seen since {seen}" in caplog.text

    monkeypatch.setattr(health, "WORKER_LAST_SEEN", lambda: now)
    assert checks(Client().get(URL))["checks"]["worker"] == "ok"

    monkeypatch.setattr(health, "WORKER_LAST_SEEN", lambda: None)  # never seen
    assert checks(Client().get(URL))["checks"]["worker"] == "never seen"


def test_a_load_balancer_probing_by_address_over_plain_http_is_answered(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get(URL, HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200
    # Every other address still redirects to HTTPS and refuses an unknown host.
    assert Client().get("/").status_code == 301
    assert Client().get("/", HTTP_HOST="10.0.0.5:8000", secure=True).status_code == 400


def test_head_answers_without_a_body_and_other_methods_are_refused(db):
    head = Client().head(URL)
    assert head.status_code == 200
    assert head.content == b""
    post = Client().post(URL)
    assert post.status_code == 405
    assert post["Allow"] == "GET, HEAD"


ROOT = Path(__file__).resolve().parents[2]


def database_options(url: str) -> dict:
    code = "import bscb.settings as s; print(repr(s.DATABASES['default'].get('OPTIONS', {})))"
    env = fresh_environment(SECRET_KEY="x", DATABASE_URL=url)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout)


def test_postgresql_connections_give_up_after_a_few_seconds_unless_told_otherwise():
    assert database_options("postgres://u@db:5432/bscb")["connect_timeout"] == 3
    assert database_options("postgres://u@db:5432/bscb?connect_timeout=10")["connect_timeout"] in (
        10,
        "10",
    )
    assert "connect_timeout" not in database_options("sqlite:///x.sqlite3")


def test_a_worker_seen_a_moment_ago_is_ok_for_one_query_more(
    db, settings, django_assert_num_queries
):
    from bscb.core.models import WorkerHeartbeat

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    WorkerHeartbeat.beat("worker-1")
    client = Client()
    client.get(URL)  # the migration files, read once per process
    with django_assert_num_queries(3):  # SELECT 1, the migrations applied, the newest heartbeat
        response = client.get(URL)
    assert checks(response)["checks"]["worker"] == "ok"
