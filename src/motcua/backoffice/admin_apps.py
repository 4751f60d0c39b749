"""The Django admin's app, with the back office's two-factor site as ``admin.site``.

Apart from ``admin_site`` because an app config module is imported before the models are
ready, and the site needs the back office's login state (which imports models)."""

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "motcua.backoffice.admin_site.StaffAdminSite"
