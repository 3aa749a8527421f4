import pytest
from django.test import override_settings

from dateline.newsroom import conf
from dateline.newsroom.text import (
    count_words,
    count_words_in_html,
    reading_minutes,
    text_direction,
)


def test_english_words_are_counted():
    assert (
        count_words("The council's water plan, agreed on Tuesday, costs Rs 4.2bn.")
        == 10
    )


def test_urdu_words_with_vowel_marks_count_once():
    # "The city library opened again on Monday" in Urdu: eight words.
    assert count_words("شہر کی لائبریری پیر کو دوبارہ کھل گئی") == 8
    assert count_words("کُتب خانہ") == 2


def test_arabic_words_are_counted():
    assert count_words("افتتحت المكتبة العامة أبوابها من جديد") == 6


def test_han_characters_count_one_each():
    assert count_words("图书馆重新开放") == 7


def test_html_tags_are_not_words_and_paragraphs_do_not_merge():
    assert count_words_in_html("<p>one <b>two</b></p><p>three</p>") == 3


@pytest.mark.parametrize(
    ("words", "minutes"),
    [(0, 1), (1, 1), (200, 1), (201, 2), (400, 2), (401, 3), (1000, 5)],
)
def test_reading_minutes_round_up_and_never_below_one(words, minutes):
    assert reading_minutes(words, 200) == minutes


@override_settings(
    DATELINE_READING_WPM=250, DATELINE_READING_WPM_BY_LANGUAGE={"ar": 140}
)
def test_reading_rate_is_a_setting_and_can_differ_per_language():
    assert conf.reading_wpm("en") == 250
    assert conf.reading_wpm("ar") == 140
    assert conf.reading_wpm("ar-SA") == 140


@pytest.mark.parametrize(
    "language",
    ["ur", "ar", "ar-DZ", "fa", "he", "ps", "sd", "ug", "yi", "dv", "ckb", "pa-Arab"],
)
def test_right_to_left_languages(language):
    assert text_direction(language) == "rtl"


@pytest.mark.parametrize("language", ["en", "en-GB", "hi", "zh-Hans", "ur-Latn", ""])
def test_left_to_right_languages(language):
    assert text_direction(language) == "ltr"
