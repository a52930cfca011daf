"""Structured logs: one JSON object a line, and one line a request.

`LOG_FORMAT=json` (the default unless DEBUG) writes each record as a JSON object with
`time` (UTC, ISO 8601), `level`, `logger` and `message`, then the record's own fields.
What may carry a secret never reaches a line: a field is kept only when its value is a
plain string, number, boolean or null (Django passes the request object itself as
`request`; its text holds the query string, where a token may travel), and a request is
described by its method and path alone: no query string, no headers, no cookies, no body,
and a token carried in the path itself (the link that stops a digest, a password reset
link) is replaced by "[redacted]", in the path and in the message.
"""

from __future__ import annotations

import datetime
import functools
import logging
import logging.config
import re
import time

from django.utils.functional import SimpleLazyObject, empty
from pythonjsonlogger.json import JsonFormatter as LibraryJsonFormatter

from bscb.core.health import PATH as HEALTH_PATH

request_logger = logging.getLogger("bscb.request")

PLAIN = (str, int, float, bool, type(None))
# Parts of an address that are secrets: a URL pattern's keyword arguments of these names.
SECRET_URL_PARTS = frozenset({"token", "uidb64"})
REDACTED = "[redacted]"


def redact(request, text: str) -> str:
    match = getattr(request, "resolver_match", None)
    for name, value in match.kwargs.items() if match else ():
        if name in SECRET_URL_PARTS and value:
            text = text.replace(str(value), REDACTED)
    # An address no pattern matched (a 404, the slash a redirect appends, another case) may
    # carry a token all the same: whatever follows a secret route's start goes too.
    return secret_addresses().sub(lambda m: f"{m.group(1)}{REDACTED}/", text)


@functools.cache
def secret_route_starts() -> tuple[str, ...]:
    """The literal start of each URL pattern with a secret part, read from the URL
    configuration: "emails/stop-digest/", "accounts/reset/". deploy/nginx.conf redacts the
    same (tests/core/test_logs.py compares)."""
    from django.urls import URLResolver, get_resolver

    starts = set()

    def walk(patterns, route):
        for pattern in patterns:
            here = route + str(pattern.pattern).lstrip("^")
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, here)
                continue
            names = set(getattr(pattern.pattern, "converters", {})) | set(
                pattern.pattern.regex.groupindex
            )
            if names & SECRET_URL_PARTS:
                start = re.split(r"[<(\[?*+.$]", here, maxsplit=1)[0]
                if start:
                    starts.add(start)

    walk(get_resolver().url_patterns, "")
    return tuple(sorted(starts))


@functools.cache
def secret_addresses() -> re.Pattern:
    """A secret route's start anywhere in a text (whatever the case) and what follows it up
    to the next space."""
    starts = "|".join(re.escape(start) for start in secret_route_starts())
    return re.compile(rf"({starts})\S*", re.IGNORECASE) if starts else re.compile(r"(?!)")


def request_fields(request) -> dict[str, object]:
    """What a log line may say about a request: its method and its path, never the query."""
    path = getattr(request, "path", None)
    return {
        "method": getattr(request, "method", None),
        "path": redact(request, path) if path else path,
    }


class RedactSecretsFilter(logging.Filter):
    """Takes a token in a request's path out of the message, in every format (on the handler)."""

    def filter(self, record):
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "method"):
            message = record.getMessage()
            redacted = redact(request, message)
            if redacted != message:
                record.msg, record.args = redacted, ()
        return True


class JsonFormatter(LibraryJsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        super().__init__(["levelname", "name", "message"], *args, **kwargs)

    def add_fields(self, log_data, record, message_dict):
        # The time first, so that a line reads in order; UTC, to the millisecond.
        moment = datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
        log_data["time"] = moment.isoformat(timespec="milliseconds")
        super().add_fields(log_data, record, message_dict)
        request = log_data.pop("request", None)
        if request is not None and hasattr(request, "method"):
            for key, value in request_fields(request).items():
                log_data.setdefault(key, value)
        for key in list(log_data):
            if not isinstance(log_data[key], PLAIN):
                del log_data[key]


# Control characters a message may carry from outside (an address with %0a, %0d or
# %1b): written as escapes, so that one record is one line and no line is forged.
CONTROL_ESCAPES = {
    code: {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(
        chr(code), f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    )
    for code in [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029]
}


class TextFormatter(logging.Formatter):
    """Plain lines for people (LOG_FORMAT=text), with control characters in the message
    escaped as JSON lines escape them; a traceback still follows on its own lines."""

    def formatMessage(self, record):
        record.message = record.message.translate(CONTROL_ESCAPES)
        return super().formatMessage(record)


def configure_logging(config: dict) -> None:
    """settings.LOGGING_CONFIG: the LOGGING dict, and Python's warnings through it too.

    Django no longer routes warnings into logging; without this a warning would be the one
    line of standard error that is not JSON.
    """
    logging.config.dictConfig(config)
    logging.captureWarnings(True)


def signed_in_user_id(request) -> int | None:
    """The user's id when the request already asked who it is; never a query of its own.

    A page that never looked at the user (a stored edition page, a static file) stays
    that way: reading `request.user` here would load the session and the user.
    """
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return None
    return user.pk if user is not None and user.is_authenticated else None


class RequestLogMiddleware:
    """One line a request (method, path, status, duration in ms, user id), outermost.

    A healthy `/healthz` is left out: a load balancer asks it every few seconds, and
    its failures are logged by the health check itself (bscb/core/health.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        if request.path_info == HEALTH_PATH and response.status_code == 200:
            return response
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        fields = {
            **request_fields(request),
            "status": response.status_code,
            "duration_ms": duration_ms,
            "user_id": signed_in_user_id(request),
        }
        request_logger.info(
            "%s %s %s %.1f ms",
            fields["method"],
            fields["path"],
            fields["status"],
            duration_ms,
            extra=fields,
        )
        return response
