from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Needs assessment")

    def ready(self):
        from assessment.questionnaires import QuestionnaireError, all_questionnaires

        # A questionnaire that does not validate stops start-up, naming the file and the problem.
        try:
            all_questionnaires()
        except QuestionnaireError as error:
            raise ImproperlyConfigured(f"Questionnaire refused: {error}") from error

        from assessment.services import load_started
        from pathway import panels

        # The pathway page's assessment button: "Continue" once an assessment of the point is started.
        panels.register_point_loader("assessment.started", load_started)
        # The pathway page's links to the assessment: each point's title and the step "Hold the
        # conversation" (which reads `assessment_started`).
        panels.point_title.register("assessment.point", "assessment/point_title.html")
        panels.conversation_step.register("assessment.conversation", "assessment/conversation_step.html")
