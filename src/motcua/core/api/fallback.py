"""The API's answer for a path it does not have: problem details, never Django's HTML page.

Mounted last under ``/api/v1/``. A path that exists with a trailing slash gets a 308 redirect
to it (308 keeps the method and the body, so a POST is not lost as with Django's APPEND_SLASH,
which cannot redirect a POST and fails with 500 in debug mode); anything else is 404
``not_found``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

URL_NAME = "not-found"


class _PermanentRedirect308(HttpResponsePermanentRedirect):
    status_code = 308


class NotFoundApi(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)
    schema = None  # not an endpoint

    def _answer(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        path = request.path
        if not path.endswith("/"):
            try:
                match = resolve(path + "/")
            except Resolver404:
                match = None
            if match is not None and match.url_name != URL_NAME:
                query = request.META.get("QUERY_STRING", "")
                return _PermanentRedirect308(path + "/" + (f"?{query}" if query else ""))
        raise NotFound()

    get = post = put = patch = delete = head = options = _answer
