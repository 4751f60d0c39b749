"""The gateway's server-to-server notification (IPN) endpoint. Not a DRF view: the gateway
speaks its own protocol (signed query parameters in, ``{"RspCode", "Message"}`` out)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from motcua.core.exceptions import NotFound
from motcua.core.ratelimit import allow

from . import gateway
from .services import payment_confirm_from_ipn


@csrf_exempt  # a server-to-server call authenticated by its HMAC signature, not a browser form
@require_http_methods(["GET", "POST"])
def ipn(request: HttpRequest, gateway_name: str) -> JsonResponse:
    if not allow(request, "anon"):
        return JsonResponse({"RspCode": "99", "Message": "Too many requests"}, status=429)
    source = request.GET if request.method == "GET" else request.POST
    params = {key: source.get(key, "") for key in list(source.keys())[:64]}
    try:
        answer = payment_confirm_from_ipn(gateway_name=gateway_name, params=params)
    except NotFound:
        code, message = gateway.ANSWER_NOT_FOUND
        return JsonResponse({"RspCode": code, "Message": message}, status=404)
    response = JsonResponse(answer.as_json())
    response["Cache-Control"] = "no-store"
    return response
