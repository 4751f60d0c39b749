from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from motcua.core.api.fallback import URL_NAME as API_NOT_FOUND
from motcua.core.api.fallback import NotFoundApi

api_v1: list[URLPattern | URLResolver] = [
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include("motcua.accounts.urls")),
    path("", include("motcua.catalog.urls")),
    path("", include("motcua.dossiers.urls")),
    path("", include("motcua.notifications.urls")),
    path("", include("motcua.payments.urls")),
    path("", include("motcua.reports.urls")),
    # Last: an unknown API path is a problem+json 404 (or a 308 to the path with its slash).
    re_path(r"^.*$", NotFoundApi.as_view(), name=API_NOT_FOUND),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tai-khoan/", include("motcua.accounts.page_urls")),
    path("can-bo/", include("motcua.backoffice.urls")),
    path("", include("motcua.portal.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
