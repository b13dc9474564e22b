"""The JSON API under ``/api/``: one NinjaAPI, one error format, routers from each app."""

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from promzona.applications.api import router as applications_router
from promzona.core.errors import PromzonaError
from promzona.dashboard.api import router as dashboard_router
from promzona.geodata.api import router as geodata_router
from promzona.instructions.api import router as instructions_router
from promzona.matching.api import router as matching_router
from promzona.projects.api import router as projects_router
from promzona.works.api import router as works_router

api = NinjaAPI(
    title="promzona API",
    version="1",
    description="Plots, zones, utilities, matching and reservations of an industrial zone. "
    'Errors are `{"error": {"code", "message", "details"}}` with a 4xx status; non-public '
    "calls take `Authorization: Bearer <token>` (`promzona token create USERNAME`).",
    urls_namespace="api",
    # Swagger UI from ninja's bundled static files; no badge fetched from the validator service.
    docs=Swagger(settings={"validatorUrl": None}),
)


def error_response(request, status: int, code: str, message: str, details=None):
    return api.create_response(
        request, {"error": {"code": code, "message": message, "details": details}}, status=status
    )


@api.exception_handler(PromzonaError)
def _business_error(request, exc: PromzonaError):
    return api.create_response(request, exc.as_dict(), status=exc.http_status)


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
    return error_response(request, exc.status_code, "error", str(exc))


@api.get("/health", auth=None, tags=["meta"])
def health(request):
    """Liveness check."""
    return {"status": "ok"}


api.add_router("/match", matching_router)
api.add_router("/", geodata_router)
api.add_router("/", applications_router)
api.add_router("/", instructions_router)
api.add_router("/", works_router)
api.add_router("/", projects_router)
api.add_router("/", dashboard_router)
