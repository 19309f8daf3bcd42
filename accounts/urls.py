from django.urls import path

from accounts import member_views, views
from accounts.oidc import views as oidc_views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", oidc_views.SignOutView.as_view(), name="logout"),
    # Sign-in through OpenID Connect providers (accounts/oidc/, docs/sign-in.md).
    path("oidc/<slug:provider>/start/", oidc_views.start, name="oidc_start"),
    path("oidc/callback/", oidc_views.callback, name="oidc_callback"),
    path("oidc/jwks.json", oidc_views.jwks, name="oidc_jwks"),
    path("oidc/sign-out/", oidc_views.sign_out, name="oidc_logout"),
    path("oidc/signed-out/", oidc_views.signed_out, name="oidc_signed_out"),
    path("members/sign-in-policy/", member_views.sign_in_policy, name="sign_in_policy"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("act-for/", views.switch_organisation, name="switch_organisation"),
    path("keep-alive/", views.keep_alive, name="keep_alive"),
    path("me/", views.account, name="account"),
    path("me/password/", views.PasswordChangeView.as_view(), name="password_change"),
    # The token is in the path only on the first request, which exchanges it for the session and
    # redirects to invitation/ (lib/logfilter.py masks it in request lines).
    path("invitation/", views.invitation_redeem, name="invitation_redeem"),
    path("invitation/<str:token>/", views.invitation_open, name="invitation_open"),
    path("members/", member_views.members, name="members"),
    path("members/invite/", member_views.invite, name="invite"),
    path("members/invitations/<uuid:public_id>/revoke/", member_views.revoke, name="revoke_invitation"),
    path("members/<uuid:public_id>/reset-second-factor/", member_views.reset_second_factor, name="reset_second_factor"),
    path("members/<uuid:public_id>/deactivate/", member_views.deactivate, name="deactivate"),
    path("members/<uuid:public_id>/give-role/", member_views.give_role, name="give_role"),
    path("members/<uuid:public_id>/unlock/", member_views.unlock, name="unlock"),
]
