from django.contrib import admin
from django.urls import include, path

from bscb import views
from bscb.editions import edition_page
from bscb.report import SECTIONS
from funding import views as funding_views
from meetings import views as meeting_views
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
    path("<slug:period>/report/", views.full_report, name="full_report"),
    path("<slug:period>/report.pdf", views.report_pdf, name="report_pdf"),
    *[
        path(f"<slug:period>/{s.slug}/", views.section_page, {"section": s.slug}, name=s.url_name)
        for s in SECTIONS
    ],
    path("<slug:period>/groups/<slug:group>/", views.group_detail, name="group_detail"),
    path(
        "<slug:period>/groups/<slug:group>/meetings/<int:pk>/",
        edition_page(meeting_views.meeting_detail),
        name="meeting_detail",
    ),
    path(
        "<slug:period>/training.csv", edition_page(training_views.training_csv), name="training_csv"
    ),
    path("<slug:period>/funding.csv", edition_page(funding_views.funding_csv), name="funding_csv"),
    path(
        "<slug:period>/funding.json", edition_page(funding_views.funding_json), name="funding_json"
    ),
]
