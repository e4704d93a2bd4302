"""Filtering and ordering shared by every list: strict about parameters, stable in order."""

from contextlib import contextmanager

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q, Subquery
from django_filters import rest_framework as filters
from django_filters.constants import EMPTY_VALUES
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from core.api.fields import MAX_ID
from core.api.serializers import DATE_FORMAT, ISO_DATE
from core.search import (
    SearchTooBroad,
    full_text_filter,
    match_limit,
    narrower_than,
    search_time_limit,
    search_timeout_ms,
    with_search_rank,
)

# Parameters every list understands besides its FilterSet's own.
COMMON_LIST_PARAMS = frozenset(
    {"ordering", "page", "page_size", "pagination", "cursor", "format", "fields", "omit", "expand"}
)
# A detail (or a detail action such as a case's timeline) takes only these: it always carries the whole
# record, so ?expand= is refused there (see refuse_expand).
COMMON_DETAIL_PARAMS = frozenset({"format", "fields", "omit"})


def refuse_expand(request):
    """A 400 on ``expand`` for a detail, saying why: a detail has every field already."""
    if "expand" in request.query_params:
        raise ValidationError(
            {
                "expand": [
                    "A detail always carries the whole record; expand applies to lists only. "
                    f"This endpoint accepts: {', '.join(sorted(COMMON_DETAIL_PARAMS))}."
                ]
            }
        )


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


@contextmanager
def _search_bounds(using):
    try:
        with search_time_limit(using):
            yield
    except SearchTooBroad as error:
        raise ValidationError({"q": [str(error)]}) from error


class TimeLimitedSearch:
    """QuerySet mixin: every query of an API search (the ranking probe, the count, the page and its
    prefetches) runs under the search time limit, and running past it is a 400 on ``q``.

    The queries run after the filter, in the paginator and the view; a clone keeps its class, so the
    bound follows the queryset wherever it is read.
    """

    def _fetch_all(self):
        if self._result_cache is None:
            with _search_bounds(self.db):
                super()._fetch_all()

    def count(self):
        with _search_bounds(self.db):
            return super().count()

    def exists(self):
        with _search_bounds(self.db):
            return super().exists()

    def aggregate(self, *args, **kwargs):
        with _search_bounds(self.db):
            return super().aggregate(*args, **kwargs)


_TIME_LIMITED: dict[type, type] = {}


def time_limited(queryset):
    """`queryset`, every query of which runs under the search time limit (see TimeLimitedSearch)."""
    base = type(queryset)
    if issubclass(base, TimeLimitedSearch):
        return queryset
    if base not in _TIME_LIMITED:
        _TIME_LIMITED[base] = type(f"TimeLimited{base.__name__}", (TimeLimitedSearch, base), {})
    limited = queryset._chain()
    limited.__class__ = _TIME_LIMITED[base]
    return limited


def _path_fields(model, path):
    """The model fields a lookup path such as ``case_parties__party__code`` walks through."""
    fields = []
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            break  # a lookup or transform (iexact, search), not a field
        fields.append(field)
        if not field.is_relation:
            break
        model = field.related_model
    return fields


def crosses_many(model, path) -> bool:
    """Whether filtering by the path joins rows that can repeat the model's rows (a to-many relation)."""
    return any(field.many_to_many or field.one_to_many for field in _path_fields(model, path))


def semi_join(queryset, condition):
    """The rows of queryset for which some related row meets the condition, each row once.

    ``WHERE id IN (SELECT ...)`` instead of a join and DISTINCT: DISTINCT sorts every matching row of the
    list (the whole table, unfiltered) before the first page can be cut, a semi-join keeps the list's own
    index order.
    """
    return queryset.filter(pk__in=queryset.model._base_manager.filter(condition).values("pk"))


class PartyCodeFilter(filters.CharFilter):
    """A party by its code: the party is found first (its code is unique), then the rows by the party's id.

    Filtering by ``filed_by__code`` through a join lets the planner walk the list's ordering index looking
    for a rare party's rows; comparing the foreign key with the one id the code names uses the index made
    for it.
    """

    def filter(self, queryset, value):
        if value in EMPTY_VALUES:
            return queryset
        if "__" not in self.field_name:  # the parties' own list
            return super().filter(queryset, value)
        relation = self.field_name.removesuffix("__code")
        party_model = _path_fields(queryset.model, relation)[-1].related_model
        party = Subquery(party_model._base_manager.filter(code__iexact=value.strip()).values("pk")[:1])
        condition = Q(**{relation: party})
        if crosses_many(queryset.model, relation):
            return semi_join(queryset, condition)
        return queryset.filter(condition)


class ApiFilterSet(filters.FilterSet):
    """Base FilterSet: the ``q`` full-text parameter, for models core.search knows.

    A filter through a to-many relation (a case's parties, a provision's addressees) is applied as a
    semi-join (see semi_join), so every list returns each row once without DISTINCT.
    """

    def filter_queryset(self, queryset):
        for name, value in self.form.cleaned_data.items():
            declared = self.filters[name]
            plain = declared.method is None and not isinstance(declared, PartyCodeFilter)
            if plain and value not in EMPTY_VALUES and crosses_many(queryset.model, declared.field_name):
                matching = declared.filter(queryset.model._base_manager.all(), value)
                queryset = queryset.filter(pk__in=matching.values("pk"))
            else:
                queryset = declared.filter(queryset, value)
        return queryset

    def search(self, queryset, name, value):
        # Unranked here: the ordering filter ranks once every filter has narrowed the rows, if few match.
        return time_limited(full_text_filter(queryset, value, ranked=False))


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
        "(PostgreSQL does not) and ranks by the fields that match, so the order of equally good matches "
        f"can differ. Without ordering, a search matching at most {match_limit():,} rows (after the other "
        "filters) is ordered by relevance, most relevant first; a broader one is in the list's default "
        "ordering, since ranking every match of a common word would take seconds. A search that cannot "
        f"be answered within {search_timeout_ms():,} ms is a 400 on q asking for more specific words "
        "or filters.",
    )


class StrictFilterBackend(filters.DjangoFilterBackend):
    """DjangoFilterBackend that answers 400 for a query parameter the list does not know."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        known = set(filterset_class.base_filters) if filterset_class else set()
        reject_unknown_params(request, known | COMMON_LIST_PARAMS)
        if known.isdisjoint(request.query_params):
            # No filter asked for: building and validating the FilterSet's form would change nothing.
            return queryset
        return super().filter_queryset(request, queryset, view)


class ApiOrderingFilter(OrderingFilter):
    """Whitelisted ordering; an unknown field is a 400; the id always breaks ties.

    With a full-text ``q`` and no explicit ordering, the most relevant rows come first when at most
    SEARCH_MATCH_LIMIT rows match (one LIMITed count tells); a broader search keeps the default ordering.
    """

    def filter_queryset(self, request, queryset, view):
        params = request.query_params
        if (
            isinstance(queryset, TimeLimitedSearch)
            and params.get("q", "").strip()
            and self.ordering_param not in params
            # A cursor walks in id order whatever the ordering filter says.
            and params.get("pagination", "cursor" if "cursor" in params else "page") == "page"
            and narrower_than(queryset) is not None
        ):
            queryset = with_search_rank(queryset, params["q"])
        return super().filter_queryset(request, queryset, view)

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
    return PartyCodeFilter(field_name=field_name, lookup_expr="iexact", help_text=help_text)


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
