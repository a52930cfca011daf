"""Signing in through the one sign-in page as a browser does: the password, then the code."""

from urllib.parse import urlencode

from django.urls import reverse
from django_otp.oath import totp

# django-formtools names the wizard's step field after the view (bscb.core.sign_in.SignInView).
STEP = "sign_in_view-current_step"


def login_url(next_url: str = "") -> str:
    return reverse("login") + (f"?{urlencode({'next': next_url}, safe='/')}" if next_url else "")


def give_password(client, username, password, *, next_url=""):
    return client.post(
        login_url(next_url), {STEP: "auth", "auth-username": username, "auth-password": password}
    )


def give_code(client, code, *, next_url="", backup=False):
    step = "backup" if backup else "token"
    return client.post(login_url(next_url), {STEP: step, f"{step}-otp_token": code})


def code_now(device) -> str:
    """What the person's authenticator app shows now, computed from the device's key."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"
