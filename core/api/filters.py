"""Filtering and ordering shared by every list: strict about parameters, stable in order."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django_filters import rest_framework as filters
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from core.api.fields import MAX_ID
from core.api.serializers import DATE_FORMAT, ISO_DATE
from core.search import full_text_filter

# Parameters every list understands besides its FilterSet's own.
COMMON_LIST_PARAMS = frozenset({"ordering", "page", "page_size", "pagination", "cursor", "format", "fields", "omit"})
# A detail (or a detail action such as a case's timeline) takes only these.
COMMON_DETAIL_PARAMS = frozenset({"format", "fields", "omit"})


def reject_unknown_params(request, allowed):
    unknown = sorted(set(request.query_params) - set(allowed))
    if unknown:
        raise ValidationError(
            {
                "unknown_parameters": [
                    f"Unknown query parameter(s): {', '.join(unknown)}. "
                    f"This endpoint accepts: {', '.join(sorted(allowed))}."
                ]
            }
        )


class IdField(forms.IntegerField):
    """A database id: whole, positive, and small enough for a bigint (larger ones would overflow)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [MinValueValidator(1), MaxValueValidator(MAX_ID)])
        super().__init__(*args, **kwargs)


class IdFilter(filters.Filter):
    field_class = IdField


class IsoDateField(forms.DateField):
    """A date as YYYY-MM-DD only, as on writes (Django's date formats also take 2023-2-3, full-width
    digits and 02/03/2023, which would filter by some date instead of refusing a typo)."""

    default_error_messages = {"invalid": f"Enter a date as {DATE_FORMAT}."}

    def to_python(self, value):
        if isinstance(value, str) and value and not ISO_DATE.fullmatch(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IsoDateFilter(filters.DateFilter):
    field_class = IsoDateField


class ApiFilterSet(filters.FilterSet):
    """Base FilterSet: the ``q`` full-text parameter, for models core.search knows."""

    def search(self, queryset, name, value):
        return full_text_filter(queryset, value)


def full_text():
    return filters.CharFilter(
        field_name="search_vector",
        lookup_expr="search",
        method="search",
        help_text="Full-text search, the same on PostgreSQL and SQLite: every word must match, in any "
        'English form (landmines finds "landmine-laying"); "a phrase" matches its words in order; a '
        'hyphenated term is a phrase (booby-traps finds "booby traps"); -word excludes (exclusions '
        "alone match nothing); or separates alternatives. Other punctuation (*, NEAR, parentheses, "
        "a lone quote) is ignored, never an error. PostgreSQL stems with its english configuration "
        "and ranks by ts_rank; SQLite (make run) uses FTS5's porter stemmer, ignores accents "
        "(PostgreSQL does not) and ranks by bm25, so the order of equally good matches can differ. "
        "Results are ordered by relevance unless ordering is given.",
    )


class StrictFilterBackend(filters.DjangoFilterBackend):
    """DjangoFilterBackend that answers 400 for a query parameter the list does not know."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        known = set(filterset_class.base_filters) if filterset_class else set()
        reject_unknown_params(request, known | COMMON_LIST_PARAMS)
        return super().filter_queryset(request, queryset, view)


class ApiOrderingFilter(OrderingFilter):
    """Whitelisted ordering; an unknown field is a 400; the id always breaks ties.

    With a full-text ``q`` and no explicit ordering, the most relevant rows come first.
    """

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        valid = {name for name, _label in self.get_valid_fields(queryset, view, {"request": request})}
        if raw is not None:
            terms = [term.strip() for term in raw.split(",") if term.strip()]
            bad = [term for term in terms if term.lstrip("-") not in valid]
            if bad or not terms:
                raise ValidationError(
                    {
                        self.ordering_param: [
                            f"Cannot order by {', '.join(bad) or '(nothing)'}; use: {', '.join(sorted(valid))}."
                        ]
                    }
                )
            ordering = terms
        else:
            ordering = list(view.ordering)
            if request.query_params.get("q", "").strip() and "search_rank" in queryset.query.annotations:
                ordering = ["-search_rank", *ordering]
        if not {"id", "-id"} & set(ordering):
            ordering.append("id")
        return ordering


def case_id():
    return IdFilter(field_name="case", lookup_expr="exact", help_text="Case id.")


def case_number(field_name="case__general_list_number"):
    return IdFilter(field_name=field_name, lookup_expr="exact", help_text="The case's general list number, e.g. 180.")


def date_filter(field_name, lookup_expr):
    when = "on or after" if lookup_expr == "gte" else "on or before"
    return IsoDateFilter(
        field_name=field_name, lookup_expr=lookup_expr, help_text=f"{field_name} {when} this date (YYYY-MM-DD)."
    )


def party_code(field_name, help_text):
    return filters.CharFilter(field_name=field_name, lookup_expr="iexact", help_text=help_text)


def boolean(field_name, help_text, method=None):
    """true or false, and nothing else (django-filter's BooleanFilter silently ignores other values)."""
    return filters.TypedChoiceFilter(
        field_name=field_name,
        lookup_expr="exact",
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
        method=method,
        help_text=help_text,
    )
