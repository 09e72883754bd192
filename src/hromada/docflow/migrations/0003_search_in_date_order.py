"""Search in date order without sorting every match (docs/decisions/0202).

SQLite: the FTS5 table becomes contentless and its rowid becomes a *sort key*
``YYYYMMDD(registered_on) * 2**32 + id``, so FTS5 itself returns matches newest first
(``ORDER BY rowid DESC`` is served by the index), a ``LIMIT`` stops the scan early, and
date filters become rowid ranges. The document id is ``rowid % 2**32``.

PostgreSQL: a stored generated ``tsvector`` column with a GIN index (the match no longer
re-parses ``search_text`` per row), and a b-tree on (registered_on, id) so the planner can
walk documents newest first and stop at the first page when a query matches many.
"""

from django.db import migrations, models

# Must match selectors.SORT_KEY_SHIFT.
SORT_KEY = "CAST(replace({row}.registered_on, '-', '') AS INTEGER) * 4294967296 + {row}.id"

SQLITE_CREATE = [
    "DROP TRIGGER IF EXISTS docflow_document_fts_update",
    "DROP TRIGGER IF EXISTS docflow_document_fts_delete",
    "DROP TRIGGER IF EXISTS docflow_document_fts_insert",
    "DROP TABLE IF EXISTS docflow_document_fts",
    """CREATE VIRTUAL TABLE docflow_document_fts USING fts5(
        search_text, content='', tokenize="unicode61 remove_diacritics 2")""",
    f"""CREATE TRIGGER docflow_document_fts_insert AFTER INSERT ON docflow_document BEGIN
        INSERT INTO docflow_document_fts(rowid, search_text)
        VALUES ({SORT_KEY.format(row="new")}, new.search_text);
    END""",
    # A contentless table forgets a row only when given its exact old values.
    f"""CREATE TRIGGER docflow_document_fts_delete AFTER DELETE ON docflow_document BEGIN
        INSERT INTO docflow_document_fts(docflow_document_fts, rowid, search_text)
        VALUES ('delete', {SORT_KEY.format(row="old")}, old.search_text);
    END""",
    f"""CREATE TRIGGER docflow_document_fts_update
    AFTER UPDATE OF search_text, registered_on ON docflow_document BEGIN
        INSERT INTO docflow_document_fts(docflow_document_fts, rowid, search_text)
        VALUES ('delete', {SORT_KEY.format(row="old")}, old.search_text);
        INSERT INTO docflow_document_fts(rowid, search_text)
        VALUES ({SORT_KEY.format(row="new")}, new.search_text);
    END""",
    f"""INSERT INTO docflow_document_fts(rowid, search_text)
        SELECT {SORT_KEY.format(row="docflow_document")}, search_text FROM docflow_document""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS docflow_document_fts_update",
    "DROP TRIGGER IF EXISTS docflow_document_fts_delete",
    "DROP TRIGGER IF EXISTS docflow_document_fts_insert",
    "DROP TABLE IF EXISTS docflow_document_fts",
    # Back to migration 0002's external-content table.
    """CREATE VIRTUAL TABLE docflow_document_fts USING fts5(
        search_text, content='docflow_document', content_rowid='id',
        tokenize="unicode61 remove_diacritics 2")""",
    """CREATE TRIGGER docflow_document_fts_insert AFTER INSERT ON docflow_document BEGIN
        INSERT INTO docflow_document_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    """CREATE TRIGGER docflow_document_fts_delete AFTER DELETE ON docflow_document BEGIN
        INSERT INTO docflow_document_fts(docflow_document_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END""",
    """CREATE TRIGGER docflow_document_fts_update AFTER UPDATE OF search_text ON docflow_document
    BEGIN
        INSERT INTO docflow_document_fts(docflow_document_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO docflow_document_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    "INSERT INTO docflow_document_fts(docflow_document_fts) VALUES ('rebuild')",
]
# The column is outside Django's model state on purpose: only PostgreSQL has it, and
# selectors filter on it by name. A future ALTER of search_text's type must drop and
# re-create it. The parser would keep "Вх/123" as 'вх' + '/123' and "01-12" as '01' + '-12',
# so a search for 123 or 12 missed them; these separators become spaces first, as they
# are for SQLite's unicode61 tokenizer and for the words of a query.
POSTGRES_CREATE = [
    """ALTER TABLE docflow_document ADD COLUMN IF NOT EXISTS search_vector tsvector
       GENERATED ALWAYS AS (to_tsvector('simple'::regconfig,
           translate(COALESCE(search_text, ''), '/-.@', '    '))) STORED""",
    """CREATE INDEX IF NOT EXISTS docflow_document_search_vector_gin ON docflow_document
       USING gin (search_vector)""",
    "DROP INDEX IF EXISTS docflow_document_search_gin",
]
POSTGRES_DROP = [
    """CREATE INDEX IF NOT EXISTS docflow_document_search_gin ON docflow_document
       USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))""",
    "DROP INDEX IF EXISTS docflow_document_search_vector_gin",
    "ALTER TABLE docflow_document DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("docflow", "0002_full_text_search")]

    operations = [
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["registered_on", "id"], name="docflow_doc_registered_idx"),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
