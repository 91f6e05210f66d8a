"""Internal pages of the register (staff)."""

from __future__ import annotations

from verantwoord.core.permission_matrix import Endpoint

STAFF_ENDPOINTS: list[Endpoint] = []
