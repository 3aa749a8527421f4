"""The admin's import page: an Administrator uploads, the worker imports, the page
shows progress and then the summary."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from dateline.newsroom.models import ArticlePage
from dateline.testing.tasks import run_tasks
from dateline.wordpress.models import ImportRun

from .helpers import EXPORT

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(django_user_model):
    user = django_user_model.objects.create_user("chief", password="x")
    user.groups.add(Group.objects.get(name="Administrators"))
    return user


def upload(client, text=None):
    data = text.encode() if text is not None else EXPORT.read_bytes()
    return client.post(
        "/admin/import-wordpress/",
        {"export": SimpleUploadedFile("ledger.xml", data, "text/xml")},
    )


def test_import_runs_in_the_worker_not_the_request(client, administrator):
    client.force_login(administrator)
    page = client.get("/admin/import-wordpress/")
    assert page.status_code == 200 and "Import from WordPress" in page.content.decode()
    response = upload(client)
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert not ArticlePage.objects.exists()  # nothing imported inside the request
    waiting = client.get(response["Location"]).content.decode()
    assert "Waiting for the worker" in waiting and 'http-equiv="refresh"' in waiting

    assert run_tasks() >= 1  # the import, then what publishing queues
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert (run.phase, run.done) == ("redirects", run.total)  # progress was kept
    assert ArticlePage.objects.count() == 9
    done = client.get(response["Location"]).content.decode()
    assert "Finished" in done and 'http-equiv="refresh"' not in done
    assert "import-kind-post" in done
    assert "unknown shortcode kept as text: [poll]" in done
    assert not run.export.storage.exists(run.export.name)  # readers' data not kept


def test_a_bad_file_is_reported_on_the_page(client, administrator):
    client.force_login(administrator)
    response = upload(client, EXPORT.read_text()[:2000])
    run_tasks()
    page = client.get(response["Location"]).content.decode()
    assert "Failed" in page and "line " in page
    assert not ArticlePage.objects.exists()


def test_only_administrators(client, django_user_model):
    editor = django_user_model.objects.create_user("ed", password="x")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    # Wagtail answers a refused admin page by sending the user back to the dashboard.
    assert client.get("/admin/import-wordpress/")["Location"] == "/admin/"
    assert upload(client)["Location"] == "/admin/"
    assert not ImportRun.objects.exists()
