"""REST API of the register."""

from __future__ import annotations

from verantwoord.core.permission_matrix import Endpoint

API_ENDPOINTS: list[Endpoint] = []
