"""Full-text search of the public register (see verantwoord.register.search).

PostgreSQL: a tsvector column filled by a trigger (Dutch configuration; empty for superseded and withdrawn
publications) with a GIN index. SQLite: an FTS5 table of the public publications, kept by the services through
search.index_publication. Both: partial indexes of the public publications, for the public pages.
Each part runs only on its own database and is undone on the way back.

The indexes are raw SQL, unknown to the model: on SQLite a later migration that rebuilds register_publication
drops them (pages get slower, not wrong); declaring them in Publication.Meta would prevent that.
"""

from django.db import migrations

# Partial indexes of the public publications (current, not withdrawn): every public page counts them to see
# whether its cached copy is still right, the register lists them by name and its filter by organisation; without
# these, each of those reads the whole table (whose rows carry the published content).
PUBLIC_INDEXES = [
    "CREATE INDEX register_publication_public_idx ON register_publication (organisation_id, id) "
    "WHERE is_current AND withdrawn_at IS NULL",
    "CREATE INDEX register_publication_public_name_idx ON register_publication (name, id) "
    "WHERE is_current AND withdrawn_at IS NULL",
]
DROP_PUBLIC_INDEXES = [
    "DROP INDEX IF EXISTS register_publication_public_idx",
    "DROP INDEX IF EXISTS register_publication_public_name_idx",
]
POSTGRESQL_FORWARDS = [
    "ALTER TABLE register_publication ADD COLUMN search_vector tsvector",
    """
    CREATE FUNCTION register_publication_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.is_current AND NEW.withdrawn_at IS NULL THEN
        -- The search text (which starts with the name) weighs B; the words of the name weigh A wherever they
        -- occur. One vector, not name || text, so that a phrase cannot span the end of one and the start of
        -- the other.
        NEW.search_vector := setweight(
          setweight(to_tsvector('dutch', coalesce(nullif(NEW.search_document, ''), NEW.name, '')), 'B'),
          'A',
          tsvector_to_array(to_tsvector('dutch', coalesce(NEW.name, '')))
        );
      ELSE
        NEW.search_vector := NULL;
      END IF;
      RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER register_publication_search_vector
    BEFORE INSERT OR UPDATE ON register_publication
    FOR EACH ROW EXECUTE FUNCTION register_publication_search_vector()
    """,
    "UPDATE register_publication SET name = name",
    "CREATE INDEX register_publication_search_idx ON register_publication USING gin (search_vector)",
    *PUBLIC_INDEXES,
]
POSTGRESQL_BACKWARDS = [
    *DROP_PUBLIC_INDEXES,
    "DROP INDEX IF EXISTS register_publication_search_idx",
    "DROP TRIGGER IF EXISTS register_publication_search_vector ON register_publication",
    "DROP FUNCTION IF EXISTS register_publication_search_vector()",
    "ALTER TABLE register_publication DROP COLUMN IF EXISTS search_vector",
]
SQLITE_FORWARDS = [
    """
    CREATE VIRTUAL TABLE register_publication_fts USING fts5(
      name, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'
    )
    """,
    """
    INSERT INTO register_publication_fts (rowid, name, body)
    SELECT id, name, search_document FROM register_publication WHERE is_current AND withdrawn_at IS NULL
    """,
    *PUBLIC_INDEXES,
]
SQLITE_BACKWARDS = [
    *DROP_PUBLIC_INDEXES,
    "DROP TABLE IF EXISTS register_publication_fts",
]


def _run(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def forwards(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_FORWARDS, "sqlite": SQLITE_FORWARDS})


def backwards(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_BACKWARDS, "sqlite": SQLITE_BACKWARDS})


class Migration(migrations.Migration):
    dependencies = [("register", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
