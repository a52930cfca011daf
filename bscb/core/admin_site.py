from django.contrib.admin import AdminSite
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme

from bscb.core.roles import is_trusted
from bscb.core.sign_in import second_factor_redirect


class BoardAdminSite(AdminSite):
    """The back office: staff, with their second factor where it is required (bscb.core.roles)."""

    site_header = "Board business: back office"
    site_title = "Back office"
    index_title = "Records of the board and its groups"
    # The side menu listed every model on every page: about 12 ms of a list's 60 (10x data),
    # drawn again on each request. The home page lists them all, a click away on every
    # page's breadcrumbs.
    enable_nav_sidebar = False

    def has_permission(self, request):
        return super().has_permission(request) and is_trusted(request.user)

    def get_app_list(self, request, app_label=None):
        """Every app's models the user may see, listed when a page first reads the list.

        Django lists them for every admin page (each_context's `available_apps`, checking
        each model's permissions), though only the home page and the side menu read them.
        """
        if app_label is not None:
            return super().get_app_list(request, app_label)
        return SimpleLazyObject(lambda: super(BoardAdminSite, self).get_app_list(request))

    def login(self, request, extra_context=None):
        """No sign-in form of its own: everyone uses the one sign-in page, code and all."""
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("admin:index", current_app=self.name)
        user = request.user
        if user.is_active and user.is_staff and not is_trusted(user):
            return second_factor_redirect(request, next_url)
        return redirect_to_login(next_url)
