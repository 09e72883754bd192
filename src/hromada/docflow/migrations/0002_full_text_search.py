"""Full-text search over documents: SQLite FTS5 in the embedded mode, a GIN index for
PostgreSQL full-text search in production. Each engine gets only its own objects."""

from django.db import migrations

SQLITE_CREATE = [
    # External-content FTS5 table over docflow_document.search_text, kept in step by
    # triggers, so any write (services, bulk loads of the benchmark) is indexed.
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
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS docflow_document_fts_update",
    "DROP TRIGGER IF EXISTS docflow_document_fts_delete",
    "DROP TRIGGER IF EXISTS docflow_document_fts_insert",
    "DROP TABLE IF EXISTS docflow_document_fts",
]
# The expression must match the one selectors.document_search filters on.
POSTGRES_CREATE = [
    """CREATE INDEX IF NOT EXISTS docflow_document_search_gin ON docflow_document
       USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))""",
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS docflow_document_search_gin"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("docflow", "0001_documents_cases_routes_resolutions")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
