"""Sending the emails members expect.

`notify` records one Notice per recipient (the unique key drops any already recorded) and
sends those due now once the transaction commits; a person who chose the weekly digest gets
it held for `send_digests`. A send that fails is marked failed and tried again by
`send_pending` (the daily command): nothing is lost, nothing is sent twice.

Who each kind is for is registered by the app that sends it (`audience`), and asked again
when a held email goes out in a digest: one the person is no longer meant to have (a chair
who stepped down) is withdrawn, not sent.

The apps above call it (meetings, subgroups, reports); it imports none of them.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from bscb.notices.models import Kind, Notice, Preference
from bscb.notices.tasks import send_notices

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "bscb.notices.unsubscribe"
# An unsubscribe link keeps working for a year of digests.
UNSUBSCRIBE_MAX_AGE = 366 * 24 * 3600


@dataclass(frozen=True)
class Recipient:
    email: str
    user: object | None = None


@dataclass(frozen=True)
class Attachment:
    name: str
    content: str
    mimetype: str


def people(users, *addresses: str) -> list[Recipient]:
    """Recipients from user accounts with an email, and plain addresses (the support team's);
    each address once."""
    found: dict[str, Recipient] = {}
    for user in users:
        if user.email and user.email.lower() not in found:
            found[user.email.lower()] = Recipient(user.email, user)
    for address in addresses:
        if address and address.lower() not in found:
            found[address.lower()] = Recipient(address)
    return list(found.values())


# kind -> the function that says, from a notice's object key ("meeting:12"), which users
# that email is for. Registered by the sending apps (`audience`) when they load.
AUDIENCES: dict[str, Callable[[str], Iterable]] = {}


def audience(*kinds):
    """Register the function that gives the users an email of these kinds is for, from its
    object key: the same answer that chose them, asked again before a held one goes."""

    def register(function):
        for kind in kinds:
            AUDIENCES[str(kind)] = function
        return function

    return register


def key_pk(key: str) -> int | None:
    """The record's key in an object key: 12 in "meeting:12" and "action:12:2026-12-01"."""
    parts = key.split(":")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def still_for(notice: Notice) -> bool:
    """Whether the person a notice was made for is still among those its kind goes to. An
    address with no sign-in (the support team's), or a kind nobody registered, always is."""
    who = AUDIENCES.get(notice.kind)
    if who is None or notice.user_id is None:
        return True
    return any(user.pk == notice.user_id for user in who(notice.object_key))


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def delivery_of(user, kind: str) -> str:
    if user is None:
        return Preference.Delivery.IMMEDIATE
    choice = Preference.objects.filter(user=user, kind=kind).values_list("delivery", flat=True)
    return next(iter(choice), Preference.Delivery.IMMEDIATE)


def notify(
    kind: Kind | str,
    recipients: list[Recipient],
    *,
    key: str,
    template: str,
    context: dict,
    subject: str,
    attachment: Attachment | None = None,
) -> list[Notice]:
    """Record the email `templates/email/<template>.txt|.html` for each recipient not sent it
    before (about `key`), and send it once the transaction commits. Returns the new notices."""
    made = []
    for recipient in recipients:
        delivery = delivery_of(recipient.user, kind)
        if delivery == Preference.Delivery.NONE:
            continue
        ctx = {
            **context,
            "subject": subject,
            "recipient": recipient,
            "site_url": settings.SITE_URL.rstrip("/"),
        }
        notice = Notice(
            kind=kind,
            recipient=recipient.email,
            user=recipient.user,
            object_key=key,
            subject=subject,
            body_text=render_to_string(f"email/{template}.txt", ctx),
            body_html=render_to_string(f"email/{template}.html", ctx),
            status=Notice.Status.HELD
            if delivery == Preference.Delivery.DIGEST
            else Notice.Status.PENDING,
        )
        if attachment:
            notice.attachment_name = attachment.name
            notice.attachment = attachment.content
            notice.attachment_type = attachment.mimetype
        try:
            # The unique key refuses a second notice, even from a concurrent run.
            with transaction.atomic():
                notice.save()
        except IntegrityError:
            continue
        made.append(notice)
    pending = [n.pk for n in made if n.status == Notice.Status.PENDING]
    if pending:
        # The worker sends them (bscb/notices/tasks.py), once the notices are committed.
        transaction.on_commit(lambda: send_notices.enqueue(pending))
    return made


def _deliver(notice: Notice) -> None:
    message = EmailMultiAlternatives(
        notice.subject, notice.body_text, settings.DEFAULT_FROM_EMAIL, [notice.recipient]
    )
    if notice.body_html:
        message.attach_alternative(notice.body_html, "text/html")
    if notice.attachment:
        message.attach(notice.attachment_name, notice.attachment, notice.attachment_type)
    message.send()


def send_pending(pks: list[int] | None = None) -> int:
    """Send the notices to send now (those given, or every one pending or failed). Each is
    claimed under a row lock, so two runs never send one twice. Returns how many went."""
    candidates = Notice.objects.filter(status__in=[Notice.Status.PENDING, Notice.Status.FAILED])
    if pks is not None:
        candidates = candidates.filter(pk__in=pks)
    sent = 0
    for pk in candidates.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            notice = (
                Notice.objects.select_for_update()
                .filter(pk=pk, status__in=[Notice.Status.PENDING, Notice.Status.FAILED])
                .first()
            )
            if notice is None:
                continue
            if notice.status == Notice.Status.FAILED and not still_for(notice):
                # A retry asks again who it is for: a chair who has stepped down since
                # gets nothing more (as a held digest does).
                notice.status = Notice.Status.WITHDRAWN
                notice.save(update_fields=["status"])
                continue
            notice.tries += 1
            try:
                _deliver(notice)
            except Exception as error:  # any failure is recorded and retried
                logger.warning("Sending %s failed: %s", notice, error)
                notice.status = Notice.Status.FAILED
                notice.last_error = str(error)[:2000]
            else:
                notice.status = Notice.Status.SENT
                notice.sent_at = timezone.now()
                notice.last_error = ""
                sent += 1
            notice.save(update_fields=["status", "sent_at", "tries", "last_error"])
    return sent


def unsubscribe_token(user) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def user_from_token(token: str):
    """The user the link was made for, or None when it was altered, has expired or is unknown."""
    from django.contrib.auth import get_user_model

    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return get_user_model().objects.filter(pk=data["u"]).first()


def unsubscribe_from_digests(user) -> int:
    """No more digests: every kind they took in a digest they now take not at all, and the
    held emails are dropped. Returns how many held emails were dropped."""
    with transaction.atomic():
        Preference.objects.filter(user=user, delivery=Preference.Delivery.DIGEST).update(
            delivery=Preference.Delivery.NONE
        )
        return Notice.objects.filter(user=user, status=Notice.Status.HELD).update(
            status=Notice.Status.DROPPED
        )


def send_digests() -> int:
    """One email per person holding notices: what was held and is still for them, with the
    unsubscribe link. Returns how many digests went. A failed digest leaves its notices held
    for next time."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(notices__status=Notice.Status.HELD).distinct()
    sent = 0
    for user in users.order_by("pk"):
        with transaction.atomic():
            held = list(
                Notice.objects.select_for_update()
                .filter(user=user, status=Notice.Status.HELD)
                .order_by("created_at", "pk")
            )
            # Asked now, not when it was held: a chair who stepped down since is not sent
            # their old group's business.
            lapsed = [n.pk for n in held if not still_for(n)]
            if lapsed:
                Notice.objects.filter(pk__in=lapsed).update(status=Notice.Status.WITHDRAWN)
                held = [n for n in held if n.pk not in lapsed]
            if not held:
                continue
            link = site_url(reverse("notices_unsubscribe", args=[unsubscribe_token(user)]))
            context = {"user": user, "notices": held, "unsubscribe_url": link}
            message = EmailMultiAlternatives(
                f"Your weekly digest: {len(held)} email{'s' if len(held) != 1 else ''}",
                render_to_string("email/digest.txt", context),
                settings.DEFAULT_FROM_EMAIL,
                [held[0].recipient],
                headers={"List-Unsubscribe": f"<{link}>"},
            )
            message.attach_alternative(render_to_string("email/digest.html", context), "text/html")
            try:
                message.send()
            except Exception as error:  # kept held, tried next week
                logger.warning("Sending the digest to %s failed: %s", user, error)
                continue
            now = timezone.now()
            Notice.objects.filter(pk__in=[n.pk for n in held]).update(
                status=Notice.Status.SENT, sent_at=now
            )
            sent += 1
    return sent


def meeting_calendar(
    *,
    uid: str,
    summary: str,
    day: datetime.date,
    start: datetime.time | None,
    place: str,
    stamp: datetime.datetime,
    url: str,
    prodid: str,
) -> Attachment:
    """One meeting as an iCalendar file (a VEVENT): all day when no start time is known."""
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    if start:
        begins = timezone.make_aware(datetime.datetime.combine(day, start))
        event.add("dtstart", begins)
        event.add("dtend", begins + datetime.timedelta(hours=2))
    else:
        event.add("dtstart", day)
        event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    if place:
        event.add("location", place)
    if url:
        event.add("url", url)
    calendar.add_component(event)
    return Attachment("meeting.ics", calendar.to_ical().decode(), "text/calendar")
