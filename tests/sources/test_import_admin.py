"""The admin's import form: upload files or paste a text; Editors only."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sources.models import Article
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGES = Path(__file__).parent / "pages"
URL = reverse("admin:sources_article_import")


def upload(name):
    return SimpleUploadedFile(name, (PAGES / name).read_bytes())


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_the_changelist_links_to_the_import_form(client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:sources_article_changelist"))
    assert URL in response.content.decode()


def test_the_form_renders(client, editor):
    client.force_login(editor)
    response = client.get(URL)
    assert response.status_code == 200
    assert b'type="file"' in response.content and b"multiple" in response.content


def test_uploading_several_files(client, editor):
    client.force_login(editor)
    response = client.post(
        URL,
        {
            "files": [
                upload("en_astana.html"),
                upload("ru_tashkent.txt"),
                upload("zh_qingdao.html"),
            ],
            "status": "draft",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("admin:sources_article_changelist")
    assert any("3 article(s) created" in message for message in messages_of(response))
    assert Article.objects.count() == 3
    assert set(Article.objects.values_list("status", flat=True)) == {"draft"}


def test_pasting_a_text_with_metadata(client, editor):
    client.force_login(editor)
    text = (PAGES / "en_astana.txt").read_text(encoding="utf-8")
    response = client.post(
        URL,
        {
            "text": text,
            "title": "Ministers meet in Astana",
            "url": "https://example.org/astana",
            "outlet": "Steppe Wire",
            "published": "2024-04-26",
            "language": "en",
            "status": "review",
        },
        follow=True,
    )
    article = Article.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "admin:sources_article_change", args=[article.pk]
    )
    assert article.title == "Ministers meet in Astana"
    assert article.outlet.name == "Steppe Wire" and article.status == "review"
    assert article.original == text.replace("\r\n", "\n")
    assert "1 article(s) created" in " ".join(messages_of(response))


def test_refused_and_duplicate_files_are_reported(client, editor):
    client.force_login(editor)
    client.post(URL, {"files": [upload("ru_tashkent.txt")], "status": "draft"}, follow=True)
    response = client.post(
        URL,
        {
            "files": [upload("ru_tashkent.html"), SimpleUploadedFile("empty.txt", b"")],
            "status": "draft",
        },
        follow=True,
    )
    text = response.content.decode().lower()  # nothing created: the form is shown again
    assert "duplicate ru_tashkent.html" in text
    assert "refused empty.txt: empty file" in text
    assert "0 article(s) created, 1 duplicate(s) skipped" in text
    assert Article.objects.count() == 1


def test_nothing_to_import_is_a_form_error(client, editor):
    client.force_login(editor)
    response = client.post(URL, {"status": "draft"})
    assert response.status_code == 200
    assert "Choose files to upload or paste a text." in response.content.decode()


def test_published_is_not_an_import_status(client, editor):
    client.force_login(editor)
    response = client.post(URL, {"text": "The ministers met in Astana.", "status": "published"})
    assert response.status_code == 200 and Article.objects.count() == 0


def test_a_user_without_add_article_is_refused(client):
    user = UserFactory(username="viewer")
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(user)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"text": "The ministers met in Astana.", "status": "draft"})
    assert response.status_code == 403
    assert Article.objects.count() == 0


def test_anonymous_users_are_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_every_bad_upload_is_named_with_its_reason_and_the_batch_goes_on(client, editor):
    """The issue's bad-input list through the admin form: each file is named with its
    reason, nothing is written for it, the good file of the batch is imported, no 500."""
    from sources.models import Outlet

    client.force_login(editor)
    client.post(URL, {"files": [upload("ru_tashkent.txt")], "status": "draft"}, follow=True)
    outlets = Outlet.objects.count()
    huge = b"The ministers met. " * (10 * 1024 * 1024 // 19 + 100)  # just over 10 MB
    files = [
        SimpleUploadedFile("empty.txt", b""),
        SimpleUploadedFile("binary.txt", b"\x00\x01\x02GIF89a" * 50),
        SimpleUploadedFile("truncated.json", b'{"title": "SCO", "outlet": "New Wire", "text": "Th'),
        SimpleUploadedFile(
            "nav.html", b"<html><body><nav><a href='/'>Home</a> | <a href='/n'>News</a></nav>"
        ),
        SimpleUploadedFile("huge.txt", huge),
        SimpleUploadedFile("renamed.txt", (PAGES / "ru_tashkent.txt").read_bytes()),
        upload("zh_qingdao.html"),
    ]
    response = client.post(URL, {"files": files, "status": "draft"}, follow=True)
    assert response.status_code == 200
    text = "\n".join(messages_of(response))
    for line in [
        "refused empty.txt: empty file",
        "refused binary.txt: binary file",
        "refused truncated.json: broken JSON",
        "refused nav.html: no article text",
        "refused huge.txt: file too large",
        "duplicate renamed.txt: same text as",
    ]:
        assert line in text, line
    assert "1 article(s) created, 1 duplicate(s) skipped" in text
    assert "5 refused" in text
    assert Article.objects.count() == 2  # the first import and zh_qingdao.html
    assert Outlet.objects.filter(name="New Wire").count() == 0
    assert Outlet.objects.count() <= outlets + 1  # at most zh_qingdao's own outlet
