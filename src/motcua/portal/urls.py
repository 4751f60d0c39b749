from django.urls import include, path

from . import apply, mine, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_search, name="procedure-search"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure-detail"),
    path("thu-tuc/<str:code>/mau/<int:position>/", views.form_template, name="form-template"),
    path("linh-vuc/<str:code>/", views.sector_detail, name="sector-detail"),
    path("minh-bach/", include("motcua.portal.transparency_urls")),
    path("thanh-toan/", include("motcua.portal.payment_urls")),
    path("thong-bao/", include("motcua.portal.notification_urls")),
    path("tra-cuu/", views.track, name="track"),
    path("tra-cuu/<str:code>/", views.track_dossier, name="track-dossier"),
    # Applying online (apply.py): the wizard, the drafts, the receipt page.
    path("nop-ho-so/<str:code>/", apply.apply_start, name="apply-start"),
    path("ho-so-nhap/", apply.drafts, name="drafts"),
    path("ho-so-nhap/<uuid:pk>/buoc/<int:step>/", apply.apply_step, name="apply-step"),
    path("ho-so-nhap/<uuid:pk>/da-nop/", apply.apply_done, name="apply-done"),
    path(
        "ho-so-nhap/<uuid:pk>/giay-tiep-nhan.pdf",
        apply.apply_receipt_pdf,
        name="apply-receipt-pdf",
    ),
    path(
        "ho-so-nhap/<uuid:pk>/phieu-xac-nhan.pdf",
        apply.apply_confirmation_pdf,
        name="apply-confirmation-pdf",
    ),
    # The applicant's own dossier after submission (mine.py).
    path("ho-so-cua-toi/<uuid:pk>/", mine.dossier_page, name="mine-dossier"),
    path("ho-so-cua-toi/<uuid:pk>/bo-sung/", mine.supplement, name="mine-supplement"),
    path("ho-so-cua-toi/<uuid:pk>/rut-ho-so/", mine.withdraw, name="mine-withdraw"),
    path("ho-so-cua-toi/<uuid:pk>/danh-gia/", mine.rate, name="mine-rate"),
    path(
        "ho-so-cua-toi/<uuid:pk>/tai-ve/<uuid:document_id>/",
        mine.result_download,
        name="mine-result",
    ),
]
