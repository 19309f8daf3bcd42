from django.urls import path

from handover import views

app_name = "handover"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("messages/<uuid:public_id>/", views.message_detail, name="message"),
    path("messages/<uuid:public_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("messages/<uuid:public_id>/resend/", views.resend, name="resend"),
]
