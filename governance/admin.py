"""The Django admin, in Chinese. Each subpackage keeps its own admin module;
importing them here registers them (Django looks for ``governance.admin``)."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from governance.accounts import admin as accounts_admin  # noqa: F401
from governance.cases import admin as cases_admin  # noqa: F401
from governance.organisations import admin as organisations_admin  # noqa: F401
from governance.people import admin as people_admin  # noqa: F401
from governance.places import admin as places_admin  # noqa: F401
from governance.privacy import admin as privacy_admin  # noqa: F401
from governance.supervision import admin as supervision_admin  # noqa: F401
from governance.timers import admin as timers_admin  # noqa: F401

admin.site.site_header = _("Social governance center administration")
admin.site.site_title = _("Social governance center administration")
admin.site.index_title = _("Administration")
