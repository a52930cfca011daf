from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self):
        from bscb.core import dated
        from meetings import notices  # noqa: F401 (registers who its emails are for)
        from meetings.models import Meeting

        dated.register(
            Meeting,
            "date",
            lambda meeting: f"A {meeting.group.short_name} meeting",
        )
