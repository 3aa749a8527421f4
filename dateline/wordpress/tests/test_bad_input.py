"""A file that is not a readable export: one line, exit status 2, nothing written."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from dateline.newsroom.models import ArticlePage, Author, SectionPage
from dateline.wordpress.models import ImportedItem

from .helpers import EXPORT

pytestmark = pytest.mark.django_db


def import_exits(path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_wordpress", str(path), "--report", str(path) + ".txt")
    assert exit_info.value.code == 2
    assert not ArticlePage.objects.exists()
    assert not Author.objects.exists()
    assert not SectionPage.objects.exists()
    assert not ImportedItem.objects.exists()
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1
    return error


def test_truncated_file(tmp_path, capsys):
    text = EXPORT.read_text()
    truncated = tmp_path / "cut.xml"
    truncated.write_text(text[: text.index("Ferry crews return to work")])
    error = import_exits(truncated, capsys)
    assert error.startswith("dateline: error: ")
    assert "cut.xml, line " in error


def test_not_an_export(tmp_path, capsys):
    page = tmp_path / "page.xml"
    page.write_text("<html><body><p>Hello</p></body></html>")
    assert "not a WordPress export" in import_exits(page, capsys)
    feed = tmp_path / "feed.xml"
    feed.write_text('<rss version="2.0"><channel><title>x</title></channel></rss>')
    assert "no wp:wxr_version" in import_exits(feed, capsys)


def test_wrong_encoding(tmp_path, capsys):
    latin = tmp_path / "latin.xml"
    latin.write_bytes(
        EXPORT.read_text()
        .replace("Tomás", "Tom\udce1s", 1)
        .encode("utf-8", "surrogateescape")
    )
    error = import_exits(latin, capsys)
    assert "latin.xml, line 19: " in error


def test_entity_expansion_refused(tmp_path, capsys):
    bomb = tmp_path / "bomb.xml"
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    bomb.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "ha">{laughs}]>'
        + EXPORT.read_text().split("?>", 1)[1].replace("Harbour at dawn", "&l9;")
    )
    assert "document type declaration" in import_exits(bomb, capsys)


def test_external_entity_refused(tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read me")
    xxe = tmp_path / "xxe.xml"
    xxe.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
        + EXPORT.read_text().split("?>", 1)[1].replace("Harbour at dawn", "&x;")
    )
    assert "document type declaration" in import_exits(xxe, capsys)


def test_huge_text_node(tmp_path, capsys):
    huge = tmp_path / "huge.xml"
    with huge.open("w") as out:
        before, after = EXPORT.read_text().split("Not ready yet.", 1)
        out.write(before)
        for _ in range(11):
            out.write("x" * (1024 * 1024))
        out.write(after)
    assert "line " in import_exits(huge, capsys)


def test_missing_file(tmp_path, capsys):
    assert "no such file" in import_exits(tmp_path / "nothere.xml", capsys)


def test_dateline_verb_reaches_the_command(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dateline.site.settings.test"}
    result = subprocess.run(
        [
            Path(sys.executable).parent / "dateline",
            "import-wordpress",
            str(tmp_path / "gone.xml"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().endswith("gone.xml: no such file")
