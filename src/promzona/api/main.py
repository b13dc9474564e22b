"""The JSON API under ``/api/``: one NinjaAPI, one error format, routers from each app."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext
from ninja import NinjaAPI, Status, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser

from promzona import l10n
from promzona.applications.api import router as applications_router
from promzona.core.errors import PromzonaError
from promzona.dashboard.api import router as dashboard_router
from promzona.geodata.api import router as geodata_router
from promzona.instructions.api import router as instructions_router
from promzona.matching.api import router as matching_router
from promzona.ops.health import readiness
from promzona.projects.api import router as projects_router
from promzona.works.api import router as works_router

from .auth import Anonymous
from .schemas import ErrorOut, body_schemas

#: Answers any operation can give: bad input (400: not a JSON object, a NUL, a business rule;
#: 422: the schema), missing or refused credentials (401) and a body over the size limit (413).
COMMON_ERRORS = {
    400: "Invalid input", 401: "Missing or refused credentials",
    413: "Request body too large", 422: "The request does not match the schema",
}
#: Answers of operations that name an object in their path: it is not there, or not yours.
PATH_ERRORS = {404: "No such object, or not visible to the caller"}
#: Answers of writes that need a known caller: a role that may not, a state that forbids it.
WRITE_ERRORS = {403: "The caller's role may not do this",
                409: "The current state does not allow it (taken, exhausted, wrong status)"}


def _error_answers(path: str, method: str, operation: dict) -> dict[int, str]:
    """The error answers an operation documents, by the rules above."""
    answers = dict(COMMON_ERRORS)
    if "{" in path:
        answers |= PATH_ERRORS
    security = operation.get("security") or []
    if method != "get" and security and {} not in security:
        answers |= WRITE_ERRORS
    return answers


class StrictParser(Parser):
    """Every request body of this API is a JSON object: a list, string, number or null is
    refused (400) before any operation sees it. A single-valued query parameter given twice
    is refused (422) rather than one of its values silently chosen."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        return data

    def parse_querydict(self, data, list_fields, request):
        repeated = sorted(k for k, values in data.lists() if len(values) > 1 and k not in list_fields)
        if repeated:
            raise NinjaValidationError([
                {"type": "repeated", "loc": ["query", key[:100]], "msg": "given more than once"}
                for key in repeated[:20]])
        return super().parse_querydict(data, list_fields, request)


class _OpenAPI(OpenAPISchema):
    def operation_security(self, operation):
        security = super().operation_security(operation)
        if security and any(isinstance(a, Anonymous) for a in operation.auth_callbacks):
            security.append({})  # credentials are optional: anonymous callers are served too
        return security


class PromzonaAPI(NinjaAPI):
    """Documents optional credentials as optional, and every operation's error answers: those
    of :func:`_error_answers`' rules plus any its route names (``schemas.answers``)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        schema = _OpenAPI(self, path_prefix)
        schema.schemas.update(body_schemas())
        # ErrorOut is a component: the routers name it in their own answers (schemas.answers).
        ref = {"$ref": f"#/components/schemas/{ErrorOut.__name__}"}
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                for status, text in _error_answers(path, method, operation).items():
                    operation["responses"].setdefault(status, {
                        "description": text, "content": {"application/json": {"schema": ref}}})
        return schema


api = PromzonaAPI(
    title="promzona API",
    version="1",
    description="Plots, zones, utilities, matching and reservations of an industrial zone. "
    'Errors are `{"error": {"code", "message", "details"}}` with a 4xx status; non-public '
    "calls take `Authorization: Bearer <token>` (`promzona token create USERNAME`).",
    urls_namespace="api",
    # Swagger UI from ninja's bundled static files; no badge fetched from the validator service.
    docs=Swagger(settings={"validatorUrl": None}),
    parser=StrictParser(),
)


def error_response(request, status: int, code: str, message: str, details=None):
    return api.create_response(
        request, {"error": {"code": code, "message": message, "details": details}}, status=status
    )


@api.exception_handler(PromzonaError)
def _business_error(request, exc: PromzonaError):
    return api.create_response(request, exc.as_dict(gettext, l10n.lang()), status=exc.http_status)


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    return error_response(request, 422, "invalid", "The request does not match the schema.", exc.errors)


@api.exception_handler(DjangoValidationError)
def _django_validation_error(request, exc: DjangoValidationError):
    details = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
    return error_response(request, 400, "invalid", "Invalid data.", details)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return error_response(request, 401, "unauthenticated", "A valid API token is required.")


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if exc.status_code == 400:  # ninja's only 400: the body is not parsed (see StrictParser)
        return error_response(request, 400, "invalid", "The request body must be a JSON object.")
    return error_response(request, exc.status_code, "forbidden" if exc.status_code == 403 else "error",
                          str(exc))


@api.get("/health", auth=None, tags=["meta"])
def health(request):
    """Liveness: the process answers (touches nothing else)."""
    return {"status": "ok"}


@api.get("/health/ready", auth=None, tags=["meta"], response={200: dict, 503: dict})
def health_ready(request):
    """Readiness: the database answers, every migration is applied and a worker was seen
    lately; 503 with the failing checks otherwise."""
    checks = readiness()
    ready = all(state == "ok" for state in checks.values())
    return Status(200 if ready else 503,
                  {"status": "ok" if ready else "unavailable", "checks": checks})


api.add_router("/match", matching_router)
api.add_router("/", geodata_router)
api.add_router("/", applications_router)
api.add_router("/", instructions_router)
api.add_router("/", works_router)
api.add_router("/", projects_router)
api.add_router("/", dashboard_router)
