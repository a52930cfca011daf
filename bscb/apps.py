from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class BscbConfig(AppConfig):
    default = True
    name = "bscb"
    verbose_name = "Board-wide records"

    def ready(self):
        from bscb.roles import ensure_roles

        post_migrate.connect(ensure_roles, dispatch_uid="bscb_ensure_roles")

        from django.contrib.auth.signals import user_logged_in

        from bscb.security import remember_sign_in

        user_logged_in.connect(remember_sign_in, dispatch_uid="bscb_remember_sign_in")


class BoardAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "bscb.admin_site.BoardAdminSite"
