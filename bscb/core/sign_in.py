"""One sign-in page for everyone, and the pages where a person sets up their second factor.

django-two-factor-auth's views, with the project's form, templates and
issuer. The password step is Django's authenticate(), so django-axes counts
failures and locks out here as it did on the plain sign-in form.
"""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from two_factor import views as two_factor_views
from two_factor.forms import AuthenticationTokenForm
from two_factor.utils import default_device, get_otpauth_url, totp_digits

from bscb.core.forms import SignInForm
from bscb.core.roles import landing_page, needs_second_factor


def _with_next(url_name: str, next_url: str) -> str:
    return (
        f"{reverse(url_name)}?{urlencode({'next': next_url}, safe='/')}"
        if next_url
        else reverse(url_name)
    )


def second_factor_redirect(request, next_url: str):
    """Where a password-only session goes when the page needs two factors.

    Without a device yet, to set one up (not locked out); with one, back to
    the sign-in page to give its code.
    """
    if not user_has_device(request.user, confirmed=True):
        return redirect(_with_next("two_factor:setup", next_url))
    return redirect_to_login(next_url)


CODE_MESSAGES = {
    "token_required": "Enter the code from your authenticator app",
    "invalid_token": "The code is not right: enter the code your app shows now, or a backup code",
}
SET_UP_MESSAGES = {
    "invalid_token": "The code is not right: enter the 6-digit code your app shows now",
}


def _without_autofocus(form):
    # The first Tab on every page must reach the skip link.
    for field in form.fields.values():
        field.widget.attrs.pop("autofocus", None)
    return form


class AnyAppTokenForm(AuthenticationTokenForm):
    """The code step: a code from any of the person's confirmed authenticator apps.

    two_factor checks only the device it chose; an app added in the admin has
    its own name and may sit beside another.
    """

    def _verify_token(self, user, token, device=None):
        others = TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update()
        for other in others.exclude(pk=getattr(device, "pk", None)):
            if other.verify_is_allowed()[0] and other.verify_token(token):
                return other
        return super()._verify_token(user, token, device)


class SignInView(two_factor_views.LoginView):
    """Password, then (for anyone with a device) the code from it or a backup code.

    "Has a device" is any confirmed device, whatever its name: two_factor's
    default_device() knows only one called "default".
    """

    template_name = "registration/login.html"
    form_list = (
        (two_factor_views.LoginView.AUTH_STEP, SignInForm),
        *two_factor_views.LoginView.form_list[1:],
    )

    def has_token_step(self):
        user = self.get_user()  # False until the password is given
        return bool(user) and user_has_device(user, confirmed=True) and not self.remember_agent

    def has_backup_step(self):
        return self.has_token_step() and self.TOKEN_STEP not in self.storage.validated_step_data

    condition_dict = {
        two_factor_views.LoginView.TOKEN_STEP: has_token_step,
        two_factor_views.LoginView.BACKUP_STEP: has_backup_step,
    }

    def get_device(self, step=None):
        if not self.device_cache and step != self.BACKUP_STEP:
            user = self.get_user()
            self.device_cache = (
                default_device(user)
                or TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
                or next(devices_for_user(user, confirmed=True), None)
            )
        return super().get_device(step)

    def get_form_list(self):
        # two_factor's get_form() would put its own form here, which checks one device only.
        form_list = super().get_form_list().copy()
        if self.TOKEN_STEP in form_list:
            form_list[self.TOKEN_STEP] = AnyAppTokenForm
        return form_list

    def get_form(self, step=None, **kwargs):
        form = _without_autofocus(super().get_form(step, **kwargs))
        if "otp_token" in form.fields:
            backup = (step or self.steps.current) == self.BACKUP_STEP
            form.fields["otp_token"].label = "Backup code" if backup else "Code from your app"
            form.otp_error_messages = {**form.otp_error_messages, **CODE_MESSAGES}
        return form

    def get_success_url(self):
        # A safe `next` first; without one, the person's own landing page, not one for all.
        return self.get_redirect_url() or landing_page(self.request.user)

    def done(self, form_list, **kwargs):
        response = super().done(form_list, **kwargs)
        user = self.request.user
        if needs_second_factor(user) and not user_has_device(user, confirmed=True):
            return redirect(_with_next("two_factor:setup", self.get_success_url()))
        return response


class SetUpView(two_factor_views.SetupView):
    """An authenticator app, added by scanning a QR code and typing one code from it.

    Only for someone with no device, or whose session the code of one verified:
    a password alone must not add a second one.
    """

    template_name = "two_factor/set_up.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if (
            user.is_authenticated
            and user_has_device(user, confirmed=True)
            and not user.is_verified()
        ):
            return redirect("two_factor:profile")
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, step=None, **kwargs):
        form = _without_autofocus(super().get_form(step, **kwargs))
        if "token" in form.fields:
            field = form.fields["token"]
            field.label = "Code from your app"
            # GOV.UK asks codes in a text input with a numeric keyboard, not a number input.
            field.widget = forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "autocomplete": "one-time-code",
                    "spellcheck": "false",
                }
            )
            form.error_messages = {**form.error_messages, **SET_UP_MESSAGES}
        return form

    def get_success_url(self):
        return _with_next("two_factor:setup_complete", self.get_redirect_url())

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        if "secret_key" in context:
            context["otpauth_url"] = get_otpauth_url(
                self.request.user.get_username(),
                context["secret_key"],
                settings.OTP_TOTP_ISSUER,
                totp_digits(),
            )
        return context


class SetUpCompleteView(two_factor_views.SetupCompleteView):
    template_name = "two_factor/set_up_complete.html"

    def get(self, request, *args, **kwargs):
        # The library would jump straight on to a "next" kept in the session; the
        # page offers backup codes first, then a link on.
        return super(two_factor_views.SetupCompleteView, self).get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        next_url = self.request.GET.get("next", "")
        safe = url_has_allowed_host_and_scheme(
            next_url,
            allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure(),
        )
        return {**super().get_context_data(**kwargs), "next": next_url if safe else ""}


class QRCodeView(two_factor_views.QRGeneratorView):
    def get_issuer(self):
        return settings.OTP_TOTP_ISSUER


class BackupCodesView(two_factor_views.BackupTokensView):
    template_name = "two_factor/backup_codes.html"


class TwoFactorView(two_factor_views.ProfileView):
    template_name = "two_factor/profile.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "required": needs_second_factor(self.request.user),
        }
