from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.models import User

from frontend.roles import Role, assign_role

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create: bool, extracted: Role | None, **kwargs: Any) -> None:
        self.save()
        if extracted is not None:
            assign_role(self, extracted)
