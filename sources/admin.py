from django import forms
from django.contrib import admin

from core.admin import DocumentNumberFormMixin, TrackerAdmin, VersionedModelForm, https_formfield
from sources.models import Source


class SourceForm(DocumentNumberFormMixin, VersionedModelForm):
    class Meta:
        model = Source
        formfield_callback = https_formfield
        fields = ["key", "kind", "title", "publisher", "url", "published_on", "document_number", "excerpt"]
        widgets = {"excerpt": forms.Textarea(attrs={"rows": 3})}


@admin.register(Source)
class SourceAdmin(TrackerAdmin):
    form = SourceForm
    list_display = ["title", "kind", "publisher", "published_on", "document_number", "key"]
    list_filter = ["kind", "publisher"]
    search_fields = ["key", "title", "publisher", "url", "document_number", "excerpt"]
    date_hierarchy = "published_on"
    fields = [
        "key",
        "kind",
        "title",
        "publisher",
        "url",
        "published_on",
        "document_number",
        "excerpt",
        "loaded_version",
    ]
    prepopulated_fields = {"key": ("title",)}
