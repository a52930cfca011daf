"""Nobody in who should not be: lockout, two-factor sign-in, sessions, headers, deploy checks."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.process_env import fresh_environment
from tests.sign_in import give_password

ROOT = Path(__file__).resolve().parents[2]
User = get_user_model()


@pytest.fixture
def officer(support_officer):
    support_officer.set_password("a long demo password")
    support_officer.save()
    return support_officer


def sign_in(client, username, password):
    return give_password(client, username, password)


def test_five_failed_sign_ins_lock_the_account_with_a_clear_message(client, officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert (
            "Please enter a correct username and password"
            in sign_in(client, "sam", "wrong").content.decode()
        )
    assert sign_in(client, "sam", "wrong").status_code == 429  # the fifth failure locks
    locked = sign_in(client, "sam", "a long demo password")
    assert locked.status_code == 429
    assert "Sign-in is locked for an hour" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_staff_member_signed_in_without_a_code_cannot_reach_the_back_office(
    client, officer, settings
):
    settings.OTP_REQUIRED_FOR_STAFF = True
    client.force_login(officer)  # a password alone
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("workspace:home")).status_code == 302


def test_passwords_must_be_strong(client, officer):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["password123", "12345678901234", "short"]:
        with pytest.raises(ValidationError):
            validate_password(weak, officer)


def test_sessions_end_after_thirty_idle_minutes(settings):
    # Their expiry slides at most once a minute (tests/security/test_session_writes.py).
    assert settings.SESSION_COOKIE_AGE == 1800 and settings.SESSION_REFRESH_SECONDS == 60


def test_sign_out_everywhere_ends_every_session(officer):
    laptop, phone = Client(), Client()
    laptop.force_login(officer)
    phone.force_login(officer)
    assert phone.get(reverse("workspace:home")).status_code == 200
    laptop.post(reverse("account_security"))
    assert phone.get(reverse("workspace:home")).status_code == 302
    assert laptop.get(reverse("workspace:home")).status_code == 302
    fresh = Client()
    fresh.force_login(officer)  # signing in again afterwards works
    assert fresh.get(reverse("workspace:home")).status_code == 200


def csp_of(response) -> dict:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def test_a_strict_content_security_policy_on_public_and_workspace_pages(
    client, year, support_officer
):
    for url in [
        "/",
        reverse("search"),
        reverse("period_detail", args=[year.slug]),
        reverse("login"),
    ]:
        response = client.get(url)
        policy = csp_of(response)
        assert policy["default-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
    client.force_login(support_officer)
    assert "'unsafe-inline'" not in client.get(reverse("workspace:home"))["Content-Security-Policy"]


def test_the_admins_one_exception_is_narrow(client, support_officer):
    client.force_login(support_officer)
    admin_page = client.get(reverse("admin:meetings_meeting_changelist"))
    assert "unsafe" not in admin_page["Content-Security-Policy"]
    export = client.get(reverse("admin:funding_contribution_export"))
    script_src = csp_of(export)["script-src"]
    assert "'unsafe-hashes'" in script_src and "'unsafe-inline'" not in script_src


def test_no_template_has_inline_script_or_style():
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        if template.name == "503.html":
            continue
        text = template.read_text()
        if (
            re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", text)
            or re.search(r"\sstyle=\"", text)
            or ("<style" in text and "print.html" not in template.name)
        ):
            offenders.append(str(template.relative_to(ROOT)))
    assert offenders == []


def test_check_deploy_passes_with_production_settings():
    env = fresh_environment(
        SECRET_KEY="r8u!A2qz-Vp7Lw0tK5xYb3Nd9Hc6Ej1Ms4Gf8Ru2Io7Pa5Wk0Ql3Zt6Xv9Bn4Cm1",
        ALLOWED_HOSTS="report.example.org",
        DATABASE_URL="sqlite:////tmp/bscb-deploy-check.sqlite3",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def through_nginx(reader: str, forged: str = "") -> Client:
    """A browser at `reader` behind nginx, which appends the address it saw to whatever
    X-Forwarded-For the browser sent ($proxy_add_x_forwarded_for) and connects from 127.0.0.1."""
    seen = f"{forged}, {reader}" if forged else reader
    return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=seen)


def recorded_addresses() -> set[str]:
    from axes.models import AccessAttempt

    return set(AccessAttempt.objects.values_list("ip_address", flat=True))


def test_behind_one_proxy_a_forged_forwarded_address_does_not_escape_the_lockout(officer, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # An attacker at 203.0.113.7 sends a new made-up address each time.
    for number in range(settings.AXES_FAILURE_LIMIT):
        sign_in(through_nginx("203.0.113.7", forged=f"10.0.0.{number}"), "sam", "wrong")
    assert recorded_addresses() == {"203.0.113.7"}
    locked = sign_in(through_nginx("203.0.113.7", forged="10.9.9.9"), "sam", "a long demo password")
    assert locked.status_code == 429


def test_behind_one_proxy_two_readers_are_told_apart(officer, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(through_nginx("203.0.113.7"), "sam", "wrong")
    # Sam, at another address behind the same nginx, is not locked out by the attacker.
    sam = through_nginx("198.51.100.9")
    assert sign_in(sam, "sam", "a long demo password").status_code == 302
    assert recorded_addresses() == {"203.0.113.7"}


def test_with_no_proxy_the_forwarded_header_is_not_believed(officer, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    sign_in(Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.0.0.1"), "sam", "wrong")
    # Fewer entries than proxies (a request that reached the app around nginx): its own address.
    settings.TRUSTED_PROXY_COUNT = 2
    sign_in(Client(REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="10.0.0.2"), "sam", "wrong")
    assert recorded_addresses() == {"203.0.113.7", "198.51.100.9"}


def test_the_readme_says_what_the_proxy_count_means():
    readme = (ROOT / "README.md").read_text()
    (row,) = [line for line in readme.splitlines() if line.startswith("| `AXES_PROXY_COUNT`")]
    assert "X-Forwarded-For" in row and "scripts/serve.py" in row
