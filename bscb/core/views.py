"""Views of the site's plumbing, not of the report: signing out everywhere, the 500 page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone


@login_required
def account_security(request):
    """Sign out everywhere: every session of this account, on every device, ends."""
    from django.contrib.auth import logout

    from bscb.core.models import SignOut

    if request.method == "POST":
        SignOut.objects.update_or_create(user=request.user, defaults={"at": timezone.now()})
        logout(request)
        return redirect("login")
    return render(request, "registration/security.html")


def server_error(request):
    """Any uncaught error: a 503 when the database is out of reach (it will be back), else a 500."""
    import sys

    from django.db import InterfaceError, OperationalError
    from django.template.loader import render_to_string

    from bscb.core.security import DatabaseUnavailableMiddleware

    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        return DatabaseUnavailableMiddleware.unavailable(request, error)
    return HttpResponse(
        render_to_string("500.html"), status=500, content_type="text/html; charset=utf-8"
    )
