"""Building blocks shared by the API schemas of every room: ids, safe text, moments, errors.

The input types refuse, with a 422 naming the field, what would otherwise reach the database
and fail there (a 500): integers beyond 64 bits, NUL characters (PostgreSQL refuses them in
text), lone surrogates (not encodable in UTF-8), and dates that overflow once moved to UTC.
"""

from datetime import UTC, date, datetime
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from guichet.lib.errors import InvalidInput
from guichet.lib.pagination import decode_cursor

MAX_ID = 2**63 - 1


def _invalid(message: str) -> PydanticCustomError:
    # A custom error keeps the message as it is (a ValueError gets a "Value error, " prefix).
    return PydanticCustomError("invalid", message)


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise _invalid(_("Contains a NUL character."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _invalid(_("Contains characters that are not valid text.")) from None
    return value


def _aware_moment(value: datetime) -> datetime:
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    try:
        in_utc = value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise _invalid(_("This date is out of range.")) from None
    if not 1900 <= in_utc.year <= 9000:
        raise _invalid(_("This date is out of range."))
    return value


def _plausible_day(value: date) -> date:
    if not 1900 <= value.year <= 9000:
        raise _invalid(_("This date is out of range."))
    return value


# A database id: positive and within a signed 64-bit integer.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# Text that the database accepts as it is.
Text = Annotated[str, AfterValidator(_clean_text)]
# A date and time; without an offset it is read in the server's time zone.
Moment = Annotated[datetime, AfterValidator(_aware_moment)]
# A calendar day, within years a query can handle in any time zone.
Day = Annotated[date, AfterValidator(_plausible_day)]


def _without_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def optional(**kwargs: Any) -> Any:
    """A field that may be left out but not sent as null (a PATCH of a required column)."""
    return Field(None, json_schema_extra=_without_default, **kwargs)


class Ref(Schema):
    """A related object, small: its id and its name (in the caller's language)."""

    id: int
    name: str


class ErrorOut(Schema):
    """Every error: a sentence, and for invalid input the messages of each bad field."""

    detail: str
    errors: dict[str, list[str]] | None = None


# The error answers every operation may give (documented so that clients and the fuzzer
# know what to expect).
ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


def responses(ok: Any, status: int = 200) -> dict[int, Any]:
    return {status: ok, **ERRORS}


def page_cursor(cursor: str | None, value_type: type) -> str | None:
    """Check a pagination cursor before it reaches a query (a tampered one gives a 422).

    `keyset_page` decodes the cursor; this also checks that its sort value has the type of the
    column it is compared with, so that a cursor from another sort order cannot fail in SQL.
    """
    if not cursor:
        return None
    message = _("This cursor is not valid; start again from the first page.")
    try:
        value, _pk, _backwards = decode_cursor(cursor)
    except ValueError:
        raise InvalidInput({"cursor": message}) from None
    valid = isinstance(value, value_type)
    if valid and value_type is int:
        valid = -MAX_ID <= value <= MAX_ID
    elif valid and value_type is str:
        try:
            valid = len(value) <= 300 and _clean_text(value) is not None
        except ValueError:
            valid = False
    elif valid and value_type is datetime:
        try:
            valid = value.tzinfo is not None and _aware_moment(value) is not None
        except ValueError:
            valid = False
    if not valid:
        raise InvalidInput({"cursor": message})
    return cursor


class PageOut(Schema):
    """One page of a list walked with cursors: pass `next_cursor` back as `cursor`."""

    next_cursor: str | None
    prev_cursor: str | None


def built_response(request, payload: Any, status: int = 200):
    """Send a payload the handler built with a `*_out` function, without validating it again.

    django-ninja validates what a handler returns against its response schema; for a page of
    50 tickets that doubled the cost of the request. The `*_out` functions build exactly the
    documented shape (the API tests validate their output against the schema), so the pages
    of lists go out as built. Errors still go through the exception handlers.
    """
    from guichet.api import api

    return api.create_response(request, payload, status=status)
