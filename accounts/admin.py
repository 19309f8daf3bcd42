from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from accounts.models import ClientKey, IdentityProvider, Invitation, Membership, ProviderIdentity, User


def superuser_only(request: HttpRequest) -> bool:
    """The Django admin is for the superuser alone (issue #17): organisation admins run their
    members on Heimveg's own pages (accounts.member_views), and the staff flag alone opens nothing."""
    return request.user.is_active and request.user.is_superuser


# Replaced on the one site rather than subclassing AdminSite (every app registers on admin.site).
admin.site.has_permission = superuser_only  # type: ignore[method-assign]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    fieldsets = (*(DjangoUserAdmin.fieldsets or ()), (None, {"fields": ("hpr_number",)}))
    list_display = ("username", "first_name", "last_name", "is_active", "is_superuser")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "is_active")
    list_filter = ("role", "is_active", "organisation__kind")
    search_fields = ("user__username", "organisation__name")
    autocomplete_fields = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are sent and revoked on the organisation admin's member pages, so
    that each is audited. The token and national-id hashes are never shown."""

    list_display = ("kind", "email", "organisation", "role", "created_at", "expires_at", "used_at", "revoked_at")
    list_filter = ("kind", "organisation__kind")
    fields = list_display + ("invited_by", "user", "hpr_number")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    """An organisation's own OpenID Connect provider (docs/operations.md, "Adding an organisation's
    own provider"). HelseID and ID-porten for everyone are set in the settings."""

    list_display = ("name", "key", "kind", "organisation", "issuer", "is_active")
    list_filter = ("kind", "is_active")
    autocomplete_fields = ["organisation"]


@admin.register(ProviderIdentity)
class ProviderIdentityAdmin(admin.ModelAdmin):
    """The bindings of provider subjects to users; deleting one unbinds it (the person then needs
    a new invitation to sign in through the provider)."""

    list_display = ("user", "provider_key", "created_at", "last_sign_in_at")
    fields = ("user", "provider_key", "issuer", "created_at", "last_sign_in_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ClientKey)
class ClientKeyAdmin(admin.ModelAdmin):
    """Read-only list of Heimveg's client keys (manage.py oidc_keys); the private key is not shown."""

    list_display = ("kid", "created_at", "retired_at")
    fields = ("kid", "public_jwk", "created_at", "retired_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
