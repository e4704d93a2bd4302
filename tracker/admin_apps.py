"""The admin app, pointed at the tracker's own admin site (Django's documented way to replace it)."""

from django.contrib.admin.apps import AdminConfig


class TrackerAdminConfig(AdminConfig):
    default_site = "tracker.admin_site.TrackerAdminSite"
