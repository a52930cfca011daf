"""Unsubscribing from the weekly digest through the signed link in each digest: no sign-in.

GET only shows a button (mail scanners follow links); POST acts. An altered or expired link
is answered 400 with a message, never an error page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from bscb.core.roles import is_trusted
from bscb.core.sign_in import second_factor_redirect
from bscb.notices.forms import PreferencesForm
from bscb.notices.send import unsubscribe_from_digests, user_from_token


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request):
    """A signed-in person chooses how they take each email."""
    if not is_trusted(request.user):
        return second_factor_redirect(request, request.get_full_path())
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your choices are saved.")
        return redirect("notices_preferences")
    return render(request, "notices/preferences.html", {"form": form})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    user = user_from_token(token)
    if user is None:
        return render(request, "notices/unsubscribe_refused.html", status=400)
    if request.method == "POST":
        unsubscribe_from_digests(user)
        return render(request, "notices/unsubscribed.html", {"person": user})
    return render(request, "notices/unsubscribe.html", {"person": user, "token": token})
