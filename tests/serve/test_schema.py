"""The API against its own OpenAPI spec with schemathesis, in process: no 5xx, and every
response (status, content type, headers, body) as the spec says. Bounded: a few examples
per operation, so the whole run takes about a minute."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dyad.serve import create_app
from tests.serve.conftest import make_store

EXAMPLES = 15
PHASES = ["examples", "fuzzing"]
CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
)


STORE = Path(tempfile.gettempdir()) / f"dyad-schema-{os.getpid()}.duckdb"
"""The app only opens its store per request, so the spec loads before the store exists."""
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(STORE))
schema.config.phases.update(phases=PHASES)


@pytest.fixture(scope="module", autouse=True)
def _store() -> Iterator[None]:
    make_store(STORE)
    yield
    STORE.unlink(missing_ok=True)


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_matches_its_spec(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)
