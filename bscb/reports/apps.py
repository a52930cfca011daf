from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The annual report on top of every other app: sections, editions, publishing, the
    statutory check, open data, search, themes and feeds. No other app imports it."""

    name = "bscb.reports"
    label = "reports"
    verbose_name = "Annual report"

    def ready(self):
        from django.db.models.signals import post_save as saved

        from bscb.core.models import ReportingPeriod
        from bscb.reports.sections import period_saved

        # A new period starts with a copy of the previous period's list of sections.
        saved.connect(period_saved, sender=ReportingPeriod, dispatch_uid="reports_seed_sections")

        # A change to a review or to anything linked to one may change what the public may
        # see: published editions follow, by identity (the reviews app knows nothing of them).
        from django.db.models.signals import post_delete, post_save

        from bscb.reports.editions import edition_deleted, embargo_may_have_changed
        from bscb.reports.models import Edition
        from reviews.embargo import linked_models

        post_delete.connect(edition_deleted, sender=Edition, dispatch_uid="bscb_edition_deleted")

        for model in linked_models():
            for signal in (post_save, post_delete):
                signal.connect(
                    embargo_may_have_changed,
                    sender=model,
                    dispatch_uid=f"bscb_embargo_{signal is post_save}_{model._meta.label}",
                )
