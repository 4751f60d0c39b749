from rest_framework.renderers import JSONRenderer


class UTF8JSONRenderer(JSONRenderer):
    """JSON with Vietnamese text unescaped and an explicit charset."""

    ensure_ascii = False
    charset = "utf-8"
