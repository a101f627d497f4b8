"""The API fuzzed from its own OpenAPI document (schemathesis, in process through WSGI).

Every operation gets generated requests, valid and invalid, as a member of the support staff
and as a requester. No answer may be a server error, and every documented answer must match
its schema. Operations on one ticket are sent twice: with the generated id (almost always
unknown: a 404) and with the id of a ticket the caller sees, so that the handlers and actions
behind the 404 are fuzzed too.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from guichet.tickets.tests.factories import make_ticket
from guichet.wsgi import application

CHECKS = [not_a_server_error, response_schema_conformance]


def load_schema(*, phases: list[str], max_examples: int):
    """The API's own document (generated from the code: no database needed to load it)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    schema.config.phases.update(phases=phases)
    schema.config.generation.update(max_examples=max_examples, deterministic=True, database="none")
    return schema


# As staff: the boundary values of every parameter (coverage phase: huge integers, NUL
# characters, wrong types, missing fields...) then 25 generated requests per operation.
# As a requester: 20 generated requests per operation; the boundary values are the same for
# everyone and already sent as staff. The whole run stays within a couple of minutes.
staff_schema = load_schema(phases=["examples", "coverage", "fuzzing"], max_examples=25)
requester_schema = load_schema(phases=["examples", "fuzzing"], max_examples=20)

# The fixtures below are made once per operation, not once per example: every example of an
# operation works on the same ticket, which is what we want (a ticket solved by one example is
# then refused by the next).
FIXTURES_ARE_SHARED = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def ticket(bob):
    return make_ticket(bob)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The requests go through the real WSGI handler, whose request signals close database
    connections that are inside a transaction, like the test's own. Django's test client
    turns that off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _exercise(case, headers: dict, ticket) -> None:
    case.call_and_validate(headers=headers, checks=CHECKS)
    if "ticket_id" in (case.path_parameters or {}):
        case.path_parameters["ticket_id"] = ticket.pk
        case.call_and_validate(headers=headers, checks=CHECKS)


@pytest.mark.django_db
@staff_schema.parametrize()
@FIXTURES_ARE_SHARED
def test_the_api_answers_staff_without_server_errors(case, alice, ticket, api_token):
    _exercise(case, {"Authorization": api_token(alice)["HTTP_AUTHORIZATION"]}, ticket)


@pytest.mark.django_db
@requester_schema.parametrize()
@FIXTURES_ARE_SHARED
def test_the_api_answers_requesters_without_server_errors(case, bob, ticket, api_token):
    _exercise(case, {"Authorization": api_token(bob)["HTTP_AUTHORIZATION"]}, ticket)
