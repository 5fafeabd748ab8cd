"""Users with their archival role, and the audit log (read-only: it is evidence)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from qoima.accounts.models import AuditEntry, User


@admin.register(User)
class QoimaUserAdmin(UserAdmin):
    list_display = ("username", "email", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = UserAdmin.fieldsets + (("Archive", {"fields": ("role",)}),)
    add_fieldsets = UserAdmin.add_fieldsets + (("Archive", {"fields": ("role",)}),)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "action", "ref", "access", "door", "remote_addr")
    list_filter = ("action", "access", "door")
    search_fields = ("ref", "username")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
