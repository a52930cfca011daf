from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from reviews.models import CaseReview


@receiver(post_save, sender=CaseReview, dispatch_uid="reviews_withhold_from_editions")
def withhold_from_published_editions(sender, instance, raw=False, **kwargs):
    """A review held back after a report was published leaves that report at once."""
    if raw or instance.is_publishable:
        return
    from reviews.services import withhold_from_editions

    transaction.on_commit(lambda: withhold_from_editions(instance))
