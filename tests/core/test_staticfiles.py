"""Static files' addresses in production come from collectstatic's manifest, looked up once."""

import json

import pytest

from bscb.core.staticfiles import ManifestStaticFilesStorage


@pytest.fixture
def collected(tmp_path, settings):
    settings.DEBUG = False
    (tmp_path / "staticfiles.json").write_text(
        json.dumps(
            {
                "version": "1.1",
                "paths": {"admin/img/icon-yes.svg": "admin/img/icon-yes.abc123.svg"},
                "hash": "x",
            }
        )
    )
    return ManifestStaticFilesStorage(location=tmp_path, base_url="/static/")


def test_a_static_file_is_served_at_its_hashed_name_every_time_it_is_asked_for(collected):
    assert collected.url("admin/img/icon-yes.svg") == "/static/admin/img/icon-yes.abc123.svg"
    assert collected.url("admin/img/icon-yes.svg") == "/static/admin/img/icon-yes.abc123.svg"


def test_a_file_collectstatic_did_not_collect_fails_every_time_it_is_asked_for(collected):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            collected.url("bscb/missing.css")
