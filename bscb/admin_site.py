from django.conf import settings
from django.contrib.admin import AdminSite
from django_otp.forms import OTPAuthenticationForm


class OTPAdminAuthenticationForm(OTPAuthenticationForm):
    """The back office's sign-in form with the time-based code, for staff only."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_staff:
            from django.core.exceptions import ValidationError

            raise ValidationError("This account cannot use the back office.", code="not_staff")


class BoardAdminSite(AdminSite):
    """The back office. With OTP_REQUIRED_FOR_STAFF, staff need a verified time-based code too."""

    site_header = "Board business: back office"
    site_title = "Back office"
    index_title = "Records of the board and its groups"

    def has_permission(self, request):
        allowed = super().has_permission(request)
        if allowed and settings.OTP_REQUIRED_FOR_STAFF:
            return request.user.is_verified()
        return allowed

    def login(self, request, extra_context=None):
        self.login_form = OTPAdminAuthenticationForm if settings.OTP_REQUIRED_FOR_STAFF else None
        return super().login(request, extra_context)
