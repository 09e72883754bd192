"""The web shell: language, health check, OpenAPI schema and the Ukrainian catalogue."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polib

import hromada

LOCALE = Path(hromada.__file__).parent / "locale"
UK_PO = LOCALE / "uk" / "LC_MESSAGES" / "django.po"
UK_MO = LOCALE / "uk" / "LC_MESSAGES" / "django.mo"


def test_home_page_is_ukrainian_by_default(client, db):
    response = client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="uk">' in page
    assert "Перейти до основного вмісту" in page
    assert 'lang="en">English</button>' in page


def test_home_page_is_english_after_choosing_english(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"

    page = client.get("/").content.decode()

    assert '<html lang="en">' in page
    assert "Skip to main content" in page
    assert 'lang="uk">Українська</button>' in page


def test_choosing_an_unknown_language_keeps_ukrainian(client, db):
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})

    assert '<html lang="uk">' in client.get("/").content.decode()


def test_healthz_reports_a_healthy_database(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_openapi_schema_is_valid_json(client, db):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Hromada API"
    assert "/api/core/organisations" in schema["paths"]


def _translatable_entries() -> list[polib.POEntry]:
    return [entry for entry in polib.pofile(str(UK_PO)) if not entry.obsolete]


def test_ukrainian_catalogue_translates_every_message():
    entries = _translatable_entries()
    assert entries

    untranslated = [
        entry.msgid
        for entry in entries
        if not entry.msgstr and not all(entry.msgstr_plural.values() or [""])
    ]

    assert untranslated == []


def test_ukrainian_catalogue_has_no_fuzzy_translation():
    fuzzy = [entry.msgid for entry in _translatable_entries() if "fuzzy" in entry.flags]

    assert fuzzy == []


def test_ukrainian_catalogue_is_compiled_and_up_to_date():
    assert UK_MO.is_file()
    compiled = {
        (entry.msgctxt, entry.msgid): (entry.msgstr, entry.msgstr_plural)
        for entry in polib.mofile(str(UK_MO))
    }

    stale = [
        entry.msgid
        for entry in _translatable_entries()
        if compiled.get((entry.msgctxt, entry.msgid)) != (entry.msgstr, entry.msgstr_plural)
    ]

    assert stale == [], "run `hromada compilemessages` (the .mo is older than the .po)"


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\(\w+\)[sd]|%[sd]|\{\w+\}", text))


def test_ukrainian_translations_keep_the_placeholders():
    broken = []
    for entry in _translatable_entries():
        source = _placeholders(entry.msgid) | _placeholders(entry.msgid_plural)
        for translation in [entry.msgstr, *entry.msgstr_plural.values()]:
            if translation and not _placeholders(translation) <= source:
                broken.append(entry.msgid)
        if entry.msgstr and _placeholders(entry.msgstr) != source:
            broken.append(entry.msgid)

    assert broken == []
