"""The README's commands on the site ``dateline demo`` made, through the installed
``dateline`` console script, from a fresh directory, without setting ``SECRET_KEY``."""

import pytest

from dateline.testing.stack import run_dateline as dateline

pytestmark = pytest.mark.own_stack

COUNT_ARTICLES = (
    "from dateline.newsroom.models import ArticlePage; "
    "print('articles:', ArticlePage.objects.count())"
)
ADMINS = (
    "from django.contrib.auth import get_user_model; "
    "print(sorted(get_user_model().objects.filter(is_superuser=True)"
    ".values_list('username', flat=True)))"
)


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory):
    """A fresh directory in which ``dateline demo --no-serve`` has run."""
    tmp_path = tmp_path_factory.mktemp("embedded")
    demo = dateline(tmp_path, "demo", "--no-serve")
    assert demo.returncode == 0, demo.stderr
    return tmp_path


def test_readme_commands_work_on_the_site_demo_made(site_dir):
    tmp_path = site_dir

    generated = dateline(tmp_path, "generate", "--articles", "20", "--no-index")
    assert generated.returncode == 0, generated.stderr
    assert "Generated 20 articles" in generated.stdout

    made = dateline(
        tmp_path,
        "createsuperuser",
        "--noinput",
        DJANGO_SUPERUSER_USERNAME="editor",
        DJANGO_SUPERUSER_EMAIL="editor@example.com",
        DJANGO_SUPERUSER_PASSWORD="a long editor password",
    )
    assert made.returncode == 0, made.stderr
    assert "Superuser created successfully." in made.stdout

    counted = dateline(tmp_path, "shell", "-c", COUNT_ARTICLES)
    assert counted.returncode == 0, counted.stderr
    # The demo's 14 stories, its live page (an article too) and the generated 20.
    assert "articles: 35" in counted.stdout
    admins = dateline(tmp_path, "shell", "-c", ADMINS)
    assert "['admin', 'editor']" in admins.stdout

    migrated = dateline(tmp_path, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert "No migrations to apply." in migrated.stdout

    checked = dateline(tmp_path, "check")
    assert checked.returncode == 0, checked.stderr
    assert "System check identified no issues" in checked.stdout


def test_the_embedded_key_is_the_one_demo_made(site_dir):
    key = (site_dir / "var" / "secret_key").read_text().strip()
    printed = dateline(
        site_dir,
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
    )
    assert printed.stdout.strip().splitlines()[-1] == key


@pytest.mark.parametrize("command", [["shell", "-c", "print(1)"], ["migrate"]])
def test_without_the_embedded_site_a_command_still_needs_a_key(tmp_path, command):
    result = dateline(tmp_path, *command)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "dateline: error: SECRET_KEY is not set: refusing to run with DEBUG off and "
        "no secret key (set SECRET_KEY in the environment; see .env.example)"
    ]


def test_production_with_a_database_url_still_demands_a_key(site_dir):
    # The demo's key is in the data directory, but a DATABASE_URL means production.
    result = dateline(
        site_dir,
        "shell",
        "-c",
        "print(1)",
        DATABASE_URL="postgres://nobody@127.0.0.1:9/none",
    )
    assert result.returncode == 2
    assert "SECRET_KEY is not set" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_bad_setting_is_one_line_for_any_command(tmp_path):
    result = dateline(
        tmp_path, "shell", "-c", "print(1)", SECRET_KEY="k" * 50, DATELINE_HTTPS="maybe"
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dateline: error: DATELINE_HTTPS")
