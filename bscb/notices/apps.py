from django.apps import AppConfig


class NoticesConfig(AppConfig):
    """Emails members expect: sent once each, now or in a weekly digest."""

    name = "bscb.notices"
    label = "notices"
    verbose_name = "Emails"
