"""factory-boy factories and the personas: alice (admin, Acme), bob (host, Acme), carol (Globex)."""

import factory

from portier.accounts.models import User
from portier.companies.models import Company, Membership, Role
from portier.locations.models import Location

PASSWORD = "correct-horse-battery-staple"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")
    language = "en"
    internal_domains = factory.LazyAttribute(lambda c: [f"{c.slug}.example"])


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Office {n}")
    address = "Friedrichstraße 100\n10117 Berlin"
    time_zone = "Europe/Berlin"
    code = None


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Sequence(lambda n: f"User {n}")
    language = "en"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_member(company, *, email, name, role=Role.HOST, language="en", primary_location=None):
    user = UserFactory(email=email, name=name, language=language, primary_location=primary_location)
    Membership.objects.create(user=user, company=company, role=role)
    return user
