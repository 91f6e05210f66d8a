"""Public pages of the register (residents; no login)."""

from __future__ import annotations

from verantwoord.core.permission_matrix import Endpoint

PUBLIC_ENDPOINTS: list[Endpoint] = []
