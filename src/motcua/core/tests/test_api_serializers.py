"""SharedFieldsSerializer: fields built once, yet every request validated on its own."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from motcua.core.api.serializers import SharedFieldsSerializer


class _Person(serializers.Serializer[dict[str, Any]]):
    full_name = serializers.CharField(max_length=20)
    phone = serializers.RegexField(r"^[0-9]{8,12}$", required=False)


class _Body(SharedFieldsSerializer):
    code = serializers.CharField(max_length=5)
    count = serializers.IntegerField(default=1, min_value=1)
    person = _Person()
    other = _Person(required=False, allow_null=True)


def test_the_fields_are_built_once_and_hold_no_request_data() -> None:
    first, second = _Body(data={"code": "A"}), _Body(data={"code": "B"})
    assert first.fields is second.fields
    assert first.fields["person"].parent is not first
    assert not hasattr(first.fields["person"].parent, "initial_data")


def test_each_request_is_validated_on_its_own() -> None:
    # Given an invalid body validated first
    bad = _Body(data={"code": "TOO-LONG", "count": 0, "person": {"full_name": "", "phone": "x"}})
    assert not bad.is_valid()
    assert set(bad.errors) == {"code", "count", "person"}
    assert set(bad.errors["person"]) == {"full_name", "phone"}
    # When a valid one follows, and then another with only the required fields
    good = _Body(data={"code": "H56", "person": {"full_name": "Lê Bé", "phone": "0912345678"}})
    assert good.is_valid(), good.errors
    minimal = _Body(data={"code": "X", "person": {"full_name": "An"}, "other": None})
    assert minimal.is_valid(), minimal.errors
    # Then each has its own data and nothing leaked from the one before
    assert good.validated_data == {
        "code": "H56",
        "count": 1,
        "person": {"full_name": "Lê Bé", "phone": "0912345678"},
    }
    assert minimal.validated_data == {
        "code": "X",
        "count": 1,
        "person": {"full_name": "An"},
        "other": None,
    }
    assert set(bad.errors) == {"code", "count", "person"}
