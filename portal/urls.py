from django.urls import path

from portal import person_views, views

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
    path("signed-out/", views.signed_out, name="signed_out"),
    # Signed in with ID-porten (portal.citizens): the person's own pages.
    path("me/", person_views.me, name="me"),
    path("me/pathway/", person_views.pathway, name="my_pathway"),
    path("me/who-looked/", person_views.who_looked, name="who_looked"),
    path("me/answer/<uuid:public_id>/", person_views.answer, name="answer"),
    path("me/answers/<uuid:public_id>/", person_views.answers, name="my_answers"),
    path("me/ask/", person_views.ask, name="ask"),
    # After the link was opened: keyed by the session, never by the token.
    path("invitation/", views.invitation, name="invitation"),
    path("code/", views.code, name="code"),
    path("code/again/", views.resend_code, name="resend_code"),
    path("new-link/", views.reissue, name="reissue"),
    # The link from the message: exchanged for the session, then redirected to a token-free page.
    path("<str:token>/", views.link, name="link"),
]
