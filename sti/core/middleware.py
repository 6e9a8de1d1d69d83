"""Site-wide middleware: the visitor's language, and the login page for anonymous visitors
refused a page."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect


class ChosenLanguageMiddleware:
    """Vietnamese by default: the language comes from the visitor's choice (the language
    cookie set by the switch in the header), never from the browser's Accept-Language,
    because many Vietnamese users run browsers in English."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class LoginForAnonymousMiddleware:
    """A page refused (PermissionDenied) to an anonymous visitor sends them to the login page,
    with `?next=` back to it; a signed-in user without the role still gets the 403 page.

    One place for every page, whether refused by `editor_required`, a view's own check or a
    service. The API is left alone: it answers 401/403 in JSON (`sti.core.api`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, PermissionDenied):
            return None
        user = getattr(request, "user", None)
        if user is None or user.is_authenticated or _is_api(request):
            return None
        htmx = getattr(request, "htmx", None)
        if htmx:
            # A fragment request would swap the login page into the page: the whole page
            # goes to the login instead, and comes back to the page, not to the fragment.
            back = htmx.current_url_abs_path or request.get_full_path()
            return HttpResponseClientRedirect(redirect_to_login(back)["Location"])
        return redirect_to_login(request.get_full_path())


def _is_api(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return bool(match and "ninja" in match.app_names)
