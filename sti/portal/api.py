"""The REST API under /api/ (OpenAPI document at /api/openapi.json, browsable at /api/docs).

Each app registers its ninja `router` (from its `api.py`) in its `AppConfig.ready()` with
`sti.core.registries.register_api_router`; a router that fails to import stops the start-up.
Reads are public and filtered by the same access rules as the pages; writes need a bearer
token (`sti.accounts.api_auth.TokenAuth`).
"""

from ninja import NinjaAPI

from sti.core.registries import api_routers
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


for prefix, router in api_routers():
    api.add_router(prefix, router)
