"""Sending the recorded emails in the background (issue 18 item 1).

`notify` records each email (a Notice) and, once the transaction commits, queues
`send_notices` with the notices' ids: the worker sends them, not the request.
Sending is safe to retry: each notice is claimed under a row lock and marked sent
once, so a retry never sends twice. A notice that failed is tried again up to
SEND_TRIES times in all, a minute apart and more (where the backend can run a task
later: the database backend can, the immediate one cannot); its error is kept on the
notice (Emails > Notices), and the daily command tries every failed one again after.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task, task_backends

from bscb.notices.models import Notice

SEND_TRIES = 3


@task()
def send_notices(pks: list[int]) -> int:
    """Send the given notices that are still to send; queue another try for those that failed."""
    from bscb.notices.send import send_pending

    sent = send_pending(pks)
    again = list(
        Notice.objects.filter(
            pk__in=pks, status=Notice.Status.FAILED, tries__lt=SEND_TRIES
        ).values_list("pk", "tries")
    )
    if again and task_backends[send_notices.backend].supports_defer:
        wait = datetime.timedelta(minutes=max(tries for _pk, tries in again))
        send_notices.using(run_after=timezone.now() + wait).enqueue([pk for pk, _ in again])
    return sent
