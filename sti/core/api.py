"""Shared pieces of the apps' ninja routers: bounded pagination, filter parameters, and the
one error shape of the whole API.

Page numbers and offsets are bounded where the API declares them, so a request for page
4.6e17 or offset 2^63 is a 422 with a message, never a database overflow (a 500).

Every error the API answers, whatever raised it (a ninja validation error, an `HttpError`,
`Http404`, `PermissionDenied`, a failed bearer token, a refused state move, a Django
`ValidationError` from a service, a FilterSet refusing a query value), has the body
`ErrorOut`: `{"detail": "<message>", "code": "<machine code>", "errors": [{"loc", "msg"}]}`.
`install_error_handlers(api)` installs the handlers and `document_errors(schema)` lists in
the OpenAPI document every error status each operation can return.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from http import HTTPStatus
from typing import Annotated, Any, Literal

import django_filters
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PageNumberPagination
from pydantic import BeforeValidator, create_model, model_validator
from pydantic_core import PydanticCustomError

from sti.core.statemachine import TransitionError

# Far beyond any real listing (10,000 pages of 100), well inside every database's integers.
MAX_PAGE = 10_000
MAX_OFFSET = 1_000_000


class QueryParams(Schema):
    """Base of every endpoint's query parameters. A parameter given empty (`?from=`) is
    refused as its declared type refuses it (a 422 naming the field), exactly as the published
    schema says: treating it as absent would accept requests the schema calls invalid."""


class BoundedPageNumberPagination(PageNumberPagination):
    """`?page=` from 1 to MAX_PAGE, `?page_size=` from 1 to the router's maximum."""

    class Input(QueryParams):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=1_000)


class OffsetWindow(QueryParams):
    """`?offset=` and `?limit=` of an offset-paginated list, bounded."""

    offset: int = Field(0, ge=0, le=MAX_OFFSET)
    limit: int = Field(50, ge=1, le=1_000)


class PayloadSchema(Schema):
    """Base of every request body: a JSON object, nothing else.

    ninja's `Schema` reads attributes of whatever it is given (to build output from model
    instances), so a body of `"AAA"` would validate as an object whose `title` is
    `"AAA".title()`; a request body must be an object, or it is a 422."""

    @model_validator(mode="wrap")
    @classmethod
    def _an_object(cls, value, handler):
        if not isinstance(value, dict | cls):
            raise PydanticCustomError("model_attributes_type", "Input should be an object")
        if isinstance(value, dict):
            _refuse_booleans_as_numbers(cls, value)
        return handler(value)


def _members(annotation) -> list:
    """The types a field admits (optional or not, Annotated unwrapped)."""
    import types
    import typing

    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [a for a in args if a is not type(None)]
    if typing.get_origin(annotation) is Annotated:
        return _members(args[0])
    return [annotation]


def _all_of(annotation, kinds: tuple) -> bool:
    members = _members(annotation)
    return bool(members) and all(
        isinstance(m, type) and issubclass(m, kinds) and m is not bool for m in members
    )


def _numeric_only(annotation) -> bool:
    """Whether a field's type is a number (optional or not) and admits no boolean."""
    import decimal

    return _all_of(annotation, (int, float, decimal.Decimal))


def _refuse_booleans_as_numbers(schema, value: dict) -> None:
    """JSON `true`/`false` where a number is declared is an error (pydantic's lax mode would
    store 1/0: a price of `false` đồng)."""
    for name, field in schema.model_fields.items():
        key = field.alias or name
        item = value.get(key, value.get(name))
        if isinstance(item, bool) and _numeric_only(field.annotation):
            raise PydanticCustomError(
                "int_type", "Input should be a number, not true/false ({field})", {"field": key}
            )
        # A date is written YYYY-MM-DD: lax mode would read a number as seconds since 1970.
        if isinstance(item, bool | int | float) and _all_of(field.annotation, (dt.date,)):
            raise PydanticCustomError(
                "date_type", "Input should be a date YYYY-MM-DD ({field})", {"field": key}
            )


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value):
    """A date parameter is written YYYY-MM-DD, as the schema says: pydantic would also read
    a number ("0") as seconds since 1970."""
    if isinstance(value, bool | int | float) or (
        isinstance(value, str) and not _ISO_DATE.fullmatch(value)
    ):
        raise PydanticCustomError("date_from_datetime_parsing", "Input should be YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_only)]


# ---------------------------------------------------------------------------
# The error shape
# ---------------------------------------------------------------------------
class ErrorCode(enum.StrEnum):
    """Machine codes of `ErrorOut.code` (a refused state move keeps its own: `illegal`,
    `forbidden`)."""

    BAD_REQUEST = "bad_request"
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    INVALID = "invalid"
    ILLEGAL = "illegal"
    TOO_MANY_REQUESTS = "too_many_requests"
    ERROR = "error"


CODE_FOR_STATUS = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.UNAUTHORIZED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    409: ErrorCode.CONFLICT,
    422: ErrorCode.INVALID,
    429: ErrorCode.TOO_MANY_REQUESTS,
}


class ErrorItem(Schema):
    """One refused value: where it was (`["query", "page"]`, `["body", "title"]`) and why."""

    loc: list[str | int]
    msg: str


class ErrorOut(Schema):
    """The body of every error answer of the API."""

    detail: str = Field(description="Thông báo cho người dùng (tiếng Việt).")
    code: ErrorCode = Field(description="Mã lỗi cho chương trình.")
    errors: list[ErrorItem] = Field([], description="Từng giá trị bị từ chối, nếu có.")


class ApiError(Exception):
    """An error answer raised from an endpoint or a shared helper, in the one shape."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        code: str | None = None,
        errors: list[dict] | None = None,
    ):
        super().__init__(detail)
        self.status = status
        self.detail = str(detail)
        self.code = code or CODE_FOR_STATUS.get(status, ErrorCode.ERROR).value
        self.errors = errors or []


def error_body(detail, code, errors=()) -> dict:
    return {
        "detail": str(detail),
        "code": code.value if isinstance(code, enum.Enum) else str(code),
        "errors": [{"loc": list(item["loc"]), "msg": str(item["msg"])} for item in errors],
    }


def _default_detail(status: int) -> str:
    return {
        400: _("Yêu cầu không hợp lệ."),
        401: _("Cần một token API hợp lệ (tiêu đề Authorization: Bearer …)."),
        403: _("Bạn không có quyền thực hiện thao tác này."),
        404: _("Không tìm thấy."),
        409: _("Thao tác mâu thuẫn với trạng thái hiện tại."),
        422: _("Dữ liệu không hợp lệ."),
        429: _("Quá nhiều yêu cầu; vui lòng thử lại sau."),
    }.get(status, _("Yêu cầu không thực hiện được."))


def _pydantic_message(error: dict) -> str:
    """A Vietnamese message for the common pydantic error types, else pydantic's own."""
    context = error.get("ctx") or {}
    kind = error.get("type", "")
    messages = {
        "missing": lambda: _("Thiếu giá trị bắt buộc."),
        "int_parsing": lambda: _("Phải là một số nguyên."),
        "int_from_float": lambda: _("Phải là một số nguyên."),
        "float_parsing": lambda: _("Phải là một số."),
        "bool_parsing": lambda: _("Phải là true hoặc false."),
        "date_from_datetime_parsing": lambda: _("Phải là một ngày (YYYY-MM-DD)."),
        "date_parsing": lambda: _("Phải là một ngày (YYYY-MM-DD)."),
        "greater_than_equal": lambda: (
            _("Phải lớn hơn hoặc bằng %(limit)s.") % {"limit": context.get("ge")}
        ),
        "less_than_equal": lambda: (
            _("Phải nhỏ hơn hoặc bằng %(limit)s.") % {"limit": context.get("le")}
        ),
        "literal_error": lambda: (
            _("Phải là một trong các giá trị: %(expected)s.")
            % {"expected": context.get("expected")}
        ),
        "enum": lambda: (
            _("Phải là một trong các giá trị: %(expected)s.")
            % {"expected": context.get("expected")}
        ),
        "string_too_long": lambda: (
            _("Dài quá %(limit)s ký tự.") % {"limit": context.get("max_length")}
        ),
        "json_invalid": lambda: _("Nội dung JSON không đọc được."),
        "list_type": lambda: _("Phải là một danh sách."),
        "string_type": lambda: _("Phải là một chuỗi ký tự."),
        "model_attributes_type": lambda: _("Phải là một đối tượng JSON."),
        "dict_type": lambda: _("Phải là một đối tượng JSON."),
    }
    return str(messages[kind]()) if kind in messages else str(error.get("msg", ""))


def _pydantic_loc(loc) -> list[str | int]:
    """ninja's location without the name of the view's argument: ["query", "page"]."""
    loc = list(loc)
    if len(loc) >= 3 and loc[0] in ("body", "query", "path", "header", "cookie", "form"):
        # ("query", "filters", "kind") → ["query", "kind"]; ("body", "payload", "title") too.
        loc = [loc[0], *loc[2:]]
    return [part if isinstance(part, int) else str(part) for part in loc]


def _django_errors(error: DjangoValidationError) -> list[dict]:
    if hasattr(error, "error_dict"):
        return [
            {
                "loc": ["body"] if name == NON_FIELD_ERRORS else ["body", name],
                "msg": message,
            }
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"loc": ["body"], "msg": message} for message in error.messages]


def install_error_handlers(api) -> None:
    """Give every error of `api` the `ErrorOut` shape (install once, on the one API)."""

    def answer(request, status, detail, code, errors=(), headers=None):
        response = api.create_response(request, error_body(detail, code, errors), status=status)
        for name, value in (headers or {}).items():
            response[name] = value
        return response

    @api.exception_handler(ApiError)
    def api_error(request, error: ApiError):
        return answer(request, error.status, error.detail, error.code, error.errors)

    @api.exception_handler(NinjaValidationError)
    def invalid_input(request, error: NinjaValidationError):
        errors = [
            {"loc": _pydantic_loc(item.get("loc", ())), "msg": _pydantic_message(item)}
            for item in error.errors
        ]
        listed = "; ".join(
            f"{'.'.join(str(p) for p in item['loc'][1:]) or item['loc'][0]}: {item['msg']}"
            for item in errors[:5]
        )
        detail = f"{_default_detail(422)} {listed}".strip()
        return answer(request, 422, detail, ErrorCode.INVALID, errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, error: AuthenticationError):
        return answer(
            request,
            401,
            _default_detail(401),
            ErrorCode.UNAUTHORIZED,
            headers={"WWW-Authenticate": "Bearer"},
        )

    @api.exception_handler(HttpError)
    def http_error(request, error: HttpError):
        status = error.status_code
        code = CODE_FOR_STATUS.get(status, ErrorCode.ERROR)
        if str(error).startswith("Cannot parse request body"):  # ninja's own, in English
            message = _("Không đọc được nội dung yêu cầu (JSON).")
            return answer(request, 400, message, code, [{"loc": ["body"], "msg": message}])
        return answer(request, status, str(error) or _default_detail(status), code)

    @api.exception_handler(Http404)
    def not_found(request, error: Http404):
        # Django's own messages ("No Organization matches the given query.") are English and
        # name models; the API says it in one Vietnamese sentence.
        return answer(request, 404, _default_detail(404), ErrorCode.NOT_FOUND)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, error: PermissionDenied):
        return answer(request, 403, str(error) or _default_detail(403), ErrorCode.FORBIDDEN)

    @api.exception_handler(TransitionError)
    def refused_move(request, error: TransitionError):
        """A refused state move, wherever an endpoint makes one: 403 (role) or 409 (illegal)."""
        return answer(request, error.status, error.message, error.code)

    @api.exception_handler(DjangoValidationError)
    def refused_data(request, error: DjangoValidationError):
        """A service refusing the data (model validation, a form's checks): 422."""
        errors = _django_errors(error)
        detail = "; ".join(str(item["msg"]) for item in errors[:5]) or _default_detail(422)
        return answer(request, 422, detail, ErrorCode.INVALID, errors)


# ---------------------------------------------------------------------------
# The OpenAPI document: every error status of every operation
# ---------------------------------------------------------------------------
WRITE_METHODS = {"post", "put", "patch", "delete"}


def error_statuses(method: str, operation: dict) -> list[int]:
    """The error statuses an operation can answer, from what the document says of it:
    400 and 422 for any input, 404 where the path names a record, 401 and 403 behind a
    token, 403, 404 and 409 for writes (access, a vanished record, a refused move).

    429 is answered only where an endpoint limits how often it may be called (an anonymous
    form such as a service request; a ninja throttle): such an endpoint declares it
    (`response={…, 429: ErrorOut}`) and `document_errors` describes it like the others.
    The login lockout of django-axes never answers the API: a bearer token is not a login."""
    statuses = {400, 422}
    parameters = operation.get("parameters", [])
    if any(parameter.get("in") == "path" for parameter in parameters):
        statuses.add(404)
    if operation.get("security"):
        statuses |= {401, 403}
    if method.lower() in WRITE_METHODS:
        statuses |= {403, 404, 409}
    return sorted(statuses)


ERROR_DESCRIPTIONS = {
    400: "Yêu cầu không hợp lệ (giá trị lọc, tệp tải lên)",
    401: "Thiếu hoặc sai token API",
    403: "Không có quyền",
    404: "Không tìm thấy hoặc không được xem",
    409: "Mâu thuẫn với trạng thái hiện tại (bước chuyển không hợp lệ)",
    422: "Dữ liệu không hợp lệ",
    429: "Quá nhiều yêu cầu (giới hạn tần suất); thử lại sau",
}


def document_errors(schema: dict) -> dict:
    """Add `ErrorOut` under every error status each operation of `schema` can return
    (statuses an endpoint declares itself are kept)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in error_schema.pop("$defs", {}).items():
        components.setdefault(name, definition)
    components["ErrorOut"] = error_schema
    reference = {"$ref": "#/components/schemas/ErrorOut"}
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status, response in responses.items():
                # A status the endpoint declares itself (a 429) gets our words, not ninja's
                # stock English phrase ("Too Many Requests").
                code = int(status)
                if code in ERROR_DESCRIPTIONS and response.get("description") == (
                    HTTPStatus(code).phrase
                ):
                    response["description"] = ERROR_DESCRIPTIONS[code]
            for status in error_statuses(method, operation):
                if status in responses or str(status) in responses:
                    continue
                responses[status] = {
                    "description": ERROR_DESCRIPTIONS[status],
                    "content": {"application/json": {"schema": reference}},
                }
    return schema


# ---------------------------------------------------------------------------
# Filter parameters of a FilterSet, for the OpenAPI document
# ---------------------------------------------------------------------------
def _choice_values(item) -> tuple[str, ...] | None:
    """The fixed values of a ChoiceFilter, or None when they come from the database."""
    choices = item.extra.get("choices")
    if choices is None or callable(choices):
        return None
    return tuple(str(value) for value, _label in choices if value not in ("", None))


def filter_schema(filterset_class, name: str) -> type[Schema]:
    """The query parameters of a FilterSet for ninja: fixed choices as an enum, booleans as
    booleans, numbers as numbers, the rest as text. Filtering itself is done by the FilterSet
    on `request.GET` (see `filtered`), so page and API cannot drift apart."""
    fields: dict[str, Any] = {}
    for filter_name, item in filterset_class.base_filters.items():
        annotation: Any = str | None
        bounds: dict[str, Any] = {}
        values = _choice_values(item) if isinstance(item, django_filters.ChoiceFilter) else None
        if isinstance(item, django_filters.BooleanFilter):
            annotation = bool | None
        elif isinstance(item, django_filters.NumberFilter):
            annotation = int | None
            # The form field's bounds (`NumberFilter(min_value=…, max_value=…)`), documented.
            bounds = {
                "ge": item.extra.get("min_value"),
                "le": item.extra.get("max_value"),
            }
            bounds = {key: value for key, value in bounds.items() if value is not None}
        elif values:
            annotation = Literal[values] | None
        description = str(item.label or filter_name)
        fields[filter_name] = (annotation, Field(None, description=description, **bounds))
    return create_model(name, __base__=QueryParams, **fields)


def filtered(filterset):
    """The FilterSet's queryset, or a 400 naming each refused query value."""
    if filterset.is_valid():
        return filterset.qs
    errors = [
        {"loc": ["query", name], "msg": str(message)}
        for name, messages in filterset.errors.items()
        for message in messages
    ]
    detail = "; ".join(f"{item['loc'][1]}: {item['msg']}" for item in errors)
    raise ApiError(400, detail, errors=errors)


__all__ = [
    "MAX_OFFSET",
    "MAX_PAGE",
    "ApiError",
    "BoundedPageNumberPagination",
    "ErrorOut",
    "IsoDate",
    "OffsetWindow",
    "QueryParams",
    "PayloadSchema",
    "Query",
    "document_errors",
    "filter_schema",
    "filtered",
    "install_error_handlers",
]
