from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Case reviews, audits and child deaths"

    def ready(self):
        from bscb.core import visibility
        from reviews import embargo

        # Every public query of every app applies the embargo, by identity.
        visibility.register(embargo.public)
        visibility.register(embargo.agenda_items_public)
