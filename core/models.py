"""Abstract bases shared by every domain model."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, router, transaction
from django.db.models import ProtectedError
from simple_history.models import HistoricalRecords, is_historic

from core.validators import COURT_STATUTE, OLDEST_SOURCE, date_error, text_error


class Confidence(models.TextChoices):
    VERIFIED = "verified", "verified (read in an ICJ document, or two independent sources)"
    SINGLE_SOURCE = "single_source", "single source"
    UNCERTAIN = "uncertain", "uncertain"


class ConcurrentEditError(DatabaseError):
    """Raised when a row changed between reading it and writing it back."""


class DeletedError(ConcurrentEditError):
    """Raised when a row was deleted between reading it and writing it back: the write does not bring it back."""


class CitedError(ProtectedError):
    """Raised when deleting a record that other records still cite (as a source, an addressee, ...).

    A many-to-many citation is not protected by the database: deleting the record would silently
    drop it from every record that cites it, and that change would be in none of their histories.
    """

    # How many citing records the message names; it counts all of them.
    NAMED = 5

    def __init__(self, obj, citers: list, count: int):
        self.obj, self.citers, self.count = obj, citers, count
        named = ", ".join(_record_label(citer) for citer in citers[: self.NAMED])
        more = f" and {count - self.NAMED} more" if count > self.NAMED else ""
        records = "record" if count == 1 else "records"
        message = (
            f"Cannot delete: {_record_label(obj)} is cited by {count} {records}: {named}{more}. "
            "Remove it from them first (or delete them), then delete it."
        )
        super().__init__(message, set(citers))

    def __str__(self):
        return self.args[0]


def _record_label(obj) -> str:
    name = obj._meta.verbose_name
    return f"{name[:1].upper()}{name[1:]} '{getattr(obj, 'key', '') or obj}'"


class TrackerHistoricalRecords(HistoricalRecords):
    """simple-history's records, with each write's many-to-many rows in the history row of its save.

    Every door saves a record and then sets its many-to-many fields (the admin's save_related, the
    serializer, the loader), inside one transaction. simple-history would record that as two rows,
    the save without its sources and then a "~" with them; here the row of the save is amended
    instead, so one edit is one history row holding the record as it was written. A many-to-many
    change on its own (in another transaction) is a row of its own, as simple-history makes it; one
    made from the other side (source.decisions_decision_set.add(decision)) is recorded on the
    records it changed (the decisions), not on the source.
    """

    def create_historical_record_m2ms(self, history_instance, instance):
        super().create_historical_record_m2ms(history_instance, instance)
        using = router.db_for_write(type(instance), instance=instance)
        if history_instance.history_type == "-" or not transaction.get_connection(using).in_atomic_block:
            return
        instance._history_open_record = history_instance
        transaction.on_commit(lambda: instance.__dict__.pop("_history_open_record", None), using=using)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, model=None, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if reverse:
            # `instance` is the cited record; the citing ones changed. A reverse clear names none.
            for cited_by in model._base_manager.filter(pk__in=pk_set or ()):
                super().m2m_changed(cited_by, action, attr, pk_set=None, reverse=False, **kwargs)
            return
        record = instance.__dict__.get("_history_open_record")
        if record is None or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
            return
        for field in record._history_m2m_fields:
            self.m2m_models[field].objects.filter(history=record).delete()
        HistoricalRecords.create_historical_record_m2ms(self, record, instance)


class _ManyToManyFieldNames:
    """Every many-to-many field of the model: simple-history records their rows with each history row."""

    def __get__(self, instance, owner):
        return [field.name for field in owner._meta.many_to_many]


class VersionedModel(models.Model):
    """Timestamps, history and a version number that every write increments.

    The version is the basis of the API's ETag and If-Match: a save writes with
    ``UPDATE ... WHERE id = %s AND version = %s``, so two concurrent edits of the same row
    cannot both win; the second raises ConcurrentEditError instead of silently overwriting.
    An edit of a row deleted meanwhile raises DeletedError instead of inserting it again (Django's
    save falls back to an INSERT when its UPDATE finds no row), so a delete and an edit racing each
    other cannot both win either.
    """

    created_at = models.DateTimeField(auto_now_add=True, help_text="When this record was created here.")
    updated_at = models.DateTimeField(auto_now=True, help_text="When this record was last changed here.")
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Incremented by every write; the basis of the ETag."
    )

    history = TrackerHistoricalRecords(inherit=True)
    # Read by simple-history: a change of sources, addressees, responds_to or cases is a history row
    # holding the rows as they then were, so it can be seen and reverted like any other change.
    _history_m2m_fields = _ManyToManyFieldNames()

    # Date fields that may lie ahead (a time-limit), up to core.validators.FUTURE_YEARS; every other
    # date is of something that happened, so no later than today.
    future_dates: frozenset[str] = frozenset()
    # Date fields that may lie before the Court's Statute (a treaty a source reprints), back to OLDEST_SOURCE.
    historic_dates: frozenset[str] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding:
            self._expected_version = None
        else:
            self._expected_version = self.version
            # Checked first so the common case fails before Django's save marks the enclosing
            # transaction for rollback; the conditional UPDATE below still closes the race.
            self._raise_if_stale()
            self.version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version", "updated_at"}
        try:
            super().save(*args, **kwargs)
        except Exception:
            if self._expected_version is not None:
                self.version = self._expected_version
            raise
        finally:
            self._expected_version = None

    def _raise_if_stale(self):
        expected = self._expected_version
        current = type(self)._base_manager.filter(pk=self.pk).values_list("version", flat=True).first()
        if current is None and not self._may_restore():
            self._expected_version = None
            raise self._deleted_error(self.pk)
        if current is not None and current != expected:
            self._expected_version = None
            raise ConcurrentEditError(
                f"{self._meta.verbose_name} {self.pk} was changed by someone else since it was read "
                f"(version {expected}, now {current}); reload it and apply the change again."
            )

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        expected = getattr(self, "_expected_version", None)
        if expected is None:
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
        updated = base_qs.filter(pk=pk_val, version=expected)._update(values) > 0
        if updated:
            return True
        if base_qs.filter(pk=pk_val).exists():
            raise ConcurrentEditError(
                f"{self._meta.verbose_name} {pk_val} was changed by someone else since it was read "
                f"(expected version {expected}); reload it and apply the change again."
            )
        if not self._may_restore():
            # Returning False here would make Django's save INSERT the row again: a delete that
            # committed meanwhile would be undone, and the record would come back without its
            # many-to-many rows (its sources).
            raise self._deleted_error(pk_val)
        return False

    def _may_restore(self) -> bool:
        # simple-history's revert (the admin's history page) rebuilds a row from its history and
        # saves it over the current one: for a deleted record that is a deliberate restore.
        return is_historic(self)

    def _deleted_error(self, pk_val) -> DeletedError:
        return DeletedError(
            f"{self._meta.verbose_name} {pk_val} was deleted by someone else since it was read; "
            "nothing was saved and it stays deleted (create it again if it should exist)."
        )

    # --- what a field may hold ---------------------------------------------------------------
    # Checked here rather than by field validators, which would put a migration in every app. The
    # admin and the loader run full_clean() (clean_fields); the API's serializer runs
    # validate_constraints(), so both run the check. full_clean() leaves a field that failed in
    # clean_fields out of validate_constraints, so an error is reported once.

    def value_errors(self, exclude=None) -> dict[str, list[ValidationError]]:
        """Dates the Court's history cannot hold and text no renderer can carry, by field."""
        exclude = set(exclude or ())
        errors: dict[str, list[ValidationError]] = {}
        for field in self._meta.concrete_fields:
            if field.name in exclude:
                continue
            value = getattr(self, field.attname, None)
            message = None
            if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
                if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
                    earliest = OLDEST_SOURCE if field.name in self.historic_dates else COURT_STATUTE
                    message = date_error(value, future=field.name in self.future_dates, earliest=earliest)
                    code = "implausible_date"
            elif isinstance(field, (models.CharField, models.TextField)) and isinstance(value, str):
                message, code = text_error(value), "unprintable"
            if message:
                errors[field.name] = [ValidationError(message, code=code)]
        return errors

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, messages in self.value_errors({*(exclude or ()), *errors}).items():
            errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        errors = self.value_errors(exclude)
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    # --- deleting ----------------------------------------------------------------------------

    def citing_relations(self, *, foreign_keys: bool = True) -> list:
        """The relations through which other records cite this one.

        Every many-to-many that points here (a fact's sources, a decision's responds_to, a measure's
        addressees, an event's cases) and, with ``foreign_keys``, every PROTECT or RESTRICT foreign
        key (a filing's case, a vote's judge). A CASCADE child belongs to this record and goes with it.
        """
        relations = []
        for relation in self._meta.related_objects:
            protects = foreign_keys and relation.on_delete in (models.PROTECT, models.RESTRICT)
            if relation.many_to_many or protects:
                relations.append(relation)
        return relations

    def citing_records(self, *, foreign_keys: bool = True, limit: int = CitedError.NAMED) -> tuple[list, int]:
        """Up to `limit` records that cite this one, and how many do."""
        found, count = [], 0
        for relation in self.citing_relations(foreign_keys=foreign_keys):
            citing = relation.related_model._base_manager.filter(**{relation.field.name: self.pk})
            if relation.related_model is type(self):
                citing = citing.exclude(pk=self.pk)
            citing = citing.distinct().order_by("pk")
            n = citing.count()
            if n:
                count += n
                found.extend(citing[: max(limit - len(found), 0)])
        return found, count

    def raise_if_cited(self) -> None:
        citers, count = self.citing_records()
        if count:
            raise CitedError(self, citers, count)

    def delete(self, *args, **kwargs):
        # Checked inside the caller's transaction: the API's destroy locks the row first
        # (SELECT ... FOR UPDATE), and on PostgreSQL a citation inserted meanwhile waits for it.
        self.raise_if_cited()
        return super().delete(*args, **kwargs)


class FactModel(VersionedModel):
    """A fact about proceedings: it names its sources and says how sure we are of it."""

    sources = models.ManyToManyField(
        "sources.Source",
        related_name="%(app_label)s_%(class)s_set",
        help_text="Where this fact comes from. No fact without a source.",
    )
    confidence = models.CharField(
        max_length=16,
        choices=Confidence,
        default=Confidence.VERIFIED,
        help_text="verified: read in an ICJ document or two independent sources; "
        "single_source: one source only; uncertain: not confirmed.",
    )
    note = models.TextField(blank=True, help_text="Why the fact is uncertain, or how the sources disagree.")

    class Meta:
        abstract = True


class ChoicesConstraint(models.CheckConstraint):
    """A CheckConstraint holding a TextChoices field to its values, validated in Python.

    The database enforces it like any check constraint. ``full_clean()`` validates it without
    the query Django runs for a generic condition, because the admin, the API and the dataset
    loader validate every row they write and a model carries several of these. It deconstructs
    as a plain CheckConstraint, so migrations do not depend on this class.
    """

    def __init__(self, *, field: str, values, **kwargs):
        self.field, self.values = field, list(values)
        kwargs.setdefault("condition", models.Q(**{f"{field}__in": self.values}))
        super().__init__(**kwargs)

    def validate(self, model, instance, exclude=None, using=None):
        if exclude and self.field in exclude:
            return
        if getattr(instance, self.field) not in self.values:
            raise ValidationError(self.get_violation_error_message(), code=self.violation_error_code)

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        return "django.db.models.CheckConstraint", args, kwargs

    def clone(self):
        _, args, kwargs = super().deconstruct()
        return self.__class__(*args, field=self.field, values=self.values, **kwargs)

    def __eq__(self, other):
        if isinstance(other, ChoicesConstraint):
            return super().__eq__(other) and (self.field, self.values) == (other.field, other.values)
        return super().__eq__(other)


def choices_constraint(field: str, choices, name: str, allow_blank: bool = False) -> models.CheckConstraint:
    """A constraint that holds a TextChoices field to its values in the database."""
    values = list(choices.values) + ([""] if allow_blank else [])
    return ChoicesConstraint(
        field=field,
        values=values,
        name=name,
        violation_error_message=f"{field} must be one of: {', '.join(v for v in values if v)}.",
    )


class DataVersion(models.Model):
    """One row whose number every committed write to the record increments (core.dataversion).

    Kept in the database rather than in the cache so the increment is part of the writer's own
    transaction: a reader that sees the new number also sees the write, so nothing is cached under it stale.
    """

    version = models.BigIntegerField(default=0, help_text="Incremented by every write to a tracker record.")

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="core_dataversion_one_row")]

    def __str__(self):
        return f"Data version {self.version}"
