"""The parts of a page rendered on every view are Jinja2 templates (newsroom/jinja.py):
they must write what Django's templates wrote, escaping included."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from dateline.newsroom.jinja import _engine, render
from dateline.testing.factories import make_article, make_author

TYPED = """Eve "Bold" <b onmouseover='alert(1)'>&amp;</b>"""


def jinja(source: str, **context) -> str:
    return _engine().env.from_string(source).render(context)


def django(source: str, **context) -> str:
    return Template("{% load i18n %}" + source).render(Context(context))


def test_a_value_is_escaped_as_django_escapes_it():
    assert jinja("{{ v }}", v=TYPED) == django("{{ v }}", v=TYPED)
    assert "&quot;Bold&quot;" in jinja("{{ v }}", v=TYPED)
    assert "&#x27;alert(1)&#x27;" in jinja("{{ v }}", v=TYPED)


def test_a_value_marked_safe_is_written_as_it_is():
    from django.utils.safestring import mark_safe

    assert jinja("{{ v }}", v=mark_safe("<em>ok</em>")) == "<em>ok</em>"


def test_autoescape_cannot_be_turned_off_by_the_settings(settings):
    settings.TEMPLATES = [
        settings.TEMPLATES[0],
        {**settings.TEMPLATES[1], "OPTIONS": {**settings.TEMPLATES[1]["OPTIONS"]}},
    ]
    settings.TEMPLATES[1]["OPTIONS"]["autoescape"] = False
    assert "<b" not in jinja("{{ v }}", v=TYPED)


def test_a_translated_text_escapes_the_values_put_into_it():
    source = '{{ _("Reply to %(name)s", name=v) }}'
    expected = django(
        "{% blocktranslate with name=v %}Reply to {{ name }}{% endblocktranslate %}",
        v=TYPED,
    )
    assert jinja(source, v=TYPED) == expected
    assert jinja(source, v=TYPED).startswith("Reply to Eve &quot;Bold&quot; &lt;b")


def test_a_plural_is_chosen_by_the_number():
    source = '{{ ngettext("%(n)s Comment", "%(n)s Comments", n, n=n) }}'
    assert jinja(source, n=1) == "1 Comment"
    assert jinja(source, n=12) == "12 Comments"


def test_dates_are_written_in_the_sites_time_zone():
    moment = datetime(2026, 3, 1, 22, 30, tzinfo=UTC)
    with timezone.override("Asia/Karachi"):
        assert jinja('{{ t|date("j F Y, H:i") }}', t=moment) == "2 March 2026, 03:30"
        assert jinja("{{ t|machine_time }}", t=moment) == "2026-03-02T03:30:00+05:00"
        assert jinja('{{ t|date("j F Y, H:i") }}', t=moment) == django(
            '{{ t|date:"j F Y, H:i" }}', t=moment
        )


@pytest.mark.django_db
def test_the_parts_render_without_the_engine_in_the_settings(settings):
    # An outlet's own TEMPLATES setting, naming Django's engine alone.
    settings.TEMPLATES = [settings.TEMPLATES[0]]
    author = make_author(name='Sana "S" Iqbal')
    html = render("newsroom/byline.html", {"authors": [author]})
    assert html.startswith('<p class="byline">By <a class="byline__author"')
    assert "Sana &quot;S&quot; Iqbal</a></p>" in html


@pytest.mark.django_db
def test_bylines_read_as_a_sentence(client):
    authors = [make_author(name=name) for name in ("Ali", "Bina", "Chen")]
    article = make_article(title="Three bylines", authors=authors)
    html = client.get(article.url).content.decode()
    assert ">Ali</a>, <a" in html
    assert ">Bina</a> and <a" in html
    assert ">Chen</a></p>" in html


def test_an_address_follows_the_script_prefix_and_the_urlconf(settings):
    from django.urls import set_script_prefix

    from dateline.newsroom.jinja import url

    assert url("comments:report", 7) == "/comments/report/7/"
    set_script_prefix("/news/")
    try:
        assert url("comments:report", 7) == "/news/comments/report/7/"
    finally:
        set_script_prefix("/")
    assert url("comments:report", 7) == "/comments/report/7/"
    assert url("comments:report", 8) == "/comments/report/8/"
