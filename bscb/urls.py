from django.contrib import admin
from django.urls import path

from bscb import views
from meetings import views as meeting_views
from subgroups import views as group_views

admin.site.site_header = "Board business: back office"
admin.site.site_title = "Back office"
admin.site.index_title = "Records of the board and its groups"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", views.home, name="home"),
    path("<slug:period>/", views.period_detail, name="period_detail"),
    path("<slug:period>/board/", views.board_detail, name="board_detail"),
    path("<slug:period>/groups/<slug:group>/", group_views.group_detail, name="group_detail"),
    path(
        "<slug:period>/groups/<slug:group>/meetings/<int:pk>/",
        meeting_views.meeting_detail,
        name="meeting_detail",
    ),
]
