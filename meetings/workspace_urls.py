from django.urls import path

from meetings import workspace

app_name = "workspace_meetings"

urlpatterns = [
    path("<int:pk>/", workspace.meeting_detail, name="meeting"),
    path("<int:pk>/items/<int:item>/minutes/", workspace.item_minutes, name="item_minutes"),
    path("<int:pk>/agree-minutes/", workspace.agree_minutes, name="agree_minutes"),
]
