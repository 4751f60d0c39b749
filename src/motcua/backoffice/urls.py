"""Pages of the back office, under /can-bo/ (Vietnamese slugs)."""

from django.urls import include, path

from . import counter, dossier, leaders, payments, views

app_name = "backoffice"

urlpatterns = [
    path("", views.queues_view, name="queues"),
    path("dang-nhap/", views.login_view, name="login"),
    path("dang-nhap/ma-xac-thuc/", views.verify_view, name="verify"),
    path("xac-thuc-hai-buoc/", views.enrol_view, name="enrol"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("vai-tro/", views.switch_membership, name="switch-membership"),
    path("tiep-nhan/", counter.register_view, name="counter"),
    path("tiep-nhan/<uuid:dossier_id>/", counter.register_done, name="counter-done"),
    path(
        "tiep-nhan/<uuid:dossier_id>/giay-tiep-nhan.pdf",
        counter.receipt_pdf,
        name="counter-receipt",
    ),
    path("lanh-dao/", leaders.leaders_view, name="leaders"),
    path("lanh-dao/giao-lai/", leaders.reassign_view, name="leaders-reassign"),
    path("bao-cao/", include("motcua.backoffice.reports_urls")),
    path("thong-bao/", include("motcua.backoffice.notice_urls")),
    path("doi-soat-thanh-toan/", payments.reconciliation_view, name="payments-reconciliation"),
    path("ho-so/<uuid:dossier_id>/", dossier.dossier_view, name="dossier"),
    path("ho-so/<uuid:dossier_id>/phi-le-phi/", payments.fees_view, name="dossier-fees"),
    path(
        "ho-so/<uuid:dossier_id>/thao-tac/<slug:action>/",
        dossier.dossier_action,
        name="dossier-action",
    ),
    path(
        "ho-so/<uuid:dossier_id>/tep/<uuid:document_id>/",
        dossier.document_view,
        name="dossier-document",
    ),
    path("ho-so/<uuid:dossier_id>/phieu/<slug:kind>.pdf", dossier.slip_view, name="dossier-slip"),
]
