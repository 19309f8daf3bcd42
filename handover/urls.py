from django.urls import path

from handover import correction_views, views

app_name = "handover"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("messages/<uuid:public_id>/", views.message_detail, name="message"),
    path("messages/<uuid:public_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("messages/<uuid:public_id>/resend/", views.resend, name="resend"),
    path("points/<uuid:public_id>/correct/", correction_views.correct_completion, name="correct_completion"),
]
