"""Abstract bases shared by every domain model."""

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models
from simple_history.models import HistoricalRecords, is_historic


class Confidence(models.TextChoices):
    VERIFIED = "verified", "verified (read in an ICJ document, or two independent sources)"
    SINGLE_SOURCE = "single_source", "single source"
    UNCERTAIN = "uncertain", "uncertain"


class ConcurrentEditError(DatabaseError):
    """Raised when a row changed between reading it and writing it back."""


class DeletedError(ConcurrentEditError):
    """Raised when a row was deleted between reading it and writing it back: the write does not bring it back."""


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

    history = HistoricalRecords(inherit=True)

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
