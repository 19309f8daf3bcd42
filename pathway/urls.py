from django.urls import path

from pathway import definition_views, views

app_name = "pathway"
urlpatterns = [
    path("worklist/", views.worklist, name="worklist"),
    path("patients/<uuid:public_id>/enrol/", views.enrol, name="enrol"),
    path("registrations/<uuid:public_id>/enrol/", views.enrol_registration, name="enrol_registration"),
    path("enrolments/<uuid:public_id>/", views.enrolment_detail, name="enrolment"),
    path("enrolments/<uuid:public_id>/offer/", views.record_offer, name="offer"),
    path("enrolments/<uuid:public_id>/correction/", views.record_correction, name="correction"),
    path("points/<uuid:public_id>/book/", views.book_point, name="book"),
    path("points/<uuid:public_id>/close/", views.close_point, name="close"),
    path("points/<uuid:public_id>/assign/", views.assign_point, name="assign"),
    path("enrolments/<uuid:public_id>/contact-person/", views.set_contact_person, name="contact_person"),
    path("enrolments/<uuid:public_id>/withdraw/", views.withdraw, name="withdraw"),
    path("enrolments/<uuid:public_id>/event/", views.record_event, name="event"),
    path("definitions/", definition_views.definition_list, name="definitions"),
    path("definitions/<slug:key>/enabled/", definition_views.definition_enable, name="definition_enable"),
]
