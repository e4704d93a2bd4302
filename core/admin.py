"""Shared pieces of the editors' admin: optimistic locking across requests, history, CSV export."""

import csv

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper, url_params_from_lookup_dict
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.text import slugify
from simple_history.admin import SimpleHistoryAdmin

from core.admin_widgets import (
    LabelledAutocompleteSelect,
    LabelledAutocompleteSelectMultiple,
    LabelPrefetchingFormSet,
)
from core.csvsafe import csv_safe
from core.documents import normalize_document_number, parse_document_number
from core.models import ConcurrentEditError

STALE_MESSAGE = (
    "Someone else changed this %(name)s since you opened the page, so your changes were not saved. "
    "Reload the page to see the current version, then apply your changes again."
)


def https_formfield(db_field, **kwargs):
    """Form fields as the model makes them, with addresses typed without a scheme read as https."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


URL_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


class VersionedModelForm(forms.ModelForm):
    """A model form that carries the row's version from the page it was loaded on to the save.

    The model's own optimistic lock only spans one request (read, then ``UPDATE ... WHERE
    version = ...``). An editor's change spans two: the GET that shows the form and the POST that
    saves it. The hidden ``loaded_version`` says which version the editor saw; a different one in the
    database means someone else saved in between, and saving now would silently undo their work.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    # The main form is always saved by the admin, changed or not; an inline row only when changed.
    check_version_when_unchanged = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        stale = cleaned_data.get("loaded_version") != self.instance.version
        if self.instance.pk is not None and stale and self._version_matters(cleaned_data):
            raise ValidationError(STALE_MESSAGE, code="stale", params={"name": self.instance._meta.verbose_name})
        return cleaned_data

    def _version_matters(self, cleaned_data) -> bool:
        if self.check_version_when_unchanged or cleaned_data.get("DELETE"):
            return True
        return any(name != "loaded_version" for name in self.changed_data)


class VersionedInlineForm(VersionedModelForm):
    check_version_when_unchanged = False


class LimitedChoicesWidgetWrapper(RelatedFieldWidgetWrapper):
    """The "+" beside a limited relation opens the add form with the limit already chosen.

    Case.court only offers parties of kind court; a new court added from there starts as one.
    """

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        limit = self.rel.limit_choices_to
        if isinstance(limit, dict) and limit:
            context["url_params"] += "&" + urlencode(url_params_from_lookup_dict(limit))
        return context


def with_limited_add_link(formfield):
    """Swap the admin's related-field wrapper for one whose "+" keeps the relation's limit."""
    widget = getattr(formfield, "widget", None)
    if type(widget) is RelatedFieldWidgetWrapper:
        formfield.widget = LimitedChoicesWidgetWrapper(
            widget.widget,
            widget.rel,
            widget.admin_site,
            can_add_related=widget.can_add_related,
            can_change_related=widget.can_change_related,
            can_delete_related=widget.can_delete_related,
            can_view_related=widget.can_view_related,
        )
    return formfield


def csv_columns(model) -> list[tuple[str, object]]:
    """(header, getter) pairs: a label, every concrete field in model order, then each many-to-many."""
    columns = [("label", str)]
    for field in model._meta.concrete_fields:
        columns.append((field.attname, lambda obj, name=field.attname: getattr(obj, name)))
    for field in model._meta.many_to_many:
        columns.append(
            (
                f"{field.name}_ids",
                lambda obj, name=field.name: ";".join(str(o.pk) for o in sorted(getattr(obj, name).all(), key=_pk)),
            )
        )
    return columns


def _pk(obj):
    return obj.pk


@admin.action(description="Export selected %(verbose_name_plural)s as CSV", permissions=["view"])
def export_as_csv(modeladmin, request, queryset):
    model = modeladmin.model
    columns = csv_columns(model)
    queryset = queryset.order_by("pk").prefetch_related(*(f.name for f in model._meta.many_to_many))
    if modeladmin.list_select_related and not isinstance(modeladmin.list_select_related, bool):
        queryset = queryset.select_related(*modeladmin.list_select_related)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(model._meta.verbose_name_plural)}.csv"'
    writer = csv.writer(response)
    writer.writerow([header for header, _ in columns])
    for obj in queryset:
        writer.writerow([csv_safe(getter(obj)) for _, getter in columns])
    return response


class AutocompleteLabelsMixin:
    """Autocompletes built from the tracker's widgets, labelled without a query per row."""

    def _label_select_related(self, db_field):
        remote_admin = self.admin_site._registry.get(db_field.remote_field.model)
        related = getattr(remote_admin, "list_select_related", ())
        return tuple(related) if isinstance(related, list | tuple) else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LabelledAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
            kwargs["widget"].label_select_related = self._label_select_related(db_field)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LabelledAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
            kwargs["widget"].label_select_related = self._label_select_related(db_field)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class TrackerAdmin(AutocompleteLabelsMixin, SimpleHistoryAdmin):
    """Base of every editors' screen: history and revert, optimistic locking, CSV export."""

    form = VersionedModelForm
    formfield_overrides = URL_OVERRIDES
    actions = [export_as_csv]
    list_per_page = 50
    show_full_result_count = False
    save_on_top = True

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return with_limited_add_link(super().formfield_for_dbfield(db_field, request, **kwargs))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConcurrentEditError:
            # Someone saved between this request's read and its write; the whole save (parent,
            # inlines, history, log entry) was rolled back. Validating the same POST again against
            # the rows as they are now turns the conflict into the form error on the page.
            try:
                return super().changeform_view(request, object_id, form_url, extra_context)
            except ConcurrentEditError:
                self.message_user(request, STALE_MESSAGE % {"name": self.opts.verbose_name}, messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and self._is_history_form(request):
            # simple-history's revert page edits the old row as it was, old version included;
            # the version to lock against is the current one, or every revert would be "stale".
            current = self.model._default_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
            if current is not None:
                obj.version = current
        return super().get_form(request, obj, change=change, **kwargs)

    @staticmethod
    def _is_history_form(request) -> bool:
        match = getattr(request, "resolver_match", None)
        return bool(match and match.url_name and match.url_name.endswith("_simple_history"))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        using = router.db_for_write(self.model)
        try:
            with transaction.atomic(using=using):
                return super().history_form_view(request, object_id, version_id, extra_context)
        except ConcurrentEditError:
            self.message_user(request, STALE_MESSAGE % {"name": self.opts.verbose_name}, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class TrackerInlineMixin(AutocompleteLabelsMixin):
    """Inline rows carry their version too, and show their relations as autocompletes."""

    form = VersionedInlineForm
    formset = LabelPrefetchingFormSet
    formfield_overrides = URL_OVERRIDES
    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return with_limited_add_link(super().formfield_for_dbfield(db_field, request, **kwargs))


class TrackerTabularInline(TrackerInlineMixin, admin.TabularInline):
    pass


class TrackerStackedInline(TrackerInlineMixin, admin.StackedInline):
    pass


FACT_FIELDSET = ("Sources and confidence", {"fields": ("sources", "confidence", "note")})


def admin_links(objects, viewname_for) -> str:
    """An HTML list of links to objects' admin pages, or a dash."""
    objects = list(objects)
    if not objects:
        return "–"
    return format_html(
        "<ul class='tracker-links'>{}</ul>",
        format_html_join("", "<li><a href='{}'>{}</a></li>", ((viewname_for(obj), str(obj)) for obj in objects)),
    )


class DocumentNumberFormMixin:
    """The ICJ document number in the Court's canonical form, checked by the one parser.

    The model normalises on save, but uniqueness is checked before that: without normalising here,
    a lower-case duplicate would pass the check and fail in the database.
    """

    def clean_document_number(self):
        return normalize_document_number(self.cleaned_data.get("document_number", ""))

    def check_document_case(self, case, field="document_number"):
        """A document number names its case; it must be this one."""
        number = self.cleaned_data.get(field)
        if not number or case is None:
            return
        named = parse_document_number(number).general_list_number
        if named != case.general_list_number:
            self.add_error(field, f"{number} is a document of case No. {named}, not of No. {case.general_list_number}.")


def fill_slug(form, cleaned_data, base: str, scope) -> None:
    """Give an empty identifier one made from the record's date and kind, unique within scope.

    Editors should not have to invent identifiers; the dataset's own are made the same way
    (2023-02-22-order, 2022-12-28-provisional-measures-request).
    """
    if cleaned_data.get("slug") or "slug" in form.errors or scope is None:
        return
    base = slugify(base)[:110]
    if not base:
        return
    taken = set(scope.exclude(pk=form.instance.pk).filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    cleaned_data["slug"] = candidate
