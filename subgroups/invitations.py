"""Inviting a chair: an account without a password, and an email with a single-use link to set one."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from subgroups.models import Group


@transaction.atomic
def chair_invite(*, group: Group, email: str, full_name: str, invited_by, base_url: str):
    """Make (or find) the chair's account, add them to the group's chairs and email the link.

    The link is Django's password-reset token: it stops working once the
    password is set, so it can be used once.
    """
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        first, _, last = full_name.strip().partition(" ")
        user = User(username=email.lower(), email=email, first_name=first, last_name=last)
        user.set_unusable_password()
        user.save()
    group.chairs.add(user)
    token = default_token_generator.make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = base_url + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    body = render_to_string(
        "registration/chair_invitation_email.txt",
        {
            "user": user,
            "group": group,
            "link": link,
            "login_url": base_url + reverse("login"),
            "invited_by": invited_by.get_full_name() or invited_by.get_username(),
        },
    )
    send_mail(
        f"You are invited to the {group.short_name} workspace",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [email],
    )
    return user
