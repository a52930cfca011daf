from django.contrib import admin
from django.urls import include, path

from bscb import views
from funding import views as funding_views
from meetings import views as meeting_views
from reviews import views as review_views
from subgroups import views as group_views
from training import views as training_views

admin.site.site_header = "Board business: back office"
admin.site.site_title = "Back office"
admin.site.index_title = "Records of the board and its groups"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("workspace/", include("subgroups.workspace_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", views.home, name="home"),
    path("<slug:period>/", views.period_detail, name="period_detail"),
    path("<slug:period>/board/", views.board_detail, name="board_detail"),
    path("<slug:period>/groups/<slug:group>/", group_views.group_detail, name="group_detail"),
    path("<slug:period>/who-attends/", meeting_views.who_attends_section, name="who_attends"),
    path(
        "<slug:period>/child-death-overview-panel/",
        review_views.child_deaths_section,
        name="child_deaths",
    ),
    path("<slug:period>/case-reviews/", review_views.case_reviews_section, name="case_reviews"),
    path("<slug:period>/audits/", review_views.audits_section, name="audits"),
    path("<slug:period>/training/", training_views.training_section, name="training"),
    path("<slug:period>/training.csv", training_views.training_csv, name="training_csv"),
    path("<slug:period>/funding/", funding_views.funding_section, name="funding"),
    path("<slug:period>/funding.csv", funding_views.funding_csv, name="funding_csv"),
    path("<slug:period>/funding.json", funding_views.funding_json, name="funding_json"),
    path(
        "<slug:period>/groups/<slug:group>/meetings/<int:pk>/",
        meeting_views.meeting_detail,
        name="meeting_detail",
    ),
]
