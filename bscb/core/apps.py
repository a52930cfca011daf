from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    """The records every app shares. Its label stays "bscb": tables, migrations and
    permission codes (bscb.publish_reportingperiod) predate the move into bscb/core."""

    default = True
    name = "bscb.core"
    label = "bscb"
    verbose_name = "Board-wide records"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from bscb.core.changes import install_triggers
        from bscb.core.roles import ensure_roles
        from bscb.core.security import remember_sign_in

        post_migrate.connect(ensure_roles, dispatch_uid="bscb_ensure_roles")
        post_migrate.connect(install_triggers, sender=self, dispatch_uid="bscb_record_triggers")
        user_logged_in.connect(remember_sign_in, dispatch_uid="bscb_remember_sign_in")


class BoardAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "bscb.core.admin_site.BoardAdminSite"
