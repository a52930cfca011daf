"""Unsubscribing from the weekly digest through the signed link in each digest: no sign-in.

GET only shows a button (mail scanners follow links); POST acts. An altered or expired link
is answered 400 with a message, never an error page."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from bscb.notices.send import unsubscribe_from_digests, user_from_token


@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    user = user_from_token(token)
    if user is None:
        return render(request, "notices/unsubscribe_refused.html", status=400)
    if request.method == "POST":
        unsubscribe_from_digests(user)
        return render(request, "notices/unsubscribed.html", {"person": user})
    return render(request, "notices/unsubscribe.html", {"person": user, "token": token})
