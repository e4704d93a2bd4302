from django.contrib import admin
from django.utils.text import slugify

from core.admin import FACT_FIELDSET, TrackerAdmin, VersionedModelForm
from parties.models import Party, PartyKind, Person


class PartyForm(VersionedModelForm):
    class Meta:
        model = Party
        fields = ["name", "short_name", "aliases", "code", "kind", "sources", "confidence", "note"]

    def clean(self):
        cleaned_data = super().clean()
        code, kind = cleaned_data.get("code"), cleaned_data.get("kind")
        if code and kind:
            # Normalised as Party.save() does, before uniqueness is checked: "icj" is ICJ.
            cleaned_data["code"] = code.strip().upper() if kind == PartyKind.STATE else slugify(code).upper()
        return cleaned_data


@admin.register(Party)
class PartyAdmin(TrackerAdmin):
    form = PartyForm
    list_display = ["short_name", "name", "code", "kind", "confidence"]
    list_filter = ["kind", "confidence"]
    search_fields = ["name", "short_name", "code", "aliases"]
    autocomplete_fields = ["sources"]
    fieldsets = [(None, {"fields": ["name", "short_name", "aliases", "code", "kind", "loaded_version"]}), FACT_FIELDSET]


class PersonForm(VersionedModelForm):
    class Meta:
        model = Person
        fields = ["name", "aliases", "slug", "nationality", "description", "sources", "confidence", "note"]


@admin.register(Person)
class PersonAdmin(TrackerAdmin):
    form = PersonForm
    list_display = ["name", "description", "nationality", "slug"]
    list_filter = ["nationality", "confidence"]
    list_select_related = ["nationality"]
    search_fields = ["name", "slug", "description", "aliases"]
    autocomplete_fields = ["nationality", "sources"]
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = [
        (None, {"fields": ["name", "aliases", "slug", "nationality", "description", "loaded_version"]}),
        FACT_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("nationality")
