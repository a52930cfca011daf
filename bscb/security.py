"""Security pieces the settings point at: the content security policy's one admin exception,
sign-out everywhere, and the answer when the database is down."""

from __future__ import annotations

import base64
import hashlib
import logging

from csp.middleware import CSPMiddleware
from django.contrib.auth import logout
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger(__name__)

# django-import-export's export page has one inline handler. The admin's only exception
# to the site's policy is that handler's hash, on that page alone.
EXPORT_HANDLER = "onSelectToggleChange(event)"
EXPORT_HANDLER_HASH = (
    f"'sha256-{base64.b64encode(hashlib.sha256(EXPORT_HANDLER.encode()).digest()).decode()}'"
)


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith("/admin/") and request.path.endswith("/export/"):
            parts.update = {
                **(parts.update or {}),
                "script-src": ["'unsafe-hashes'", EXPORT_HANDLER_HASH],
            }
        return parts


SIGNED_IN_AT = "bscb_signed_in_at"


def remember_sign_in(sender, request, user, **kwargs):
    """Connected to user_logged_in: note when this session signed in."""
    request.session[SIGNED_IN_AT] = timezone.now().isoformat()


class SignOutEverywhereMiddleware:
    """Ends a session that began before its user chose to sign out everywhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            from bscb.models import SignOut

            cut_off = SignOut.objects.filter(user=user).values_list("at", flat=True).first()
            started = request.session.get(SIGNED_IN_AT)
            if cut_off and (started is None or started < cut_off.isoformat()):
                logout(request)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A plain 503 with Retry-After when the database cannot be reached, never a 500.

    Every write runs in a transaction (the admin's pages, the workspace's views,
    the services), so nothing is half-saved; Django reconnects on the next
    request once the database is back (CONN_HEALTH_CHECKS).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError) as error:
            return self.unavailable(request, error)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)) or (
            isinstance(exception, DatabaseError) and "connection" in str(exception).lower()
        ):
            return self.unavailable(request, exception)
        return None

    @staticmethod
    def unavailable(request, error):
        logger.error("Database unavailable for %s: %s", request.path, error)
        back_office = request.path.startswith(("/admin/", "/workspace/", "/accounts/"))
        body = render_to_string(
            "503.html", {"back_office": back_office, "write": request.method not in ("GET", "HEAD")}
        )
        response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
        response["Retry-After"] = "60"
        return response
