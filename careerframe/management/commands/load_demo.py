import copy
import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from ladders.models import Person
from ladders.people.services import person_save, placement_for
from reviews.assessments.ratings import EvidenceInput, RatingInput
from reviews.assessments.services import (
    assessment_decide,
    assessment_start,
    assessment_submit,
    ratings_save,
    self_assessment_request,
)
from reviews.models import Assessment, ReviewRound, StakeholderGroup
from reviews.services import policy_set, revision_save, round_open
from roles import lookup_cache
from roles.access import HR_GROUP, LEADS_GROUP
from roles.document import document_sha256
from roles.formats.json_doc import parse_json
from roles.models import Framework, FrameworkVersion, Visibility
from roles.serialization import document_from_version
from roles.services import draft_get, draft_replace, framework_import

DEMO_DOCUMENT = (
    Path(__file__).resolve().parents[3] / "roles" / "demo" / "customer-success-design.json"
)
DEMO_SLUG = "customer-success-design"
DEMO_NAME = "Customer Success Design"
DEMO_DESCRIPTION = (
    "How designers grow in our customer success organisation: from junior to principal on "
    "the individual-contributor track, or into design leadership — and what each step expects."
)
# username -> (what they can do, groups, is_superuser)
DEMO_USERS = {
    "viewer": ("a designer (Vic Viewer): rates themselves for promotion", [], False),
    "author": ("framework editor of the demo framework", [], False),
    "stakeholder": ("a design lead reviewing draft r2 (see My reviews)", [], False),
    "lead": ("a people lead: assesses their five reports (Assessments)", [LEADS_GROUP], False),
    "hr": ("HR: reads everything, decides assessments, exports", [HR_GROUP], False),
    "admin": ("administrator: Django admin", [], True),
}


class Command(BaseCommand):
    help = (
        "Load the demo Customer Success Design framework (published as v1 unless its content "
        "is already current), one demo user per actor, a review round, five people led by "
        "`lead` and an assessment in every state. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default="demo", help="Password of every demo user.")

    def handle(self, *args, **options) -> None:
        # The demo's invitations would be sent after commit; demo users have no real inboxes.
        quiet = override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
        with quiet, transaction.atomic():
            self._load(options)

    def _load(self, options) -> None:
        document = parse_json(DEMO_DOCUMENT.read_bytes())
        current = FrameworkVersion.objects.current().filter(framework__slug=DEMO_SLUG).first()
        if current is None or current.document_sha256 != document_sha256(document):
            result = framework_import(
                slug=DEMO_SLUG, name=DEMO_NAME, document=document, publish=True
            )
            framework = result.framework
            self.stdout.write(f"Published {DEMO_NAME} v{result.published.number}.")
        else:
            framework = current.framework
            self.stdout.write(f"{DEMO_NAME} v{current.number} is already current.")
        Framework.objects.filter(pk=framework.pk).update(
            description=DEMO_DESCRIPTION, visibility=Visibility.PUBLIC
        )
        transaction.on_commit(lookup_cache.forget)  # update() sends no signal

        User = get_user_model()
        for username, (_about, groups, superuser) in DEMO_USERS.items():
            user, _ = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.com"}
            )
            user.is_staff = user.is_superuser = superuser
            user.set_password(options["password"])
            user.save()
            user.groups.set([Group.objects.get_or_create(name=name)[0] for name in groups])
        framework.editors.add(User.objects.get(username="author"))
        if not ReviewRound.objects.filter(framework=framework).exists():
            self._demo_review(framework, User)
        self._demo_people(framework, User)
        if not Assessment.objects.filter(person__framework=framework).exists():
            self._demo_assessments(framework, User)

        self.stdout.write(f"\nDemo logins (password: {options['password']}):")
        for username, (about, _groups, _superuser) in DEMO_USERS.items():
            self.stdout.write(f"  {username:<12} {about}")

    def _demo_review(self, framework: Framework, User) -> None:
        """r1 = what was published; r2 sharpens two statements and is under review by the
        stakeholder (Design leads) and HR (lazy consensus), due in five days."""
        author = User.objects.get(username="author")
        revision_save(framework=framework, user=author, summary="As published in v1")
        document = copy.deepcopy(document_from_version(draft_get(framework=framework)))
        edits = [e for e in document["expectations"] if e["position"] == "design.senior"][:2]
        for edit in edits:
            edit["text"] = edit["text"].rstrip(".") + ", and shares what they learn."
        draft_replace(framework=framework, document=document)
        r2 = revision_save(
            framework=framework, user=author, summary="Senior designers share what they learn"
        ).revision
        design_leads = StakeholderGroup.objects.get(name="Design leads")
        hr_group = StakeholderGroup.objects.get(name="HR")
        policy_set(
            framework=framework,
            user=author,
            rules=[(design_leads, 1, False), (hr_group, 1, True)],
        )
        round_open(
            revision=r2,
            user=author,
            reviewers=[
                (User.objects.get(username="stakeholder"), design_leads),
                (User.objects.get(username="hr"), hr_group),
            ],
            due_on=timezone.localdate() + datetime.timedelta(days=5),
            message="Two senior statements now ask designers to share what they learn.",
        )
        self.stdout.write("Opened a demo review round on r2 (reviewers: stakeholder, hr).")

    def _demo_people(self, framework: Framework, User) -> None:
        """The lead's five reports (``viewer`` is Vic Viewer), added once by email."""
        lead = User.objects.get(username="lead")
        today = timezone.localdate()
        created = 0
        for name, email, login, role, level, sub_role, months in DEMO_PEOPLE:
            if Person.objects.filter(email=email).exists():
                continue
            person_save(
                user=None,
                placement=placement_for(
                    framework=framework, role=role, level=level, sub_role=sub_role
                ),
                name=name,
                email=email,
                lead=lead,
                login=User.objects.get(username=login) if login else None,
                since=today - datetime.timedelta(days=30 * months),
                reason="Joined the team",
            )
            created += 1
        if created:
            self.stdout.write(f"Added {created} people led by lead.")

    def _demo_assessments(self, framework: Framework, User) -> None:
        """One assessment in each state: draft, waiting for the self-assessment, submitted,
        decided "promote" and decided "not yet"."""
        lead, hr = User.objects.get(username="lead"), User.objects.get(username="hr")
        people = {p.email: p for p in Person.objects.filter(framework=framework)}

        def start(email: str) -> Assessment:
            return assessment_start(lead=lead, person=people[email])

        def rate(
            assessment: Assessment,
            ratings: dict[str, RatingInput],
            summary: str,
            recommendation: str = "promote",
        ) -> None:
            ratings_save(
                assessment=assessment,
                user=lead,
                ratings=ratings,
                summary=summary,
                recommendation=recommendation,
            )

        draft = start("priya@example.com")
        rate(
            draft,
            {
                "design.mid.c1": RatingInput(
                    "met",
                    "Owned the **refund flow** redesign from framing to release.",
                    (
                        EvidenceInput(
                            "link", "Refund flow case study", "https://example.com/refunds"
                        ),
                    ),
                )
            },
            "Growing fast; two criteria still to look at together.",
        )
        self_assessment_request(assessment=start("viewer@example.com"), user=lead)

        submitted = start("tom@example.com")
        rate(submitted, _ratings(submitted, "met"), "Ready: leads across two teams already.")
        assessment_submit(assessment=submitted, user=lead)

        promoted = start("lena@example.com")
        rate(promoted, _ratings(promoted, "met"), "Consistently at the next level.")
        assessment_submit(assessment=promoted, user=lead)
        assessment_decide(
            assessment=promoted,
            user=hr,
            decision="promote",
            note="Congratulations — well deserved.",
        )

        not_yet = start("sam@example.com")
        rate(not_yet, _ratings(not_yet, "partly"), "Close; needs a clearer lead role.", "not_yet")
        assessment_submit(assessment=not_yet, user=lead)
        assessment_decide(
            assessment=not_yet,
            user=hr,
            decision="not_yet",
            note="Lead one ambiguous project end to end, then let's look again next cycle.",
        )
        self.stdout.write("Added five demo assessments (draft to decided).")


def _ratings(assessment: Assessment, rating: str) -> dict[str, RatingInput]:
    evidence = {
        "met": "Shown repeatedly this year; see the linked work.",
        "partly": "Shown once; not yet consistently.",
    }[rating]
    return {
        key: RatingInput(rating, evidence, (EvidenceInput("okr", "H1 OKR: self-service"),))
        for key in assessment.ratings.values_list("criterion_key", flat=True)
    }


# name, email, login, role, level, sub-role, months in the position
DEMO_PEOPLE = [
    ("Vic Viewer", "viewer@example.com", "viewer", "design", "mid", "design.product-designer", 20),
    ("Priya Shah", "priya@example.com", None, "design", "junior", "design.ux-researcher", 16),
    ("Tom Becker", "tom@example.com", None, "design", "senior", "design.ui-visual-designer", 26),
    ("Lena Park", "lena@example.com", None, "content-design", "junior", "", 14),
    ("Sam Okafor", "sam@example.com", None, "design", "mid", "design.product-designer", 18),
]
