"""Security pieces the settings point at: the content security policy's one admin exception,
sign-out everywhere, the answer when the database is down, the guard on every request and
the caching rule for public and private pages."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import time
from urllib.parse import unquote

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.auth import logout
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
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
    request.session[REFRESHED_AT] = int(time.time())


REFRESHED_AT = "bscb_refreshed_at"


class SessionRefreshMiddleware:
    """Slides a session's idle expiry by writing it back at most once a minute.

    Django's SESSION_SAVE_EVERY_REQUEST wrote the session row (and sent the cookie) on every
    request: an UPDATE and a commit per page, which serialised staff pages under load. A
    session is now saved when it changed or when its last save is SESSION_REFRESH_SECONDS
    old; its expiry (database row and cookie alike) is set at each save, so a session ends
    at most SESSION_COOKIE_AGE after the last request, never later.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - session.get(REFRESHED_AT, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[REFRESHED_AT] = now  # marks it changed: SessionMiddleware saves it
        return response


class SignOutEverywhereMiddleware:
    """Ends a session that began before its user chose to sign out everywhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            from bscb.core.models import SignOut

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


# C0 controls (NUL included), DEL and the C1 controls: never part of an address or a search.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
ALLOWED_METHODS = ("GET", "HEAD", "POST")


def without_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub(" ", text)


class RequestGuardMiddleware:
    """Refuses what no page of the site answers, before anything (a stored page included) answers.

    An unknown host is refused (400) as the live pages refuse it; methods other than
    GET, HEAD and POST get 405 with no page body (TRACE and OPTIONS included: the site
    offers no cross-origin use); control characters in the address or the query string
    get 400, and a cookie holding one is ignored, so no view or database sees them
    (PostgreSQL refuses NUL in text).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.get_host()  # DisallowedHost: Django answers 400 and logs it as a security event
        if request.method not in ALLOWED_METHODS:
            response = HttpResponseNotAllowed(ALLOWED_METHODS)
            response["Content-Type"] = "text/plain; charset=utf-8"
            return response
        # A cookie may carry NUL as an octal escape ("\000"): such a cookie is ignored.
        request.COOKIES = {
            name: value
            for name, value in request.COOKIES.items()
            if not CONTROL_CHARACTERS.search(name + value)
        }
        query = unquote(request.META.get("QUERY_STRING", ""), errors="replace")
        if CONTROL_CHARACTERS.search(query) or CONTROL_CHARACTERS.search(request.path_info):
            return HttpResponseBadRequest(
                "The address holds control characters.", content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)


PRIVATE_PATHS = ("/admin/", "/workspace/", "/accounts/")


class CacheControlMiddleware:
    """Public pages may be kept by browsers and proxies for a short while; nothing signed in may.

    Placed outside the stored-page middleware, so stored pages get the header too. A
    response that sets a cookie, or answers someone with a session, is private; a
    header a view set itself for an anonymous reader (a download's no-store, a static
    file's long life) is kept.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = (
            request.path_info.startswith(PRIVATE_PATHS)
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or bool(response.cookies)
            or (user is not None and user.is_authenticated)
        )
        if signed_in:
            response["Cache-Control"] = "private, no-store"
        elif (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.has_header("Cache-Control")
        ):
            response["Cache-Control"] = f"public, max-age={settings.PUBLIC_CACHE_SECONDS}"
        return response


def client_address(request) -> str | None:
    """The reader's address, for sign-in lockouts (django-axes' AXES_CLIENT_IP_CALLABLE).

    With TRUSTED_PROXY_COUNT (env AXES_PROXY_COUNT) proxies in front (nginx: 1), the reader is the N-th
    address from the right of X-Forwarded-For: each proxy appends the address it saw
    ($proxy_add_x_forwarded_for), so whatever a browser forges sits further left. With no
    proxy, or fewer entries than proxies (a request that did not pass through them all),
    the address that connected."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if count > 0 and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
