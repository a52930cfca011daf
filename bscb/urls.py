from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from bscb.core import sign_in
from bscb.core import views as core_views
from bscb.reports import data_views, feeds, views
from meetings import views as meeting_views
from reviews import views as review_views

two_factor_urls = [
    path("login/", sign_in.SignInView.as_view(), name="login"),
    path("two-factor/", sign_in.TwoFactorView.as_view(), name="profile"),
    path("two-factor/set-up/", sign_in.SetUpView.as_view(), name="setup"),
    path("two-factor/set-up/qr-code/", sign_in.QRCodeView.as_view(), name="qr"),
    path("two-factor/set-up/done/", sign_in.SetUpCompleteView.as_view(), name="setup_complete"),
    path("two-factor/backup-codes/", sign_in.BackupCodesView.as_view(), name="backup_tokens"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("workspace/meetings/", include("meetings.workspace_urls")),
    path("workspace/", include("subgroups.workspace_urls")),
    path("accounts/security/", core_views.account_security, name="account_security"),
    path("accounts/login/", sign_in.SignInView.as_view(), name="login"),
    # django-two-factor-auth's views redirect to each other by these names.
    path("accounts/", include((two_factor_urls, "two_factor"))),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("data/", data_views.data_documentation, name="data_documentation"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("feeds/reports.atom", feeds.ReportsFeed(), name="reports_feed"),
    path("groups/<slug:slug>/meetings.ics", feeds.group_calendar, name="group_calendar"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"reports": feeds.ReportSitemap, "site": feeds.SiteSitemap}},
        name="sitemap",
    ),
    path("learning/<int:pk>/download/", review_views.learning_file, name="learning_file"),
    path("emails/", include("bscb.notices.urls")),
    path("meetings/", meeting_views.upcoming_meetings, name="upcoming_meetings"),
    path("meetings/<int:pk>/", meeting_views.meeting, name="public_meeting"),
    path("meetings/past/<slug:group>/", meeting_views.past_meetings, name="past_meetings"),
    path("meetings/<int:pk>/pack.pdf", meeting_views.pack, name="meeting_pack"),
    path("meetings/<int:pk>/papers/<int:paper>/", meeting_views.paper, name="meeting_paper"),
    path("themes/", views.theme_list, name="theme_list"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme_detail"),
    path("<slug:period>/", views.period_detail, name="period_detail"),
    path("<slug:period>/report/", views.full_report, name="full_report"),
    path("<slug:period>/report.pdf", views.report_pdf, name="report_pdf"),
    path(
        "<slug:period>/for-children-and-young-people/",
        views.children_summary,
        name="children_summary",
    ),
    path("<slug:period>/groups/<slug:group>/", views.group_detail, name="group_detail"),
    path(
        "<slug:period>/groups/<slug:group>/meetings/<int:pk>/",
        views.meeting_detail,
        name="meeting_detail",
    ),
    path("<slug:period>/data/", data_views.period_data, name="period_data"),
    path("<slug:period>/data/<slug:dataset>.csv", data_views.dataset_csv, name="dataset_csv"),
    path("<slug:period>/data/<slug:dataset>.json", data_views.dataset_json, name="dataset_json"),
    # Each edition at its own address, replaced or not: its contents, pages, data and PDF.
    path("<slug:period>/editions/<int:number>/", views.edition, name="edition_contents"),
    path("<slug:period>/editions/<int:number>/<path:rest>", views.edition, name="edition_page"),
    # Last: a section's address is its record's slug (report, data and groups are reserved).
    path("<slug:period>/<slug:section>/", views.section_page, name="section"),
]
handler500 = "bscb.core.views.server_error"
