"""The API's representation of a case's dated items."""

from rest_framework import serializers

from core.api.serializers import FieldSelectionMixin
from proceedings.items import KIND_BY_KEY


def item_kind(item) -> str:
    """The item's own kind: a filing's or decision's kind, a hearing's subject, a claim's assessment."""
    obj = item.obj
    return {
        "filing": lambda: obj.kind,
        "hearing": lambda: obj.subject,
        "decision": lambda: obj.kind,
        "claim": lambda: obj.assessment,
        "event": lambda: "event",
    }[item.kind]()


class TimelineItemSerializer(FieldSelectionMixin, serializers.Serializer):
    """One dated item of a case's timeline, with the same label as on the case page, the docket and the feeds."""

    date = serializers.DateField(
        source="start", help_text="The item's date (a filing's time-limit when not yet filed)."
    )
    end_date = serializers.DateField(source="end", allow_null=True, help_text="Last day, for hearings and events.")
    type = serializers.ChoiceField(source="kind", choices=list(KIND_BY_KEY), help_text="What kind of item this is.")
    id = serializers.IntegerField(source="obj.pk")
    api_url = serializers.SerializerMethodField(help_text="The item in the API.")
    title = serializers.CharField(source="label", help_text="A one-line description.")
    kind = serializers.SerializerMethodField(
        help_text="The item's kind or subject (filing kind, hearing subject, decision kind, assessment, event)."
    )

    def get_api_url(self, item) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(item.api_url) if request is not None else item.api_url

    def get_kind(self, item) -> str:
        return item_kind(item)
