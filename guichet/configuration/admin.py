"""Administrators manage organisations, sites, teams and people in Django's admin site,
restricted to the administrator role (Django's own permission tables are not used)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Location, Organisation, Team, User
from guichet.tickets.models import PendingReason, SolutionType


class GuichetAdminSite(admin.AdminSite):
    site_header = _("Guichet administration")
    site_title = _("Guichet administration")

    def has_permission(self, request) -> bool:
        return bool(
            request.user.is_active and request.user.is_authenticated and request.user.is_admin
        )


class AdminOnly(admin.ModelAdmin):
    def _allowed(self, request) -> bool:
        return bool(request.user.is_active and request.user.is_admin)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)


class LocationInline(admin.TabularInline):
    model = Location
    extra = 1


class OrganisationAdmin(AdminOnly):
    list_display = ("name", "kind", "email_domain", "language")
    list_filter = ("kind", "language")
    search_fields = ("name", "email_domain")
    inlines = [LocationInline]


class TeamAdmin(AdminOnly):
    list_display = ("name", "level", "skills")
    filter_horizontal = ("members", "organisations")


class PersonAdmin(AdminOnly, UserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "role", "organisation")
    list_filter = ("role", "is_active", "organisation")
    search_fields = ("username", "first_name", "last_name", "email", "phone", "mobile")
    fieldsets = (
        *(UserAdmin.fieldsets or ())[:2],
        (
            _("Guichet"),
            {
                "fields": (
                    "role",
                    "organisation",
                    "location",
                    "is_org_manager",
                    "phone",
                    "mobile",
                    "language",
                )
            },
        ),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2", "role", "organisation")}),
    )


class BilingualAdmin(AdminOnly):
    list_display = ("code", "name_fr", "name_en", "active")


site = GuichetAdminSite(name="guichet-admin")
site.register(Organisation, OrganisationAdmin)
site.register(Team, TeamAdmin)
site.register(User, PersonAdmin)
site.register(PendingReason, BilingualAdmin)
site.register(SolutionType, BilingualAdmin)
