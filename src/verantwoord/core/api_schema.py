"""OpenAPI generation hooks."""

from __future__ import annotations

from typing import Any

SCHEMA_OWN_PATHS = {"/api/v1/openapi.json", "/api/v1/docs", "/api/v1/docs/"}


def exclude_documentation_endpoints(endpoints: list[tuple[Any, ...]], **kwargs: Any) -> list[tuple[Any, ...]]:
    """Leave the schema and docs endpoints themselves out of the schema."""
    return [endpoint for endpoint in endpoints if endpoint[0] not in SCHEMA_OWN_PATHS]
