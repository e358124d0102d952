"""Factories for every model, with traits for the states tests need."""

import factory
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import EDITORS, MODERATORS

DEFAULT_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    display_name = factory.Faker("name")
    password = factory.django.Password(DEFAULT_PASSWORD)

    class Params:
        editor = factory.Trait(is_staff=True, byline_title="Staff Writer", roles=[EDITORS])
        moderator = factory.Trait(is_staff=True, roles=[MODERATORS])

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """Add the user to the named groups: ``UserFactory(roles=["Editors"])``."""
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))
