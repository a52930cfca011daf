from django.urls import path

from bscb.notices import views

urlpatterns = [
    path("", views.preferences, name="notices_preferences"),
    path("stop-digest/<str:token>/", views.unsubscribe, name="notices_unsubscribe"),
]
