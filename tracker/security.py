"""The admin login's lockout (django-axes) and the Content-Security-Policy of each response (django-csp)."""

from axes.backends import AxesStandaloneBackend
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse


class LoginLockoutBackend(AxesStandaloneBackend):
    """Axes' check that the client is not locked out, skipped when ``authenticate()`` has no request.

    Every login form passes the request (the admin's does); only code calls without one (Django's
    test client ``login()``, a shell), which axes refuses outright, and it has no address to lock.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """The admin's page that says sign-in is locked, for how long and what to do (429, Retry-After)."""
    cool_off = settings.AXES_COOLOFF_TIME
    context = {
        **admin.site.each_context(request),
        "title": "Signing in is locked",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": int(cool_off.total_seconds() // 60),
    }
    response = TemplateResponse(request, "admin/login_locked_out.html", context, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response.render()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the API documentation pages' own directives.

    Swagger UI and ReDoc need a little more than the site's policy (``API_DOCS_CONTENT_SECURITY_POLICY``,
    keyed by URL name); every other response keeps the site's policy unchanged.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        match = getattr(request, "resolver_match", None)
        directives = settings.API_DOCS_CONTENT_SECURITY_POLICY.get(match.view_name) if match else None
        if directives and not report_only:
            parts.replace = {**(parts.replace or {}), **directives}
        return parts
