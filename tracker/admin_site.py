"""The editors' admin site: Django's, with autocomplete labels a model admin can choose."""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """Lets a model admin say how its objects read in an autocomplete (``autocomplete_label``).

    ``str()`` suits lists and breadcrumbs, but picking one measure among hundreds needs more: the
    case, the date of the decision and the paragraph, side by side.
    """

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = label(obj)
        return result


class TrackerAdminSite(admin.AdminSite):
    site_header = "ICJ case tracker: editors"
    site_title = "ICJ case tracker"
    index_title = "Enter and correct the record"

    def autocomplete_view(self, request):
        return LabelledAutocompleteJsonView.as_view(admin_site=self)(request)
