"""People on the ladder (DESIGN.md section 5): who sits where, and how they got there.

A person's position is named by framework + role key + level key (+ sub-role key): keys are
stable across published versions, so a person stays put when a new version is published.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from roles.keys import KEY_MAX_LENGTH
from roles.models import Framework


class PersonQuerySet(models.QuerySet["Person"]):
    def active(self) -> PersonQuerySet:
        return self.filter(active=True)

    def led_by(self, user) -> PersonQuerySet:
        return self.filter(lead=user)


class Person(models.Model):
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text=_("Their login, if they have one: they then see their own assessments."),
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="people")
    role_key = models.CharField(max_length=KEY_MAX_LENGTH)
    level_key = models.CharField(max_length=KEY_MAX_LENGTH)
    sub_role_key = models.CharField(max_length=KEY_MAX_LENGTH, blank=True)
    position_since = models.DateField(default=timezone.localdate)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="ladders_person_unique_email"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="ladders_person_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def position_key(self) -> str:
        return f"{self.role_key}.{self.level_key}"


class PositionChange(models.Model):
    """One move on the ladder: hired at, promoted to, moved sideways to."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="history")
    role_key = models.CharField(max_length=KEY_MAX_LENGTH)
    level_key = models.CharField(max_length=KEY_MAX_LENGTH)
    sub_role_key = models.CharField(max_length=KEY_MAX_LENGTH, blank=True)
    title = models.CharField(max_length=200, blank=True, help_text=_("The position's title then."))
    changed_on = models.DateField()
    reason = models.CharField(max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_on", "-pk"]

    def __str__(self) -> str:
        return gettext("%(person)s: %(title)s on %(date)s") % {
            "person": self.person,
            "title": self.title or self.level_key,
            "date": self.changed_on,
        }


# --- pay (HR only) ------------------------------------------------------------------------

MONEY_DIGITS = {"max_digits": 12, "decimal_places": 2}
POSITIVE = MinValueValidator(Decimal("0.01"), message=_("Must be more than zero."))
validate_currency = RegexValidator(
    r"^[A-Z]{3}\Z", _("An ISO 4217 currency code: three capital letters, e.g. EUR.")
)


class PaySettings(models.Model):
    """Whether a framework has pay bands, and whether people see their own and next band."""

    framework = models.OneToOneField(
        Framework, on_delete=models.CASCADE, related_name="pay_settings"
    )
    enabled = models.BooleanField(
        _("pay bands on"),
        default=False,
        help_text=_("When off, bands are kept but shown nowhere except the pay bands page."),
    )
    visible_to_people = models.BooleanField(
        _("people see their own band and the next one"),
        default=False,
        help_text=_(
            "A person with a login sees the band of their position and of their next level "
            "on the position pages; nobody sees anyone else's."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("pay settings")
        verbose_name_plural = _("pay settings")

    def __str__(self) -> str:
        return str(self.framework)


class PayBand(models.Model):
    """One version of the pay band of a position (in a region, for a specialism).

    Rows are never changed: an edit adds a row. The band in force for a (position,
    specialism, region) is the row with the latest ``effective_on`` on or before today
    (the latest recorded one when two share the date)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="pay_bands")
    role_key = models.CharField(max_length=KEY_MAX_LENGTH)
    level_key = models.CharField(max_length=KEY_MAX_LENGTH)
    sub_role_key = models.CharField(
        max_length=KEY_MAX_LENGTH, blank=True, help_text=_("Empty: every specialism.")
    )
    region = models.CharField(
        _("region"), max_length=100, blank=True, help_text=_("Empty: everywhere.")
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    minimum = models.DecimalField(_("minimum"), **MONEY_DIGITS, validators=[POSITIVE])
    midpoint = models.DecimalField(_("midpoint"), **MONEY_DIGITS, validators=[POSITIVE])
    maximum = models.DecimalField(_("maximum"), **MONEY_DIGITS, validators=[POSITIVE])
    effective_on = models.DateField(_("effective from"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "-pk"]
        verbose_name = _("pay band")
        verbose_name_plural = _("pay bands")
        indexes = [models.Index(fields=["framework", "role_key", "level_key"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum__gt=0), name="ladders_payband_minimum_positive"
            ),
            models.CheckConstraint(
                condition=Q(midpoint__gte=F("minimum"), maximum__gte=F("midpoint")),
                name="ladders_payband_min_mid_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role_key}.{self.level_key} {self.region} {self.effective_on}".strip()

    @property
    def band_key(self) -> tuple[str, str, str, str]:
        """What a newer row replaces: position, specialism and region."""
        return (self.role_key, self.level_key, self.sub_role_key, self.region.casefold())

    def clean(self) -> None:
        if None in (self.minimum, self.midpoint, self.maximum):
            return
        errors = {}
        if self.midpoint < self.minimum:
            errors["midpoint"] = _("The midpoint must not be below the minimum.")
        if self.maximum < self.midpoint:
            errors["maximum"] = _("The maximum must not be below the midpoint.")
        if errors:
            raise ValidationError(errors)


class Salary(models.Model):
    """A person's pay from a date on (HR only). Rows are never changed: a raise adds one."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="salaries")
    amount = models.DecimalField(_("amount"), **MONEY_DIGITS, validators=[POSITIVE])
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    region = models.CharField(
        _("region"),
        max_length=100,
        blank=True,
        help_text=_("Picks the pay band of that region; empty: the band for everywhere."),
    )
    effective_on = models.DateField(_("effective from"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "-pk"]
        verbose_name = _("salary")
        verbose_name_plural = _("salaries")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ladders_salary_positive"),
        ]

    def __str__(self) -> str:
        return gettext("%(person)s from %(date)s") % {
            "person": self.person,
            "date": self.effective_on,
        }
