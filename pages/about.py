"""Pages that open the site's other doors to a reader: the API, and each Atom feed with how to subscribe."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from cases.models import Case
from pages.feeds import FEED_KINDS, UpdatesFeed


def api_home(request):
    return render(request, "pages/api_home.html")


def feed_about(request, kind, number=None):
    feed = UpdatesFeed()
    obj = feed.get_object(request, kind=kind, number=number)
    case = get_object_or_404(Case, general_list_number=number) if number is not None else None
    others = [
        (
            label,
            reverse("case-feed-about", args=[number, other]) if case else reverse("feed-about", args=[other]),
        )
        for other, label in FEED_KINDS.items()
        if other != kind
    ]
    context = {
        "title": feed.title(obj),
        "case": case,
        "kind": kind,
        "feed_url": request.build_absolute_uri(feed.feed_url(obj)),
        "entries": [(item, text) for item, text in feed.items(obj)[:10]],
        "others": others,
    }
    return render(request, "pages/feed_about.html", context)
