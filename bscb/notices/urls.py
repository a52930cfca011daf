from django.urls import path

from bscb.notices import views

urlpatterns = [
    path("<str:token>/", views.unsubscribe, name="notices_unsubscribe"),
]
