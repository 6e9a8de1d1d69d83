"""The REST API under /api/ (OpenAPI document at /api/openapi.json, browsable at /api/docs).

Each app registers its ninja `router` (from its `api.py`) in its `AppConfig.ready()` with
`sti.core.registries.register_api_router`; a router that fails to import stops the start-up.
Reads are public and filtered by the same access rules as the pages; writes need a bearer
token (`sti.accounts.api_auth.TokenAuth`).

Every error answers in one shape (`sti.core.api.ErrorOut`), and the OpenAPI document lists,
for each operation, every error status it can return (`sti.core.api.document_errors`).
The docs page loads Swagger UI from the site's own static files (the "ninja" app), so it
works on a closed network.
"""

from ninja import NinjaAPI, Swagger

from sti.core.api import document_errors, install_error_handlers
from sti.core.registries import api_routers


class StiAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        return document_errors(super().get_openapi_schema(*args, **kwargs))


api = StiAPI(
    title="STI Platform API",
    version="1.0.0",
    description="API của nền tảng thông tin KH&CN: tổ chức, nhà khoa học, tài liệu, nhiệm vụ KH&CN.",
    urls_namespace="api-1.0.0",
    # Swagger UI from the "ninja" app's static files (settings.INSTALLED_APPS), and no call
    # to the public swagger.io validator: the page works on a closed network.
    docs=Swagger(settings={"validatorUrl": None}),
)
install_error_handlers(api)

for prefix, router in api_routers():
    api.add_router(prefix, router)
