"""People on the ladder (DESIGN.md section 5): who sits where, and how they got there.

A person's position is named by framework + role key + level key (+ sub-role key): keys are
stable across published versions, so a person stays put when a new version is published.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

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
        help_text="Their login, if they have one: they then see their own assessments.",
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
        verbose_name_plural = "people"
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
    title = models.CharField(max_length=200, blank=True, help_text="The position's title then.")
    changed_on = models.DateField()
    reason = models.CharField(max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.person}: {self.title or self.level_key} on {self.changed_on}"
