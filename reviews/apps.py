from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Reviews and assessments")

    def ready(self) -> None:
        # The daily digest leaves out what a person may no longer open: these pages' own
        # access helpers decide (notifications.links).
        from notifications import links
        from reviews.access import get_round_or_404
        from reviews.assessments.access import get_assessment_access_or_404

        for name in ("round-detail", "decision-create"):
            links.register(f"reviews:{name}", get_round_or_404)
        for name in ("assessment-self", "assessment-edit", "assessment-detail"):
            links.register(f"reviews:{name}", get_assessment_access_or_404)
