from django.contrib import admin

from intake.models import ApiKey, Attachment, CategoryRoute, Window


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = ["center", "number", "name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    filter_horizontal = ["clerks"]
    autocomplete_fields = ["center"]


@admin.register(CategoryRoute)
class CategoryRouteAdmin(admin.ModelAdmin):
    list_display = ["category", "organisation"]
    autocomplete_fields = ["category", "organisation"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "is_active", "created_at"]
    list_filter = ["is_active"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["name", "case", "content_type", "size", "at"]
    readonly_fields = ["case", "file", "name", "content_type", "size", "uploaded_by", "at"]

    def has_add_permission(self, request):
        return False
