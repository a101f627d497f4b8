from django.contrib.auth import views as auth_views
from django.urls import path

from guichet.accounts import views

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.create_token_view, name="token-create"),
    path("profile/tokens/<int:token_id>/revoke/", views.revoke_token_view, name="token-revoke"),
]
