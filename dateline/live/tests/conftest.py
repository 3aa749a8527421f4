import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from dateline.testing.factories import make_author, make_live_page, make_section


@pytest.fixture
def section(db):
    return make_section("World")


@pytest.fixture
def reporter_author(db):
    return make_author("Sana Mir")


@pytest.fixture
def live_page(section, reporter_author):
    return make_live_page(section, title="Election night", authors=[reporter_author])


def user_in(role, name, author=None):
    user = get_user_model().objects.create_user(
        name, password="pw", email=f"{name}@newsroom.example"
    )
    user.groups.add(Group.objects.get(name=role))
    if author is not None:
        author.user = user
        author.save()
    return user


@pytest.fixture
def editor(db):
    return user_in("Editors", "editor")


@pytest.fixture
def reporter(reporter_author):
    return user_in("Reporters", "reporter", reporter_author)
