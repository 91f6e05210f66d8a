"""The bulk read of group attributes (decisionlog selectors and crypto, added for the monitoring)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from verantwoord.decisionlog.crypto import PURPOSE_GROUP_ATTRIBUTES, SealError, seal, unseal_many
from verantwoord.decisionlog.models import GroupAttributes
from verantwoord.decisionlog.selectors import decisions_with_group_attributes, group_attribute_columns
from verantwoord.register.models import Algorithm

pytestmark = pytest.mark.django_db


def test_columns_equal_the_row_by_row_reader(algorithm: Algorithm, logged: None) -> None:
    columns = group_attribute_columns(algorithm=algorithm, with_output=True)
    rows = list(decisions_with_group_attributes(algorithm=algorithm))
    assert columns.indexes == [row.index for row in rows]
    assert columns.decisions == [row.entry["decision"] for row in rows]
    assert columns.outputs == [row.entry["output"] for row in rows]
    assert [columns.combinations[code] for code in columns.combination_codes] == [
        row.group_attributes for row in rows
    ]
    assert len(columns.combinations) <= 8  # four nationalities x two genders: each decoded once


def test_values_under_an_old_key_still_open_and_damage_is_named() -> None:
    with override_settings(SECRET_KEY="the-old-secret-key-" + "x" * 40):
        old = seal(PURPOSE_GROUP_ATTRIBUTES, b'{"a":1}', "1:A")
    new = seal(PURPOSE_GROUP_ATTRIBUTES, b'{"a":2}', "1:B")
    with override_settings(SECRET_KEY_FALLBACKS=["the-old-secret-key-" + "x" * 40]):
        opened = unseal_many(PURPOSE_GROUP_ATTRIBUTES, [old, new], ["A", "B"], context_prefix="1:")
        assert opened == [b'{"a":1}', b'{"a":2}']
    with pytest.raises(SealError, match="1:B"):
        unseal_many(PURPOSE_GROUP_ATTRIBUTES, [new, new[:-1] + b"\x00"], ["1:B", "1:B"])
    with pytest.raises(SealError, match="not a sealed"):
        unseal_many(PURPOSE_GROUP_ATTRIBUTES, [b"\x02" + new[1:]], ["1:B"])
    # A value copied to another row does not open there.
    with pytest.raises(SealError):
        unseal_many(PURPOSE_GROUP_ATTRIBUTES, [new], ["1:A"])


def test_a_tampered_row_stops_the_read(algorithm: Algorithm, logged: None) -> None:
    row = GroupAttributes.objects.filter(entry__algorithm=algorithm).order_by("entry_id").first()
    assert row is not None
    GroupAttributes.objects.filter(pk=row.pk).update(sealed=bytes(row.sealed)[:-1] + b"\x00")
    with pytest.raises(SealError):
        group_attribute_columns(algorithm=algorithm)
