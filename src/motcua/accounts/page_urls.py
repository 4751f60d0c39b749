"""Pages of the citizen's account, under /tai-khoan/ (Vietnamese slugs)."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("dang-ky/", views.register, name="register"),
    path("dang-nhap/", views.login_view, name="login"),
    path("dang-nhap/<slug:key>/", views.login_start, name="login-start"),
    path("dang-nhap/<slug:key>/xac-thuc/", views.login_callback, name="login-callback"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("da-dang-xuat/", views.logged_out, name="logged-out"),
    path("ho-so/", views.my_dossiers, name="dossiers"),
    path("quen-mat-khau/", views.password_reset, name="password-reset"),
    path("quen-mat-khau/da-gui/", views.password_reset_sent, name="password-reset-sent"),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        views.ResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "dat-lai-mat-khau/xong/",
        views.password_reset_complete,
        name="password-reset-complete",
    ),
]
