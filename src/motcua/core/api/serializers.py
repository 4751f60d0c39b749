"""Serializer helpers shared by the apps' APIs."""

from __future__ import annotations

from typing import Any

from django.utils.functional import cached_property
from rest_framework import serializers
from rest_framework.utils.serializer_helpers import BindingDict


class SharedFieldsSerializer(serializers.Serializer[dict[str, Any]]):
    """A request-body serializer whose fields are built once per class, not per request.

    DRF deep-copies every declared field (nested serializers included) for each new serializer,
    so that one instance may change its fields; on the counter's hot path that copy cost a tenth
    of a request. These serializers only validate input: their fields keep no state between
    calls and read no context, so one set, bound to a blank instance that holds no request's
    data, serves every request and thread. Do not use it for a serializer that changes its
    fields per instance or whose fields read ``context``, ``instance`` or ``partial``.
    """

    @cached_property
    def fields(self) -> BindingDict:
        cls = type(self)
        shared: BindingDict | None = cls.__dict__.get("_shared_fields")
        if shared is None:
            blank = cls()  # the fields' parent
            shared = BindingDict(blank)
            for name, field in blank.get_fields().items():
                shared[name] = field
            cls._shared_fields = shared  # type: ignore[attr-defined]
        return shared
