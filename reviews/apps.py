from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Case reviews, audits and child deaths"

    def ready(self):
        from reviews import signals  # noqa: F401 - connects the embargo's guard on editions
