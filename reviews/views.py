from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404

from bscb.core.uploads import document_response
from reviews.models import LearningMaterial


def _may_see_unpublished(user) -> bool:
    """Staff who read the back office (the support team, board members), signed in fully."""
    if not user.has_perm("reviews.view_learningmaterial"):
        return False
    return not settings.OTP_REQUIRED_FOR_STAFF or user.is_verified()


def learning_file(request, pk: int):
    """A learning material's file, while the material is public (the embargo is asked now)."""
    material = get_object_or_404(LearningMaterial.objects.exclude(file=""), pk=pk)
    public = LearningMaterial.objects.public().filter(pk=pk).exists()
    if not public and not _may_see_unpublished(request.user):
        raise Http404
    return document_response(material.file)
