from collections.abc import Mapping
from typing import Any

from django.contrib import admin
from django.db import models

from directory.models import ContactPoint, County, LocalOffer, MissingAddressAlert, Organisation, PublicInformation


class ContactPointInline(admin.StackedInline):
    model = ContactPoint
    extra = 0


class PublicInformationInline(admin.StackedInline):
    model = PublicInformation
    extra = 0


# Web addresses typed without a scheme get https:// (Django 6's default, chosen now).
URL_FIELDS_HTTPS: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class LocalOfferInline(admin.StackedInline):
    model = LocalOffer
    extra = 0
    formfield_overrides = URL_FIELDS_HTTPS


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "org_number", "municipality_number", "health_trust")
    list_filter = ("kind", "county")
    search_fields = ("name", "org_number", "municipality_number")
    autocomplete_fields = ["parent", "health_trust", "municipality"]
    inlines = [ContactPointInline, PublicInformationInline, LocalOfferInline]


@admin.register(ContactPoint)
class ContactPointAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "phone", "email", "updated_at")
    search_fields = ("name", "organisation__name")
    autocomplete_fields = ["organisation"]


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("number", "name")


@admin.register(LocalOffer)
class LocalOfferAdmin(admin.ModelAdmin):
    list_display = ("name_nb", "kind", "organisation", "sort_order", "updated_at")
    list_filter = ("kind",)
    formfield_overrides = URL_FIELDS_HTTPS
    search_fields = ("name_nb", "name_nn", "name_en", "organisation__name")
    autocomplete_fields = ["organisation"]


@admin.register(PublicInformation)
class PublicInformationAdmin(admin.ModelAdmin):
    list_display = ("organisation", "updated_at")
    search_fields = ("organisation__name",)
    autocomplete_fields = ["organisation"]


@admin.register(MissingAddressAlert)
class MissingAddressAlertAdmin(admin.ModelAdmin):
    list_display = ("organisation", "kind", "count", "first_seen_at", "last_seen_at", "resolved_at")
    list_filter = ("kind", ("resolved_at", admin.EmptyFieldListFilter))
    readonly_fields = ("organisation", "kind", "count", "first_seen_at", "last_seen_at")
