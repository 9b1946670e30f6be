"""Import and export of mediators' profiles and rooms from CSV or Excel (django-import-export)."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from governance.models import Category, Organisation, User
from mediation.models import MediatorProfile, Room


class LanguagesWidget(widgets.Widget):
    """"普通话,客家话" <-> ["普通话", "客家话"]."""

    def clean(self, value, row=None, **kwargs):
        return [part.strip() for part in str(value or "").replace("，", ",").split(",") if part.strip()]

    def render(self, value, obj=None, **kwargs):
        return ",".join(value or [])


class MediatorProfileResource(resources.ModelResource):
    """Columns: username, body (its name), kind, specialties (category codes, comma-separated),
    languages (comma-separated), monthly_quota, is_active. The person must exist with the
    mediator role (import the staff first)."""

    user = fields.Field(attribute="user", column_name="username", widget=widgets.ForeignKeyWidget(User, "username"))
    body = fields.Field(attribute="body", column_name="body", widget=widgets.ForeignKeyWidget(Organisation, "name"))
    specialties = fields.Field(attribute="specialties", column_name="specialties",
                               widget=widgets.ManyToManyWidget(Category, field="code", separator=","))
    languages = fields.Field(attribute="languages", column_name="languages", widget=LanguagesWidget())

    class Meta:
        model = MediatorProfile
        import_id_fields = ["user"]
        fields = ["user", "body", "kind", "specialties", "languages", "monthly_quota", "is_active"]
        export_order = fields

    def before_save_instance(self, instance, row, **kwargs):
        instance.full_clean(exclude=["specialties"], validate_unique=False)


class RoomResource(resources.ModelResource):
    """Columns: center (its name), name, capacity, location, is_active."""

    center = fields.Field(attribute="center", column_name="center",
                          widget=widgets.ForeignKeyWidget(Organisation, "name"))

    class Meta:
        model = Room
        import_id_fields = ["center", "name"]
        fields = ["center", "name", "capacity", "location", "is_active"]
        export_order = fields

    def before_save_instance(self, instance, row, **kwargs):
        if instance.center_id is None or instance.center.kind != "center":
            raise ValidationError({"center": _("Rooms belong to a center.")})
