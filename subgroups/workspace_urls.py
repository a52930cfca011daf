from django.urls import path

from subgroups import workspace

app_name = "workspace"

urlpatterns = [
    path("", workspace.home, name="home"),
    path("groups/<slug:slug>/", workspace.group_detail, name="group"),
    path("actions/<int:pk>/", workspace.action_detail, name="action"),
    path("actions/<int:pk>/update/", workspace.action_update, name="action_update"),
    path("actions/<int:pk>/complete/", workspace.action_complete, name="action_complete"),
    path("actions/<int:pk>/edit/", workspace.action_edit, name="action_edit"),
    path("risks/<int:pk>/", workspace.risk_detail, name="risk"),
    path("risks/<int:pk>/review/", workspace.risk_review, name="risk_review"),
    path("risks/<int:pk>/next-review/", workspace.risk_next_review, name="risk_next_review"),
    path("actions/<int:pk>/reopen/", workspace.action_reopen_view, name="action_reopen"),
    path("plans/<int:pk>/actions/add/", workspace.action_add_view, name="action_add"),
    path("groups/<slug:slug>/risks/add/", workspace.risk_add_view, name="risk_add"),
]
