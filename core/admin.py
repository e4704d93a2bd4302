"""Shared pieces of the editors' admin: optimistic locking across requests, history, CSV export."""

import csv
import datetime
import re
import unicodedata

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper, url_params_from_lookup_dict
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import capfirst, slugify
from simple_history.admin import SimpleHistoryAdmin

from core.admin_widgets import (
    COURT_DATE_EXAMPLE,
    MONTHS,
    CourtDateInput,
    LabelledAutocompleteSelect,
    LabelledAutocompleteSelectMultiple,
    LabelPrefetchingFormSet,
)
from core.csvsafe import csv_safe
from core.documents import normalize_document_number, parse_document_number
from core.models import CitedError, ConcurrentEditError

STALE_MESSAGE = (
    "Someone else changed this %(name)s since you opened the page, so your changes were not saved. "
    "Reload the page to see the current version, then apply your changes again."
)


def https_formfield(db_field, **kwargs):
    """Form fields as the model makes them, with addresses typed without a scheme read as https."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


# "sept" and the French months too: editors paste dates from the Court's texts in both languages.
_MONTH_NUMBERS = {name.casefold(): number for number, name in enumerate(MONTHS, start=1)} | {
    name[:3].casefold(): number for number, name in enumerate(MONTHS, start=1)
}
_MONTH_NUMBERS |= {"sept": 9} | {
    name: number
    for number, name in enumerate(
        [
            "janvier",
            "fevrier",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "aout",
            "septembre",
            "octobre",
            "novembre",
            "decembre",
        ],
        start=1,
    )
}
_ISO_DATE_RE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})")
_COURT_DATE_RE = re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th|er)?\s+(?P<month>[a-z]+)\.?,?\s+(?P<year>\d{4})")
_US_DATE_RE = re.compile(r"(?P<month>[a-z]+)\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})")
DATE_INVALID = (
    f"Enter the date as the Court writes it, e.g. {COURT_DATE_EXAMPLE} (26 Feb 2022 and 2022-02-26 work too)."
)


def parse_court_date(text: str) -> datetime.date | None:
    """A date typed as the Court writes it ("26 February 2022", "26 Feb 2022") or as ISO 8601; None if unreadable."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    folded = " ".join(folded.casefold().split())
    match = _ISO_DATE_RE.fullmatch(folded)
    if match:
        month = int(match["month"])
    else:
        match = _COURT_DATE_RE.fullmatch(folded) or _US_DATE_RE.fullmatch(folded)
        month = _MONTH_NUMBERS.get(match["month"]) if match else None
    if not month:
        return None
    try:
        return datetime.date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        return None


class CourtDateField(forms.DateField):
    """A date field for the admin: the Court's style in and out, ISO 8601 accepted."""

    widget = CourtDateInput
    default_error_messages = {"invalid": DATE_INVALID}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        parsed = parse_court_date(str(value))
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


URL_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}
# Every admin date, main forms and inlines alike: a text input in the Court's style, never the
# calendar widget (whose script adds a time-zone note that means nothing for a date).
FORMFIELD_OVERRIDES = {**URL_OVERRIDES, models.DateField: {"form_class": CourtDateField, "widget": CourtDateInput}}
RETURN_TO = "_return_to"


def safe_return_to(request) -> str:
    """The local page a record was started from (``?_return_to=``), or "" for anything else."""
    target = request.POST.get(RETURN_TO) or request.GET.get(RETURN_TO) or ""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
    ):
        return target
    return ""


def add_link(viewname: str, label: str, *, return_to: str, **params) -> str:
    """An "add" link that starts the new record from this one and comes back to it after saving."""
    query = {name: value for name, value in params.items() if value not in (None, "")}
    query[RETURN_TO] = return_to
    return format_html("<a class='addlink' href='{}?{}'>{}</a>", reverse(viewname), urlencode(query), label)


def latest_source_id(sources):
    """The newest of a record's sources: the default source of a record started from it."""
    source = sources.order_by(models.F("published_on").desc(nulls_last=True), "-id").first()
    return source.pk if source else None


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
    formfield_overrides = FORMFIELD_OVERRIDES
    actions = [export_as_csv]
    list_per_page = 50
    show_full_result_count = False
    save_on_top = True
    object_history_list_template = "admin/tracker/object_history_list.html"

    class Media:
        css = {"all": ["admin/tracker.css"]}

    def save_model(self, request, obj, form, change):
        if not getattr(obj, "_change_reason", None):
            # The history says what an editor did, not "None".
            changed = [str(form.fields[name].label or name) for name in form.changed_data if name in form.fields]
            obj._change_reason = (
                ("Edited in the admin: " + ", ".join(changed))[:100] if change else "Added in the admin"
            )
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        # Inline rows too: their history says they were entered or edited on their parent's page.
        parent = self.opts.verbose_name
        for inline_form in formset.forms:
            instance = inline_form.instance
            if inline_form.has_changed() and not getattr(instance, "_change_reason", None):
                verb = "Added" if instance.pk is None else "Edited"
                instance._change_reason = f"{verb} on the {parent}'s page in the admin"[:100]
        super().save_formset(request, form, formset, change)

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        return self._return_to(request, response)

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        return self._return_to(request, response)

    @staticmethod
    def _return_to(request, response):
        """After "Save", back to the case or decision the record was started from."""
        staying = {"_continue", "_addanother", "_saveasnew", "_change_history"} & set(request.POST)
        target = safe_return_to(request)
        if target and not staying and IS_POPUP_VAR not in request.POST and response.status_code == 302:
            return HttpResponseRedirect(target)
        return response

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
            form = super().get_form(request, obj, change=change, **kwargs)
            return _with_initial(form, self._historical_m2m(request))
        return super().get_form(request, obj, change=change, **kwargs)

    def _historical_m2m(self, request) -> dict:
        """The many-to-many values (sources, addressees…) as the revert page's history row recorded them.

        The historical instance reads its many-to-many fields from the current rows; the history keeps
        its own copy of them (simple-history's m2m_fields), which is what a revert must put back.
        """
        match = request.resolver_match
        # simple-history's revert URL captures (object_id, version_id) positionally.
        version_id = match.kwargs.get("version_id") or (match.args[1] if len(match.args) > 1 else None)
        record = self.model.history.filter(history_id=version_id).first()
        values = {}
        for field in self.model._meta.many_to_many:
            rows = getattr(record, field.name, None) if record is not None else None
            target = field.related_model._meta.model_name
            if rows is None or not hasattr(rows, "all") or field.related_model is self.model:
                continue
            values[field.name] = [getattr(row, f"{target}_id") for row in rows.all()]
        return values

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

    def get_deleted_objects(self, objs, request):
        """Django lists what a PROTECT foreign key keeps; a record cited through a many-to-many is kept too.

        Deleting it would silently drop it from every record citing it (a decision's sources, its
        responds_to), in none of their histories. Listed as protected, the delete page and the
        "delete selected" action show who cites it and refuse, as for a protected foreign key.
        """
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected)
        for obj in objs:
            citers, count = obj.citing_records(foreign_keys=False, limit=CitedError.NAMED)
            if count:
                self.message_user(request, str(CitedError(obj, citers, count)), messages.ERROR)
                protected.extend(self._citation_link(citer, obj) for citer in citers)
        return to_delete, model_count, perms_needed, protected

    def _citation_link(self, citer, cited):
        opts = citer._meta
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[citer.pk])
        except NoReverseMatch:
            return format_html("{}: {} (cites {})", capfirst(opts.verbose_name), citer, cited)
        return format_html('{}: <a href="{}">{}</a> (cites {})', capfirst(opts.verbose_name), url, citer, cited)


def _with_initial(form_class, initial: dict):
    """The form class, starting from `initial` where the caller gives no other value."""
    if not initial:
        return form_class

    class WithInitial(form_class):
        def __init__(self, *args, **kwargs):
            kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
            super().__init__(*args, **kwargs)

    WithInitial.__name__ = form_class.__name__
    return WithInitial


class TrackerInlineMixin(AutocompleteLabelsMixin):
    """Inline rows carry their version too, and show their relations as autocompletes."""

    form = VersionedInlineForm
    formset = LabelPrefetchingFormSet
    formfield_overrides = FORMFIELD_OVERRIDES
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


def fill_slug(form, cleaned_data, base: str, scope, *, field: str = "slug", max_length: int = 110) -> None:
    """Give an empty identifier one made from the record's date and kind, unique within scope.

    Editors should not have to invent identifiers; the dataset's own are made the same way
    (2023-02-22-order, 2022-12-28-provisional-measures-request).
    """
    if cleaned_data.get(field) or field in form.errors or scope is None:
        return
    base = slugify(base)[:max_length].strip("-")
    if not base:
        return
    taken = set(
        scope.exclude(pk=form.instance.pk).filter(**{f"{field}__startswith": base}).values_list(field, flat=True)
    )
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    cleaned_data[field] = candidate
