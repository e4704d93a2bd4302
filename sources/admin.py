from django import forms
from django.contrib import admin

from core.admin import DocumentNumberFormMixin, TrackerAdmin, VersionedModelForm, fill_slug, https_formfield
from sources.models import Source


class SourceForm(DocumentNumberFormMixin, VersionedModelForm):
    class Meta:
        model = Source
        formfield_callback = https_formfield
        fields = ["key", "kind", "title", "publisher", "url", "published_on", "document_number", "excerpt"]
        widgets = {"excerpt": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "key" in self.fields:
            self.fields["key"].required = False
            self.fields["key"].help_text += " Leave empty to make one from the date and title."

    def clean(self):
        cleaned_data = super().clean()
        title = cleaned_data.get("title")
        if title:
            date = cleaned_data.get("published_on")
            base = f"{date:%Y-%m-%d} {title}" if date else title
            fill_slug(self, cleaned_data, base, Source.objects.all(), field="key", max_length=60)
        return cleaned_data


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
