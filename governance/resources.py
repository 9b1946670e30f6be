"""Bulk import/export of regions and staff from CSV or Excel (django-import-export)."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from governance.choices import Role
from governance.organisations.models import Organisation
from governance.people.models import User
from governance.places.models import Region


class RegionResource(resources.ModelResource):
    """Columns: code, name, level, parent_code (empty for the county). Parents come first."""

    code = fields.Field(attribute="code", column_name="code")
    name = fields.Field(attribute="name", column_name="name")
    level = fields.Field(attribute="level", column_name="level")
    parent_code = fields.Field(column_name="parent_code", readonly=True)

    class Meta:
        model = Region
        import_id_fields = ["code"]
        fields = ["code", "name", "level", "parent_code"]
        export_order = ["code", "name", "level", "parent_code"]

    def dehydrate_parent_code(self, region):
        parent = Region.objects.get_parent(region)
        return parent.code if parent else ""

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None:
            parent_code = (row.get("parent_code") or "").strip()
            instance._import_parent = None
            if parent_code:
                instance._import_parent = Region.objects.filter(code=parent_code).first()
                if instance._import_parent is None:
                    raise ValidationError(_("Unknown parent code %(code)s.") % {"code": parent_code})

    def do_instance_save(self, instance, is_create):
        # A tree node is created through its parent so its path is allocated by treebeard.
        if is_create:
            parent = getattr(instance, "_import_parent", None)
            if parent is None:
                Region.objects.add_root(instance=instance)
            else:
                Region.objects.add_child(parent, instance=instance)
        else:
            instance.save()


class StaffResource(resources.ModelResource):
    """Columns: username, last_name, first_name, organisation (its name), role, phone, email.

    New accounts get no usable password: an admin sets one (or the person resets it).
    Each saved row puts the person in their role's group (``User.save``), so an
    imported clerk can register at once."""

    organisation = fields.Field(
        attribute="organisation", column_name="organisation", widget=ForeignKeyWidget(Organisation, field="name")
    )

    class Meta:
        model = User
        import_id_fields = ["username"]
        fields = ["username", "last_name", "first_name", "organisation", "role", "phone", "email", "is_active"]
        export_order = fields

    def before_save_instance(self, instance, row, **kwargs):
        if instance.role and instance.role not in Role.values:
            raise ValidationError({"role": _("Unknown role “%(role)s”; the roles are %(roles)s.")
                                   % {"role": instance.role, "roles": ", ".join(Role.values)}})
        if instance.pk is None:
            instance.set_unusable_password()
            instance.is_staff = True
