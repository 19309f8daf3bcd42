from django.urls import path

from portal import views

app_name = "portal"
urlpatterns = [
    path("", views.portal_home, name="home"),
    path("start/", views.start, name="start"),
    path("page/<int:number>/", views.page, name="page"),
    path("review/", views.review, name="review"),
    path("receipt/", views.receipt, name="receipt"),
    path("pathway/", views.my_pathway, name="pathway"),
    path("who-looked/", views.access_log, name="access_log"),
    path("sign-out/", views.sign_out, name="sign_out"),
    # After the link was opened: keyed by the session, never by the token.
    path("invitation/", views.invitation, name="invitation"),
    path("code/", views.code, name="code"),
    path("code/again/", views.resend_code, name="resend_code"),
    path("new-link/", views.reissue, name="reissue"),
    # The link from the message: exchanged for the session, then redirected to a token-free page.
    path("<str:token>/", views.link, name="link"),
]
