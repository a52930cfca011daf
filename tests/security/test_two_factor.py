"""Two-factor sign-in: one sign-in page asks a password, then a code from the person's phone.

Sam of the support team and Cara, chair of Child Exploitation, sign in with
both. Someone who has only a password (a phished one, or a session from the
password step) reaches no draft, no live preview, no draft PDF, no back
office and no workspace while two factors are required. With the settings
off (development, the demo) a password is enough, as before.
"""

import datetime
from base64 import b32decode

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from bscb.reports.editions import period_publish
from meetings.models import Meeting
from tests.sign_in import give_code, give_password, login_url

PASSWORD = "a long demo password"
CHAIR_PASSWORD = "a long chair password 42"


@pytest.fixture
def two_factors_required(settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    settings.OTP_REQUIRED_FOR_CHAIRS = True


@pytest.fixture
def sam(support_officer):
    return support_officer


@pytest.fixture
def cara(exploitation):
    chair = get_user_model().objects.create_user("cara", password=CHAIR_PASSWORD)
    exploitation.chairs.add(chair)
    return chair


def phone_of(user) -> TOTPDevice:
    """The authenticator app on the person's phone, as set up through the setup page."""
    return TOTPDevice.objects.create(user=user, name="default", confirmed=True)


def code_from(device) -> str:
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows retries after a wrong code; this try is a new minute
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# The one sign-in page


def test_the_admin_sign_in_leads_to_the_one_sign_in_page_which_asks_for_the_code_second(
    client, sam, two_factors_required
):
    phone_of(sam)
    admin_login = client.get(reverse("admin:login"), {"next": "/admin/"})
    assert admin_login.status_code == 302
    assert admin_login.url == login_url("/admin/")
    first = client.get(admin_login.url).content.decode()
    assert 'name="auth-password"' in first and "otp_token" not in first
    second = give_password(client, "sam", PASSWORD, next_url="/admin/")
    assert second.status_code == 200 and not signed_in(client)
    page = second.content.decode()
    assert "Enter the code from your app" in page
    assert 'name="token-otp_token"' in page


def test_a_support_officer_signs_in_with_password_and_code_and_reaches_the_back_office(
    client, sam, two_factors_required
):
    device = phone_of(sam)
    give_password(client, "sam", PASSWORD, next_url="/admin/")
    response = give_code(client, code_from(device), next_url="/admin/")
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("workspace:home")).status_code == 200


def test_a_chair_signs_in_with_password_and_code_and_reaches_the_workspace(
    client, cara, two_factors_required
):
    device = phone_of(cara)
    give_password(client, "cara", CHAIR_PASSWORD)
    assert not signed_in(client)
    response = give_code(client, code_from(device))
    assert response.status_code == 302 and response.url == reverse("workspace:home")
    assert client.get(reverse("workspace:group", args=["child-exploitation"])).status_code == 200


def test_staff_who_sign_in_with_no_next_page_land_in_the_back_office(
    client, sam, two_factors_required
):
    device = phone_of(sam)
    give_password(client, "sam", PASSWORD)
    response = give_code(client, code_from(device))
    assert response.status_code == 302 and response.url == reverse("admin:index")


def test_board_members_who_are_staff_land_in_the_workspace_not_the_back_office(
    client, board_reader, two_factors_required
):
    """The demo makes board members staff (they read the back office); their place is still
    the workspace: only those who keep the records land in the back office."""
    assert board_reader.is_staff
    device = phone_of(board_reader)
    give_password(client, "bea", PASSWORD)
    response = give_code(client, code_from(device))
    assert response.status_code == 302 and response.url == reverse("workspace:home")


def test_a_superuser_lands_in_the_back_office(client, settings, db):
    settings.OTP_REQUIRED_FOR_STAFF = False
    get_user_model().objects.create_superuser("ada", password=PASSWORD)
    assert give_password(client, "ada", PASSWORD).url == reverse("admin:index")


def test_staff_who_asked_for_a_page_land_on_it_and_never_off_the_site(
    client, sam, two_factors_required
):
    device = phone_of(sam)
    give_password(client, "sam", PASSWORD, next_url="/workspace/")
    response = give_code(client, code_from(device), next_url="/workspace/")
    assert response.url == "/workspace/"
    client.logout()
    device.delete()
    elsewhere = "https://elsewhere.example/"
    response = give_password(client, "sam", PASSWORD, next_url=elsewhere)
    # To set up a device first; then on to the back office, never to the other site.
    assert response.url == f"{reverse('two_factor:setup')}?next=/admin/"


def test_staff_with_no_device_yet_go_on_to_the_back_office_once_it_is_set_up(
    client, sam, two_factors_required
):
    response = give_password(client, "sam", PASSWORD)
    assert response.url == f"{reverse('two_factor:setup')}?next=/admin/"


def test_with_a_password_enough_staff_land_in_the_back_office_and_chairs_in_the_workspace(
    client, sam, cara, settings
):
    settings.OTP_REQUIRED_FOR_STAFF = False
    settings.OTP_REQUIRED_FOR_CHAIRS = False
    assert give_password(client, "sam", PASSWORD).url == reverse("admin:index")
    client.logout()
    assert give_password(client, "cara", CHAIR_PASSWORD).url == reverse("workspace:home")


def test_a_wrong_code_is_refused_with_a_message(client, sam, two_factors_required):
    device = phone_of(sam)
    give_password(client, "sam", PASSWORD)
    right = code_from(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = give_code(client, wrong)
    assert response.status_code == 200 and not signed_in(client)
    assert "The code is not right" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_backup_code_works_once(client, sam, two_factors_required):
    phone_of(sam)
    backup = StaticDevice.objects.create(user=sam, name="backup")
    backup.token_set.create(token="kept1234")
    give_password(client, "sam", PASSWORD)
    offered = client.post(login_url(), {"wizard_goto_step": "backup"}).content.decode()
    assert "Enter a backup code" in offered
    assert give_code(client, "kept1234", backup=True).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    client.logout()

    give_password(client, "sam", PASSWORD)
    client.post(login_url(), {"wizard_goto_step": "backup"})
    again = give_code(client, "kept1234", backup=True)
    assert again.status_code == 200 and not signed_in(client)
    assert "The code is not right" in again.content.decode()


def test_failed_passwords_still_lock_the_one_sign_in_page(client, sam, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        give_password(client, "sam", "wrong")
    locked = give_password(client, "sam", PASSWORD, next_url="/admin/")
    assert locked.status_code == 429 and not signed_in(client)


# Setting up a device


def test_someone_with_no_device_is_sent_to_set_one_up_after_their_password(
    client, sam, two_factors_required
):
    response = give_password(client, "sam", PASSWORD, next_url="/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor:setup"))
    assert client.get(reverse("admin:index")).status_code == 302  # not yet verified


def test_a_signed_in_person_sets_up_their_phone_by_scanning_the_qr_code(
    client, cara, two_factors_required
):
    client.force_login(cara)  # signed in with a password, no device yet
    home = client.get(reverse("workspace:home"))
    assert home.status_code == 302 and home.url.startswith(reverse("two_factor:setup"))
    setup_url = home.url
    assert "Set up two-factor sign-in" in client.get(setup_url).content.decode()
    step = client.post(setup_url, {"set_up_view-current_step": "welcome"}).content.decode()
    assert reverse("two_factor:qr") in step
    qr = client.get(reverse("two_factor:qr"))
    assert qr.status_code == 200 and qr["Content-Type"].startswith("image/svg+xml")
    key = client.session["django_two_factor-qr_secret_key"]
    assert key in step  # shown for typing in by hand
    code = f"{totp(b32decode(key)):06d}"

    done = client.post(
        setup_url, {"set_up_view-current_step": "generator", "generator-token": code}
    )
    assert done.status_code == 302
    complete = client.get(done.url).content.decode()
    assert "Two-factor sign-in is set up" in complete
    assert TOTPDevice.objects.filter(user=cara, confirmed=True).count() == 1
    assert client.get(reverse("workspace:home")).status_code == 200  # verified by that code


def test_a_wrong_code_while_setting_up_adds_no_device(client, cara, two_factors_required):
    client.force_login(cara)
    setup_url = reverse("two_factor:setup")
    client.post(setup_url, {"set_up_view-current_step": "welcome"})
    key = client.session["django_two_factor-qr_secret_key"]
    wrong = f"{(totp(b32decode(key)) + 1) % 1_000_000:06d}"
    response = client.post(
        setup_url, {"set_up_view-current_step": "generator", "generator-token": wrong}
    )
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=cara).exists()


def test_a_password_alone_cannot_add_a_second_device_to_an_account_that_has_one(
    client, sam, two_factors_required
):
    phone_of(sam)
    client.force_login(sam)  # the attacker knows the password, not the phone
    assert client.get(reverse("two_factor:setup")).status_code == 302
    client.post(reverse("two_factor:setup"), {"set_up_view-current_step": "welcome"})
    assert TOTPDevice.objects.filter(user=sam).count() == 1
    assert "django_two_factor-qr_secret_key" not in client.session


def test_a_device_not_named_default_still_guards_the_account(client, sam, two_factors_required):
    # An authenticator app added in the admin ("Django OTP") under its own name, not "default".
    iphone = TOTPDevice.objects.create(user=sam, name="iPhone", confirmed=True)

    # The password alone signs no one in: the page asks for the code instead of offering setup.
    asked = give_password(client, "sam", PASSWORD, next_url="/admin/")
    assert asked.status_code == 200 and not signed_in(client)
    assert 'name="token-otp_token"' in asked.content.decode()

    # Nor can a password-only session add a device of its own.
    attacker = type(client)()
    attacker.force_login(sam)
    refused = attacker.get(reverse("two_factor:setup"))
    assert refused.status_code == 302 and not refused.url.startswith(reverse("two_factor:setup"))
    attacker.post(reverse("two_factor:setup"), {"set_up_view-current_step": "welcome"})
    assert "django_two_factor-qr_secret_key" not in attacker.session
    assert list(TOTPDevice.objects.filter(user=sam)) == [iphone]
    assert attacker.get(reverse("admin:index")).status_code == 302

    # The code from that app signs in and verifies the session.
    response = give_code(client, code_from(iphone), next_url="/admin/")
    assert response.status_code == 302 and response.url == "/admin/"
    assert signed_in(client)
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_code_from_any_of_the_persons_apps_signs_in(client, sam, two_factors_required):
    phone_of(sam)
    tablet = TOTPDevice.objects.create(user=sam, name="iPad", confirmed=True)
    give_password(client, "sam", PASSWORD)
    response = give_code(client, code_from(tablet))
    assert response.status_code == 302 and signed_in(client)
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_verified_person_sees_and_renews_their_backup_codes(client, sam, two_factors_required):
    device = phone_of(sam)
    give_password(client, "sam", PASSWORD)
    give_code(client, code_from(device))
    profile = client.get(reverse("two_factor:profile")).content.decode()
    assert "You have 0 backup codes left" in profile
    assert client.post(reverse("two_factor:backup_tokens")).status_code == 302
    first = set(StaticDevice.objects.get(user=sam).token_set.values_list("token", flat=True))
    page = client.get(reverse("two_factor:backup_tokens")).content.decode()
    assert len(first) == 10 and all(code in page for code in first)
    client.post(reverse("two_factor:backup_tokens"))
    renewed = set(StaticDevice.objects.get(user=sam).token_set.values_list("token", flat=True))
    assert len(renewed) == 10 and not renewed & first


def test_backup_codes_are_not_shown_to_a_password_only_session(client, sam, two_factors_required):
    phone_of(sam)
    StaticDevice.objects.create(user=sam, name="backup").token_set.create(token="kept1234")
    client.force_login(sam)
    response = client.get(reverse("two_factor:backup_tokens"))
    assert response.status_code == 302 and "kept1234" not in response.content.decode()


def test_the_two_factor_page_is_linked_from_the_security_page_and_the_headers(client, sam):
    client.force_login(sam)
    profile = reverse("two_factor:profile")
    assert profile in client.get(reverse("account_security")).content.decode()
    assert profile in client.get(reverse("workspace:home")).content.decode()
    assert profile in client.get(reverse("admin:index")).content.decode()


# A session from a password alone


@pytest.fixture
def published_with_later_edit(year, exploitation, sam):
    """A published report whose group page has been edited since: the live page differs."""
    meeting = Meeting.objects.create(group=exploitation, date=datetime.date(2018, 9, 12))
    entry = meeting.entries.create(text="We planned the exploitation workshops.")
    period_publish(period=year, user=sam, accept_missing=True)
    entry.text = "We planned the exploitation workshops and a county lines day."
    entry.save()
    return reverse("group_detail", args=[year.slug, exploitation.slug])


@pytest.fixture
def password_only(client, sam, two_factors_required):
    """Sam's account with a phone, in a session that gave the password but no code."""
    phone_of(sam)
    client.force_login(sam)
    return client


def test_a_password_only_session_gets_404_for_a_draft(password_only, draft_year):
    assert password_only.get(reverse("period_detail", args=[draft_year.slug])).status_code == 404
    assert "2019/20" not in password_only.get(reverse("home")).content.decode()


def test_a_password_only_session_cannot_get_a_drafts_pdf(password_only, draft_year):
    assert password_only.get(reverse("report_pdf", args=[draft_year.slug])).status_code == 404


def test_a_password_only_session_previewing_gets_the_published_page(
    password_only, published_with_later_edit
):
    preview = password_only.get(published_with_later_edit, {"preview": "1"})
    assert preview.status_code == 200
    assert "exploitation workshops." in preview.content.decode()  # the stored page
    assert "county lines" not in preview.content.decode()


def test_a_password_only_session_is_sent_from_the_back_office_to_sign_in(password_only):
    admin = password_only.get(reverse("admin:index"), follow=True)
    assert admin.redirect_chain[-1][0] == login_url("/admin/")
    assert "Sign in" in admin.content.decode()


def test_a_password_only_staff_session_is_sent_from_the_workspace_to_sign_in(password_only):
    workspace = password_only.get(reverse("workspace:home"))
    assert workspace.status_code == 302 and workspace.url == login_url("/workspace/")


def test_a_password_only_staff_session_with_no_device_is_sent_to_set_one_up(
    client, sam, two_factors_required
):
    client.force_login(sam)
    admin = client.get(reverse("admin:index"), follow=True)
    assert admin.redirect_chain[-1][0].startswith(reverse("two_factor:setup"))
    workspace = client.get(reverse("workspace:home"))
    assert workspace.url.startswith(reverse("two_factor:setup"))


def test_a_password_only_chair_session_cannot_open_the_workspace(
    client, cara, two_factors_required
):
    phone_of(cara)
    client.force_login(cara)
    response = client.get(reverse("workspace:group", args=["child-exploitation"]))
    assert response.status_code == 302
    assert response.url == login_url("/workspace/groups/child-exploitation/")


def test_a_verified_staff_session_previews_drafts_and_the_live_report(
    client, sam, draft_year, published_with_later_edit, two_factors_required
):
    device = phone_of(sam)
    give_password(client, "sam", PASSWORD)
    give_code(client, code_from(device))
    assert client.get(reverse("period_detail", args=[draft_year.slug])).status_code == 200
    preview = client.get(published_with_later_edit, {"preview": "1"}).content.decode()
    assert "county lines" in preview and "The public reads the published edition" in preview


def test_with_the_settings_off_a_password_is_enough_as_before(
    client, sam, cara, draft_year, published_with_later_edit, settings
):
    settings.OTP_REQUIRED_FOR_STAFF = False
    settings.OTP_REQUIRED_FOR_CHAIRS = False
    response = give_password(client, "sam", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("admin:index")
    assert client.get(reverse("period_detail", args=[draft_year.slug])).status_code == 200
    draft_pdf = client.get(reverse("report_pdf", args=[draft_year.slug]))
    assert draft_pdf.status_code == 200 and draft_pdf["Content-Type"] == "application/pdf"
    assert (
        "county lines" in client.get(published_with_later_edit, {"preview": "1"}).content.decode()
    )
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("workspace:home")).status_code == 200
    client.logout()
    assert give_password(client, "cara", CHAIR_PASSWORD).status_code == 302
    assert client.get(reverse("workspace:group", args=["child-exploitation"])).status_code == 200
