from django.apps import AppConfig
from django.db.models.signals import post_migrate


class BscbConfig(AppConfig):
    name = "bscb"
    verbose_name = "Board-wide records"

    def ready(self):
        from bscb.roles import ensure_roles

        post_migrate.connect(ensure_roles, dispatch_uid="bscb_ensure_roles")
