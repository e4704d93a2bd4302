"""Pages for anonymous readers, rendered once per data version and shared by every app server process.

A page is stored under the data version (core.dataversion), the host and the path with its query string,
so the first request after any write (or on a new day) renders it afresh: a cached page is never older than the record.
Signed-in users (editors see links to the admin) always get a page rendered for them. Only complete
200 answers are kept; PAGE_CACHE_TIMEOUT (seconds, 0 turns the cache off) bounds how long an unused page
occupies the cache.
"""

import hashlib
from functools import wraps

from django.utils import timezone

from core.dataversion import cached, current, keep, page_cache_timeout

# Marks a response as served from the cache (for tests and for anyone reading the headers).
CACHE_HEADER = "X-Page-Cache"


def _key(request, version: str) -> str:
    query = "&".join(sorted(request.META.get("QUERY_STRING", "").split("&")))
    digest = hashlib.sha256(f"{request.get_host()}|{request.path}|{query}".encode()).hexdigest()
    # Pages say what is next and what is past ("the next time-limit"): a new day renders them afresh.
    return f"page:{version}:{timezone.localdate().isoformat()}:{digest}"


def cached_page(view):
    """Serve a GET of the view to anonymous readers from the shared cache, keyed by the data version."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        timeout = page_cache_timeout()
        if timeout <= 0 or request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = _key(request, current())
        response = cached(key)
        if response is not None:
            response[CACHE_HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            if hasattr(response, "render") and callable(response.render):
                response.render()
            keep(key, response, timeout)
            response[CACHE_HEADER] = "miss"
        return response

    return wrapper
