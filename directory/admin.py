from django.contrib import admin

from directory.models import ContactPoint, County, Organisation


class ContactPointInline(admin.StackedInline):
    model = ContactPoint
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "org_number", "municipality_number", "health_trust")
    list_filter = ("kind", "county")
    search_fields = ("name", "org_number", "municipality_number")
    autocomplete_fields = ["parent", "health_trust", "municipality"]
    inlines = [ContactPointInline]


@admin.register(ContactPoint)
class ContactPointAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "phone", "email", "updated_at")
    search_fields = ("name", "organisation__name")
    autocomplete_fields = ["organisation"]


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("number", "name")
