from django.contrib import admin
from import_export.admin import ImportExportMixin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from governance.places.models import Region
from governance.resources import RegionResource


@admin.register(Region)
class RegionAdmin(ImportExportMixin, TreeAdmin):
    form = movenodeform_factory(Region)
    resource_classes = [RegionResource]
    list_display = ["name", "code", "level"]
    search_fields = ["name", "code"]
    list_filter = ["level"]
