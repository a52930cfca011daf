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

        # A change to a review or to anything linked to one may change what the public may
        # see: published editions follow, by identity (the reviews app knows nothing of them).
        from django.db.models.signals import post_delete, post_save

        from bscb.editions import embargo_may_have_changed
        from reviews.embargo import linked_models

        for model in linked_models():
            for signal in (post_save, post_delete):
                signal.connect(
                    embargo_may_have_changed,
                    sender=model,
                    dispatch_uid=f"bscb_embargo_{signal is post_save}_{model._meta.label}",
                )


class BoardAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "bscb.admin_site.BoardAdminSite"
