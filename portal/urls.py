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
    path("sign-out/", views.sign_out, name="sign_out"),
    path("<str:token>/", views.link, name="link"),
    path("<str:token>/code/", views.code, name="code"),
    path("<str:token>/code/again/", views.resend_code, name="resend_code"),
    path("<str:token>/new-link/", views.reissue, name="reissue"),
]
