from django.urls import path

from hromada.accounts import views

app_name = "accounts"
urlpatterns = [
    path("signin/", views.signin, name="login"),
    path("signin/authenticator/", views.totp_enrol, name="totp_enrol"),
    path("signout/", views.signout, name="logout"),
    path("register/", views.register, name="register"),
    path("cabinet/", views.cabinet, name="cabinet"),
    path("demo-id/", views.demo_identity_provider, name="demo_identity"),
]
