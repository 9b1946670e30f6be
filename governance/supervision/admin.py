from django.contrib import admin

from governance.history_admin import RuleHistoryAdmin
from governance.supervision.models import SignalRule


@admin.register(SignalRule)
class SignalRuleAdmin(RuleHistoryAdmin):
    list_display = ["signal", "threshold", "to_tier", "is_active"]
    list_editable = ["threshold", "to_tier", "is_active"]
    history_fields = ["signal", "threshold", "to_tier", "is_active"]
