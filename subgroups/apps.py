from django.apps import AppConfig


class SubgroupsConfig(AppConfig):
    name = "subgroups"
    verbose_name = "Board, groups and panels"

    def ready(self):
        from subgroups import escalation  # noqa: F401 (registers who its emails are for)
