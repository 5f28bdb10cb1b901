"""Factories for the sso models (kept beside their tests; defaults build valid objects)."""

from __future__ import annotations

import factory

from sso.models import GroupMapping, Identity, TargetKind
from tests.factories import FrameworkFactory, UserFactory
from tests.reviews.factories import StakeholderGroupFactory


class GroupMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMapping

    claim_value = factory.Sequence(lambda n: f"group-{n}")
    target = TargetKind.HR
    framework = None
    stakeholder_group = None

    class Params:
        leads = factory.Trait(target=TargetKind.LEADS)
        editor = factory.Trait(
            target=TargetKind.FRAMEWORK_EDITOR, framework=factory.SubFactory(FrameworkFactory)
        )
        stakeholder = factory.Trait(
            target=TargetKind.STAKEHOLDER_GROUP,
            stakeholder_group=factory.SubFactory(StakeholderGroupFactory),
        )


class IdentityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Identity

    user = factory.SubFactory(UserFactory)
    issuer = "https://id.example.com"
    subject = factory.Sequence(lambda n: f"subject-{n}")
