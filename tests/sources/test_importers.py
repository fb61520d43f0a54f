"""`manage.py import_articles`: clean drafts in, duplicates out, bad files refused."""

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sources import importers
from sources.models import Article, Outlet
from tests.factories import OutletFactory

pytestmark = pytest.mark.django_db

PAGES = Path(__file__).parent / "pages"
STORY = (
    "ASTANA, April 26 (Steppe Wire) – The defence ministers of the Shanghai Cooperation "
    "Organisation member states met in Astana on Friday to discuss regional security.\n"
    "The meeting was chaired by Kazakhstan, which holds the SCO presidency this year.\n"
    "Delegations from China, India, Pakistan, Russia, Tajikistan and Uzbekistan took part in the "
    "talks, and the Minister of Defence of Belarus was invited as a guest.\n"
    "The ministers decided to hold their next meeting in Bishkek in 2025.\n"
)


def run(*args, **options):
    """call_command returning (stdout, stderr); raises CommandError like the command."""
    out, err = StringIO(), StringIO()
    call_command("import_articles", *map(str, args), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def run_failing(*args, **options):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_articles", *map(str, args), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue(), str(excinfo.value)


@pytest.fixture
def pages(tmp_path):
    folder = tmp_path / "pages"
    shutil.copytree(PAGES, folder)
    return folder


def test_a_folder_of_pages_becomes_draft_articles(pages):
    out, err = run(pages, "--no-suggest")
    assert err == ""  # no progress bar when not on a terminal, nothing refused
    # ru .txt and .html clean to the same body: the second one is a duplicate;
    # en and zh .txt and .html differ by a line or two: imported, flagged as near-duplicates.
    summary = "5 article(s) created, 1 duplicate(s) skipped, 2 near-duplicate(s) flagged"
    assert f"{summary}, 0 refused" in out
    assert Article.objects.count() == 5
    assert set(Article.objects.values_list("status", flat=True)) == {"draft"}
    assert set(Article.objects.values_list("language", flat=True)) == {"en", "ru", "zh"}
    article = Article.objects.get(
        url="", title="SCO defence ministers meet in Astana", body__contains="\n\n"
    )
    assert article.original == (pages / "en_astana.txt").read_text(encoding="utf-8")
    assert "Leave a Reply" in article.original and "Leave a Reply" not in article.body
    assert article.near_duplicate_of is not None
    assert article.outlet.name == "Steppe Wire"  # from the other page's og:site_name
    assert (str(article.published_on), article.published_precision) == ("2024-04-26", "day")
    assert article.import_ref.startswith("import:")
    assert article.retrieved_at is not None


def test_re_importing_adds_nothing(pages):
    run(pages, "--no-suggest")
    before = list(Article.objects.values_list("pk", "updated_at"))
    out, _ = run(pages, "--no-suggest")
    assert "0 article(s) created, 6 duplicate(s) skipped" in out
    assert list(Article.objects.values_list("pk", "updated_at")) == before


def test_the_same_content_with_other_clutter_is_a_duplicate(tmp_path):
    (tmp_path / "a.txt").write_text("Home | News | Sport\n" + STORY, encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        STORY + "Related news\nSomething else\n© 2024 X", encoding="utf-8"
    )
    out, _ = run(tmp_path / "a.txt", tmp_path / "b.txt", "--no-suggest")
    assert "1 article(s) created, 1 duplicate(s) skipped" in out


def test_a_syndicated_copy_is_imported_and_flagged(tmp_path):
    first = tmp_path / "steppe.txt"
    first.write_text("SCO ministers meet in Astana\n" + STORY, encoding="utf-8")
    run(first, "--outlet", "Steppe Wire", "--no-suggest")
    copy = tmp_path / "copy.txt"
    copy.write_text(
        "Gulf Wire | World | Asia\nDefence chiefs gather in Kazakhstan\n" + STORY + "Share\n",
        encoding="utf-8",
    )
    out, _ = run(copy, "--outlet", "gulf-wire", "--no-suggest")
    assert "1 near-duplicate(s) flagged" in out and "near-duplicate of" in out
    original = Article.objects.get(outlet__name="Steppe Wire")
    syndicated = Article.objects.get(outlet__slug="gulf-wire")
    assert syndicated.near_duplicate_of == original
    assert Outlet.objects.filter(slug="gulf-wire").exists()


def test_a_different_story_is_not_flagged(tmp_path):
    one = tmp_path / "one.txt"
    one.write_text(STORY, encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text(
        "On 28 July 2021, Tajikistan chaired a meeting of the defence ministers in Dushanbe.\n"
        "They approved a new Plan for Cooperation between the SCO Defence Ministries.\n",
        encoding="utf-8",
    )
    run(one, other, "--no-suggest")
    assert not Article.objects.filter(near_duplicate_of__isnull=False).exists()


def bad_files(folder):
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b"  \n\n ")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "latin.txt").write_bytes(
        "Caf\xe9 cr\xe8me br\xfbl\xe9e \xa9 \xae".encode("latin-1") + b"\x81\x98"
    )
    (folder / "broken.json").write_text('{"title": "x", "text": ', encoding="utf-8")
    (folder / "notext.json").write_text('{"title": "Ministers meet"}', encoding="utf-8")
    (folder / "list.json").write_text('["text"]', encoding="utf-8")
    (folder / "nav.html").write_text(
        "<html><body><nav><a href='/'>Home</a> | <a>News</a></nav></body></html>",
        encoding="utf-8",
    )
    (folder / "clutter.txt").write_text("Home | News | Sport\nShare\n© 2024 X\n", encoding="utf-8")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4")
    return [
        "empty.txt",
        "blank.txt",
        "binary.txt",
        "latin.txt",
        "broken.json",
        "notext.json",
        "list.json",
        "nav.html",
        "clutter.txt",
        "scan.pdf",
    ]


def test_every_kind_of_bad_file_is_refused_on_one_line(tmp_path):
    names = bad_files(tmp_path)
    paths = [tmp_path / name for name in names] + [tmp_path / "missing.txt"]
    out, err, message = run_failing(*paths)
    lines = err.strip().split("\n")
    assert len(lines) == len(paths)
    for path, line in zip(paths, lines, strict=True):
        assert line.startswith(f"refused {path}: "), line
        assert len(line) > len(f"refused {path}: ") + 3
    assert "Traceback" not in err
    assert f"{len(paths)} file(s) refused" in message
    assert "0 article(s) created" in out
    assert Article.objects.count() == 0 and Outlet.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty file"),
        ("binary.txt", "binary"),
        ("latin.txt", "UTF-8"),
        ("broken.json", "broken JSON"),
        ("notext.json", "no “text” or “html”"),
        ("nav.html", "no article text"),
        ("scan.pdf", "unsupported file type"),
    ],
)
def test_refusal_reasons(tmp_path, name, reason):
    bad_files(tmp_path)
    _, err, _ = run_failing(tmp_path / name)
    assert reason in err


def test_a_missing_path_is_refused(tmp_path):
    _, err, _ = run_failing(tmp_path / "nowhere.html")
    assert err.strip() == f"refused {tmp_path / 'nowhere.html'}: no such file or folder"


def test_good_files_of_a_batch_with_bad_ones_are_imported(tmp_path, pages):
    bad_files(tmp_path)
    shutil.copy(pages / "ru_tashkent.txt", tmp_path)
    shutil.copy(pages / "zh_qingdao.html", tmp_path)
    out, err, _ = run_failing(tmp_path, "--no-suggest")
    assert "2 article(s) created" in out
    assert err.count("refused ") == 9  # the folder's bad .txt/.html/.json files (not the .pdf)
    assert Article.objects.count() == 2


def test_dry_run_writes_nothing(pages):
    out, _ = run(pages, "--dry-run", "--outlet", "New Outlet")
    assert "5 article(s) would be created" in out and "dry run" in out
    assert Article.objects.count() == 0 and Outlet.objects.count() == 0


def test_status_defaults_to_draft_and_published_is_refused(pages):
    with pytest.raises(CommandError, match="invalid choice"):
        run(pages / "en_astana.txt", "--status", "published")
    assert Article.objects.count() == 0
    run(pages / "en_astana.txt", "--status", "review", "--no-suggest")
    assert Article.objects.get().status == "review"
    with pytest.raises(ValueError):
        importers.ImportOptions(status="published")


def test_options_outlet_url_date_language(pages):
    outlet = OutletFactory(name="Kazinform", slug="kazinform")
    run(
        pages / "en_astana.txt",
        "--outlet",
        "kazinform",
        "--url",
        "https://example.org/astana",
        "--published",
        "2024-04",
        "--language",
        "en",
        "--no-suggest",
    )
    article = Article.objects.get()
    assert article.outlet == outlet
    assert article.url == "https://example.org/astana"
    # the text's day agrees with the month given: the text's precision is kept
    assert (str(article.published_on), article.published_precision) == ("2024-04-26", "day")


def test_a_dateline_without_year_uses_the_given_year_at_month_precision(tmp_path):
    path = tmp_path / "dateline.txt"
    path.write_text(
        "ASTANA, April 29 (Kazinform) – The defence ministers met on Friday in the capital.\n"
        "They agreed to hold joint exercises.\n",
        encoding="utf-8",
    )
    run(path, "--published", "2024", "--no-suggest")
    article = Article.objects.get()
    assert (str(article.published_on), article.published_precision) == ("2024-04-01", "month")
    assert "no year" in article.date_note


def test_a_bad_published_option_is_refused(pages):
    with pytest.raises(CommandError, match="not a date"):
        run(pages / "en_astana.txt", "--published", "26/04/2024")


def test_json_import(tmp_path):
    path = tmp_path / "story.json"
    path.write_text(
        json.dumps(
            {
                "title": "SCO ministers meet in Astana",
                "url": "https://example.org/sco",
                "outlet": "Example News",
                "published_on": "2024-04",
                "language": "en",
                "text": "Home | News\n" + STORY,
            }
        ),
        encoding="utf-8",
    )
    run(path, "--no-suggest")
    article = Article.objects.get()
    assert article.title == "SCO ministers meet in Astana"
    assert article.outlet.name == "Example News"
    assert (str(article.published_on), article.published_precision) == ("2024-04-01", "month")
    assert article.original.startswith("Home | News\n")
    assert article.body.startswith("ASTANA, April 26")


def test_json_with_html(tmp_path, pages):
    path = tmp_path / "page.json"
    html = (pages / "zh_qingdao.html").read_text(encoding="utf-8")
    path.write_text(json.dumps({"html": html, "url": "https://example.cn/1"}), encoding="utf-8")
    run(path, "--no-suggest")
    article = Article.objects.get()
    assert article.language == "zh" and article.original == html
    assert "会议由中国主持。" in article.body and "上证指数" not in article.body


def test_windows_1251_and_crlf(tmp_path):
    text = "Министры встретились\r\nВ Ташкенте прошло совещание министров обороны стран ШОС.\r\n"
    path = tmp_path / "cp1251.txt"
    path.write_bytes(text.encode("cp1251"))
    run(path, "--no-suggest")
    article = Article.objects.get()
    assert article.original == text  # verbatim, CRLF and all
    assert "\r" not in article.body and article.language == "ru"


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + STORY.encode())
    run(path, "--no-suggest")
    assert Article.objects.get().original == STORY


def test_suggestions_are_made_for_created_articles(pages):
    run(pages / "en_astana.txt")
    article = Article.objects.get()
    from events.models import Claim

    claims = Claim.objects.filter(citations__quote__article=article)
    assert claims.exists()
    assert set(claims.values_list("origin", "status").distinct()) == {("suggested", "draft")}


# -- #17: duplicates, syndication, honesty of the dry run and the hooks ------------------


def test_a_renamed_copy_is_a_duplicate_reported_and_the_command_exits_0(tmp_path):
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    # the same text under another name, with other spacing, quotes and line endings
    (tmp_path / "b.txt").write_text(
        STORY.replace("\n", "\r\n").replace(" – ", "  -  "), encoding="utf-8"
    )
    out, err = run(tmp_path, "--no-suggest")
    assert "1 article(s) created, 1 duplicate(s) skipped" in out
    assert "duplicate" in out and "b.txt" in out
    article = Article.objects.get()
    assert (
        article.import_ref
        == "import:" + __import__("hashlib").sha256(STORY.encode()).hexdigest()[:40]
    )
    assert len(article.normalised_hash) == 64
    out, _ = run(tmp_path / "a.txt", "--no-suggest")  # re-importing adds nothing
    assert Article.objects.count() == 1


def test_bad_files_are_each_named_with_a_reason_and_the_rest_goes_on(tmp_path):
    (tmp_path / "good.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02GIF89a" * 50)
    (tmp_path / "truncated.json").write_text('{"title": "SCO", "text": "The minis', "utf-8")
    (tmp_path / "nav.html").write_text(
        "<html><body><nav><a href='/'>Home</a> | <a href='/news'>News</a></nav></body></html>",
        encoding="utf-8",
    )
    with (tmp_path / "huge.txt").open("wb") as handle:
        handle.write(b"The ministers met. " * (11 * 1024 * 1024 // 19 + 1))
    out, err, message = run_failing(tmp_path, "--no-suggest")
    for name, reason in [
        ("empty.txt", "empty file"),
        ("binary.txt", "binary file"),
        ("truncated.json", "broken JSON"),
        ("nav.html", "no article text"),
        ("huge.txt", "file too large"),
    ]:
        assert any(name in line and reason in line for line in err.splitlines()), (name, err)
    assert "5 file(s) refused" in message
    assert Article.objects.count() == 1  # the good one


def test_dry_run_is_the_real_import_rolled_back(tmp_path):
    from events.models import Claim, Event

    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    out, _ = run(tmp_path, "--dry-run")
    assert "1 article(s) would be created" in out and "dry run" in out
    assert not Article.objects.exists() and not Claim.objects.exists()
    assert not Event.objects.exists() and not Outlet.objects.exists()


def test_a_syndicated_copy_joins_the_cluster_of_the_first(tmp_path):
    other = "The Frontier Post\n" + STORY
    first = importers.Importer(importers.ImportOptions(suggest=False, outlet="Steppe Wire"))
    a = first.import_text("a.txt", STORY).article
    second = importers.Importer(importers.ImportOptions(suggest=False, outlet="Frontier Post"))
    outcome = second.import_text("b.txt", other + "Read more\nTags: SCO\n")
    assert outcome.action == "near_duplicate"
    b = outcome.article
    assert b.near_duplicate_of == a
    third = importers.Importer(importers.ImportOptions(suggest=False, outlet="Third Wire"))
    c = third.import_text("c.txt", other + "The ministers also met the Kazakh president.").article
    assert c.near_duplicate_of == a  # the first article of the cluster, not the closest copy
    from sources.models import ArticleSketch, independent_count

    assert ArticleSketch.objects.filter(article=a).count() == importers.SKETCH_SIZE
    triples = [(x.pk, x.near_duplicate_of_id, x.outlet_id) for x in (a, b, c)]
    assert independent_count(triples) == 1
    assert independent_count([(1, None, None), (2, None, None), (3, None, 7), (4, None, 7)]) == 3


def test_a_hook_that_cannot_be_imported_is_an_error_at_start_up(settings):
    from django.core.checks import run_checks

    settings.SCO_IMPORT_HOOKS = ["events.suggest.no_such_hook"]
    errors = [error for error in run_checks() if error.id == "sources.E001"]
    assert errors and "no_such_hook" in errors[0].msg
    with pytest.raises(importers.HookError):
        importers.Importer(importers.ImportOptions())


def test_outlets_from_source_lines_are_matched_by_alias_or_created_flagged(tmp_path):
    OutletFactory(name="TASS", slug="tass", aliases=["ТАСС"])
    russian = (
        "Министры обороны ШОС встретились в Циндао\n"
        "ЦИНДАО, 26 июня 2025. /ТАСС/. Совещание министров обороны государств — членов ШОС "
        "прошло в четверг в китайском городе Циндао.\n"
    )
    outcome = importers.Importer(importers.ImportOptions(suggest=False)).import_text(
        "ru.txt", russian
    )
    assert outcome.article.outlet.slug == "tass"
    assert outcome.article.dateline_place == "Циндао"
    chinese = (
        "上合组织防长会议在青岛举行\n2022-08-31 19:45:30 来源:某某日报\n"
        "新华社青岛8月31日电 上海合作组织成员国国防部长会议31日在青岛举行。\n"
    )
    article = (
        importers.Importer(importers.ImportOptions(suggest=False))
        .import_text("zh.txt", chinese)
        .article
    )
    assert article.outlet.name == "某某日报" and article.outlet.needs_check
    assert "来源:某某日报" in article.body  # the source line stays: a quote may need it
    assert article.title == "上合组织防长会议在青岛举行"
    assert "new in the archive" in article.metadata_note


def test_a_refused_file_and_a_duplicate_write_nothing(tmp_path):
    """A file refused after its outlet was found new (the article fails validation) leaves
    no outlet behind; a renamed copy, suggestions on, adds no article, quote, claim,
    event or history row; the batch goes on and only the refusal makes it exit non-zero."""
    from events.models import Claim, Event
    from sources.models import Quote

    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    run(tmp_path / "a.txt")
    counts = [
        model.objects.count()
        for model in (Article, Article.history.model, Quote, Claim, Event, Outlet)
    ]
    (tmp_path / "copy.txt").write_text(STORY.replace("\n", "\r\n"), encoding="utf-8")
    (tmp_path / "bad-url.json").write_text(
        json.dumps({"text": STORY.replace("Astana", "Almaty"), "outlet": "Brand New Wire",
                    "url": "not a url"}),
        encoding="utf-8",
    )  # fmt: skip
    out, err, message = run_failing(tmp_path / "copy.txt", tmp_path / "bad-url.json")
    assert "duplicate" in out and "copy.txt" in out
    assert "refused" in err and "bad-url.json" in err and "url" in err.lower()
    assert "1 file(s) refused" in message
    assert counts == [
        model.objects.count()
        for model in (Article, Article.history.model, Quote, Claim, Event, Outlet)
    ]
    assert not Outlet.objects.filter(name="Brand New Wire").exists()


def test_a_duplicate_is_found_by_one_statement():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    importer = importers.Importer(importers.ImportOptions(suggest=False))
    first = importer.import_text("a.txt", STORY)
    with CaptureQueriesContext(connection) as queries:
        outcome = importer.import_text("b.txt", STORY.replace("\n", "\r\n"))
    assert outcome.action == "duplicate" and outcome.other.pk == first.article.pk
    sqls = [q["sql"] for q in queries.captured_queries]
    selects = [sql for sql in sqls if sql.lstrip("(").startswith("SELECT")]  # PG: "(SELECT"
    assert len(selects) == 1 and "UNION ALL" in selects[0]
    assert Article.objects.count() == 1


def test_a_batch_summary_keeps_small_references_not_articles(tmp_path):
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "b.txt").write_text(STORY, encoding="utf-8")
    summary = importers.Importer(importers.ImportOptions(suggest=False)).import_paths([tmp_path])
    created, duplicate = summary.outcomes
    article = Article.objects.get()
    assert isinstance(created.article, importers.ArticleRef)
    assert (created.article.pk, created.article.slug) == (article.pk, article.slug)
    assert str(duplicate.other) == article.title
    assert duplicate.line().startswith("duplicate ") and "skipped" in duplicate.line()
