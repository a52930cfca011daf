from django.conf import settings


def site(request):
    return {"board_name": settings.BOARD_NAME}
