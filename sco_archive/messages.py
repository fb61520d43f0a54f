"""The reader site's translation catalogues, without GNU gettext (issue #18).

``locale/<lang>/LC_MESSAGES/django.po`` holds each language's translations and the
compiled ``django.mo`` beside it is committed, so neither installing nor serving needs
``msgfmt``. Babel (pure Python) compiles them and extracts the messages to translate::

    python -m sco_archive.messages compile   # .po → .mo, after editing a catalogue
    python -m sco_archive.messages check     # what tests/test_i18n.py asserts

``make messages`` first refreshes the .po files with ``makemessages`` (that one step needs
GNU gettext's xgettext, a translator's tool) and then compiles them here.

Extraction mirrors ``makemessages``: Django's own ``templatize`` turns each reader
template into the Python-like text xgettext would read, and Babel's Python extractor
reads it and the Python modules with Django's keywords. The admin's templates
(``templates/admin/``, ``api/``, ``registration/``) stay English and are not extracted.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = BASE_DIR / "locale"
CATALOGUES = ("ru", "zh_Hans")
PYTHON_DIRS = ("events", "sources", "sco_archive")
ENGLISH_ONLY_TEMPLATES = ("admin", "api", "registration")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


def po_path(language):
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def _messages(source):
    from babel.messages.extract import extract

    for _, message, _, context in extract("python", io.BytesIO(source.encode()), KEYWORDS):
        yield context, message


def extracted():
    """{(context, msgid or (singular, plural)): where} of every message to translate."""
    from django.utils.translation.template import templatize

    found = {}
    for directory in PYTHON_DIRS:
        for path in sorted((BASE_DIR / directory).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for key in _messages(path.read_text(encoding="utf-8")):
                found.setdefault(key, str(path.relative_to(BASE_DIR)))
    templates = BASE_DIR / "templates"
    for path in sorted(templates.rglob("*.html")):
        if path.relative_to(templates).parts[0] in ENGLISH_ONLY_TEMPLATES:
            continue
        for key in _messages(templatize(path.read_text(encoding="utf-8"), origin=str(path))):
            found.setdefault(key, str(path.relative_to(BASE_DIR)))
    return found


def read_catalogue(language):
    from babel.messages.pofile import read_po

    with po_path(language).open("rb") as handle:
        return read_po(handle)


def compiled(language):
    """The .mo bytes of ``language``'s .po (Babel's compiler: deterministic)."""
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, read_catalogue(language))
    return buffer.getvalue()


def problems():
    """What is wrong with the catalogues: untranslated, fuzzy or missing messages, stale .mo."""
    wanted = extracted()
    found = []
    for language in CATALOGUES:
        catalogue = read_catalogue(language)
        for (context, msgid), where in sorted(wanted.items(), key=str):
            key = msgid[0] if isinstance(msgid, tuple) else msgid
            message = catalogue.get(key, context=context)
            if message is None:
                found.append(f"{language}: missing {msgid!r} ({where})")
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy or not all(strings):
                found.append(f"{language}: untranslated or fuzzy {msgid!r} ({where})")
        mo = po_path(language).with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != compiled(language):
            found.append(f"{language}: {mo.relative_to(BASE_DIR)} is not compiled from its .po")
    return found


def main(argv):
    import django

    django.setup()
    command = argv[1] if len(argv) > 1 else "check"
    if command == "compile":
        for language in CATALOGUES:
            po_path(language).with_suffix(".mo").write_bytes(compiled(language))
        return 0
    found = problems()
    print("\n".join(found) or "Catalogues complete and compiled.")
    return 1 if found else 0


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sco_archive.settings")
    sys.exit(main(sys.argv))
