"""The REST API v1: one NinjaAPI, each room adds its router (see `<room>/api.py`)."""

from django.http import Http404, HttpRequest
from django.utils import translation
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer

from guichet.accounts.actions import authenticate_token
from guichet.lib.errors import Conflict, Forbidden, InvalidInput


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` with tokens from `guichet token create` or the profile."""

    def authenticate(self, request: HttpRequest, token: str):
        user = authenticate_token(token)
        if user is not None:
            request.user = user
            # As UserLanguageMiddleware does for the session: names come in the user's language.
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
        return user


class SessionAuth(APIKeyCookie):
    """The browser's session, CSRF-checked on unsafe methods (what the UI uses)."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


api = NinjaAPI(
    title="Guichet API",
    version="1",
    description="Service desk and IT asset manager. Authenticate with `Authorization: Bearer "
    "<token>` (see `guichet token create USER` or your profile page).",
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api-v1",
)


def _field_errors(errors: list[dict]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        # ("body", "payload", "title") -> "title": drop where the value came from and the
        # name of the body parameter, but keep a field that happens to be called "body".
        loc = [str(p) for p in error.get("loc", [])]
        if loc and loc[0] in ("body", "query", "path", "form", "file", "header", "cookie"):
            loc = loc[1:]
        if loc and loc[0] == "payload":
            loc = loc[1:]
        fields.setdefault(".".join(loc) or "__all__", []).append(str(error.get("msg", "")))
    return fields


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    return api.create_response(
        request, {"detail": "Invalid input.", "errors": _field_errors(exc.errors)}, status=422
    )


@api.exception_handler(InvalidInput)
def on_invalid_input(request, exc: InvalidInput):
    return api.create_response(
        request, {"detail": "Invalid input.", "errors": exc.errors}, status=422
    )


@api.exception_handler(Conflict)
def on_conflict(request, exc: Conflict):
    return api.create_response(request, {"detail": exc.message}, status=409)


@api.exception_handler(Forbidden)
def on_forbidden(request, exc: Forbidden):
    return api.create_response(request, {"detail": exc.message}, status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(request, {"detail": "Authentication required."}, status=401)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def register_routers() -> None:
    """Attach each room's router. Called once from urls.py."""
    from guichet.accounts.api import router as accounts_router
    from guichet.assets.api import router as assets_router
    from guichet.knowledge.api import router as knowledge_router
    from guichet.problems.api import router as problems_router
    from guichet.scripts.api import router as scripts_router
    from guichet.search.api import router as search_router
    from guichet.sla.api import config_router as sla_config_router
    from guichet.sla.api import reports_router as sla_reports_router
    from guichet.tickets.api import reference_router as tickets_reference_router
    from guichet.tickets.api import router as tickets_router

    api.add_router("/", accounts_router)
    api.add_router("/", tickets_reference_router)
    api.add_router("/tickets", tickets_router)
    api.add_router("/", sla_config_router)
    api.add_router("/reports", sla_reports_router)
    api.add_router("/articles", knowledge_router)
    api.add_router("/problems", problems_router)
    api.add_router("/scripts", scripts_router)
    api.add_router("/search", search_router)
    api.add_router("/", assets_router)
