from core.api.views import ApiViewSet
from parties.filters import PartyFilter, PersonFilter
from parties.models import Party, Person
from parties.serializers import PartySerializer, PersonSerializer


class PartyViewSet(ApiViewSet):
    """States and other actors that file, are addressed by measures, or make claims."""

    serializer_class = PartySerializer
    filterset_class = PartyFilter
    ordering = ["short_name", "id"]
    ordering_fields = ["id", "code", "short_name", "name", "updated_at"]

    def get_queryset(self):
        return Party.objects.for_api()


class PersonViewSet(ApiViewSet):
    """Judges, agents, counsel, ministers and spokespeople."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    ordering = ["name", "id"]
    ordering_fields = ["id", "name", "slug", "updated_at"]

    def get_queryset(self):
        return Person.objects.for_api()
