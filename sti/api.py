"""The REST API under /api/ (OpenAPI document at /api/openapi.json, browsable at /api/docs).

Each app contributes a `router` from its `api.py`. Reads are public and filtered by the same
access rules as the pages; writes need a bearer token (`sti.accounts.api_auth.TokenAuth`).
"""

from django.utils.module_loading import import_string
from ninja import NinjaAPI

from sti.core.statemachine import TransitionError, api_error

api = NinjaAPI(
    title="STI Platform API",
    version="1.0.0",
    description="API của nền tảng thông tin KH&CN: tổ chức, nhà khoa học, tài liệu, nhiệm vụ KH&CN.",
    urls_namespace="api-1.0.0",
)


@api.exception_handler(TransitionError)
def refused_move(request, error: TransitionError):
    """A refused state move, wherever an endpoint makes one: 403 (role) or 409 (illegal)."""
    status, body = api_error(error)
    return api.create_response(request, body, status=status)


ROUTERS = [
    ("/directory/", "sti.directory.api.router"),
    ("/search/", "sti.search.api.router"),
    ("/library/", "sti.library.api.router"),
    ("/projects/", "sti.projects.api.router"),
]
for prefix, dotted in ROUTERS:
    try:
        router = import_string(dotted)
    except ImportError:  # the app has no API yet
        continue
    api.add_router(prefix, router)
