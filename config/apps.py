from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin app with Tribune's site as the default ``admin.site``."""

    default_site = "config.admin.TribuneAdminSite"
