"""What several app servers share, chosen by the environment: media on a shared filesystem or an
S3-compatible store (django-storages), and the editions' identity in the database or a shared
cache (Redis through Django's cache framework).

No S3 store runs here: the tests check that the configuration builds the backend it names
(a fresh process, as a server starts), never a fake server. The shared cache is the real
Redis on 127.0.0.1:6379 (this machine kind starts one; the test is skipped, saying so, where
none answers), under a key prefix of its own.
"""

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db.models import Count, Max
from django.test import Client

from bscb.core.models import ReportingPeriod
from bscb.reports.editions import GENERATION_KEY, current_generation, period_publish
from bscb.reports.models import Edition
from tests.process_env import fresh_environment

ROOT = Path(__file__).resolve().parents[2]

SHOW = """
import json
import django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
default_storage = storages["default"]
from django.core.cache import caches
cache = caches["default"]
print(json.dumps({
    "storage": type(default_storage).__module__ + "." + type(default_storage).__name__,
    "bucket": getattr(default_storage, "bucket_name", None),
    "url": default_storage.url("editions/2018-19-edition-1.pdf"),
    "cache": type(cache).__module__ + "." + type(cache).__name__,
    "shared": settings.EDITIONS_SHARED_CACHE,
}))
"""


def configured(**env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env=fresh_environment(
            DJANGO_SETTINGS_MODULE="bscb.settings", SECRET_KEY="tests-only", **env
        ),
        capture_output=True,
        text=True,
    )


def test_media_are_on_the_shared_filesystem_and_editions_known_from_the_database_by_default():
    done = configured()
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["storage"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert found["url"] == "/media/editions/2018-19-edition-1.pdf"
    assert found["shared"] is False


def test_an_s3_compatible_store_is_chosen_by_configuration():
    done = configured(
        MEDIA_STORAGE="s3",
        S3_BUCKET="board-media",
        S3_ENDPOINT_URL="https://objects.example.org",
        AWS_ACCESS_KEY_ID="not-a-real-key",
        AWS_SECRET_ACCESS_KEY="not-a-real-secret",
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["storage"] == "storages.backends.s3.S3Storage"
    assert found["bucket"] == "board-media"
    # Private files: a link signed for a short while, on the configured store.
    assert found["url"].startswith("https://objects.example.org/board-media/media/editions/")
    assert "Signature=" in found["url"] and "Expires=" in found["url"]


def test_a_store_named_wrongly_or_without_its_bucket_stops_the_server():
    assert "needs S3_BUCKET" in configured(MEDIA_STORAGE="s3").stderr
    assert "MEDIA_STORAGE must be" in configured(MEDIA_STORAGE="ftp").stderr


def test_a_redis_cache_is_configured_from_cache_url():
    done = configured(CACHE_URL="redis://127.0.0.1:6379/3")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert found["shared"] is True
    assert "must be a redis://" in configured(CACHE_URL="memcached://127.0.0.1").stderr


REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def shared_cache(settings):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis answers at {REDIS}")
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": f"bscb-test-{uuid.uuid4().hex}",
        },
    }
    settings.EDITIONS_SHARED_CACHE = True
    # Never clear(): on Redis it empties the whole database, other users' keys too.
    yield caches["default"]
    caches["default"].delete(GENERATION_KEY)


def test_with_a_shared_cache_a_reader_costs_no_query_and_publishing_replaces_the_token(
    shared_cache, year, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        period_publish(period=year, accept_missing=True)
    page = f"/{year.slug}/"
    reader = Client()
    reader.get(page)
    with django_assert_num_queries(0):
        assert reader.get(page).status_code == 200
    before = current_generation()
    with django_capture_on_commit_callbacks(execute=True):
        period_publish(period=year, accept_missing=True, note="Again")
    assert current_generation() != before
    # A cache that lost the token (restarted) gets a new one: every process asks again.
    shared_cache.delete(GENERATION_KEY)
    assert current_generation() not in (before, None)


def test_without_a_shared_cache_the_database_says_which_editions_are_current(
    year, django_capture_on_commit_callbacks
):
    empty = current_generation()
    period_publish(period=year, accept_missing=True)
    # No callback has run: the committed row alone changes what every server sees.
    first = current_generation()
    assert first != empty
    second = period_publish(period=year, accept_missing=True, note="Again")
    assert current_generation() not in (empty, first)
    # Withdrawn with nothing in its place: no edition is current, as before the first one.
    year.editions.filter(pk=second.pk).update(is_current=False, is_withdrawn=True)
    assert current_generation() == empty


def test_the_identity_asks_the_current_edition_rule_itself(year):
    """Its SQL is made once from Edition.objects.current(): every state the rule knows
    (published, a period taken back to draft, withdrawn) gives the rule's own answer."""

    def by_the_rule():
        row = Edition.objects.current().aggregate(count=Count("pk"), newest=Max("pk"))
        return ("database", row["count"], row["newest"])

    assert current_generation() == by_the_rule() == ("database", 0, None)
    edition = period_publish(period=year, accept_missing=True)
    assert current_generation() == by_the_rule() == ("database", 1, edition.pk)
    ReportingPeriod.objects.filter(pk=year.pk).update(status=ReportingPeriod.Status.DRAFT)
    assert current_generation() == by_the_rule() == ("database", 0, None)
    ReportingPeriod.objects.filter(pk=year.pk).update(status=ReportingPeriod.Status.PUBLISHED)
    Edition.objects.filter(pk=edition.pk).update(is_withdrawn=True)
    assert current_generation() == by_the_rule() == ("database", 0, None)
