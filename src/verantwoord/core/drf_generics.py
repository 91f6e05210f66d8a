"""Lets DRF classes be subscripted at run time (`ModelSerializer[Organisation]`), as their type stubs are.

Imported by each API module before it defines classes. Not done in settings: importing DRF there would read
its settings before REST_FRAMEWORK exists.
"""

from __future__ import annotations

from typing import Any

from rest_framework import fields, generics, serializers

GENERIC_CLASSES: tuple[type, ...] = (
    fields.Field,
    serializers.BaseSerializer,
    generics.GenericAPIView,
)


def _class_getitem(cls: type, *args: Any, **kwargs: Any) -> type:
    return cls


for generic_class in GENERIC_CLASSES:
    if "__class_getitem__" not in generic_class.__dict__:
        generic_class.__class_getitem__ = classmethod(_class_getitem)  # type: ignore[attr-defined]
