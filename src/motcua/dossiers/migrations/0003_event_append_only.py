"""Dossier events and personal-data access records become append-only in the database.

The application only ever inserts these rows (``motcua.dossiers.history``). These triggers make
the database refuse changes too, so neither a bug nor a hand-written query can rewrite history.
Whoever can disable triggers can still change rows; the hash chain (``manage.py verify_history``)
is the second line of defence against that.

PostgreSQL
    One trigger function, ``dossiers_refuse_change()``, raises the message given as the trigger's
    argument with SQLSTATE 23001 ``restrict_violation``, so that Django raises
    ``django.db.IntegrityError`` as it does on SQLite (the default P0001 would surface as a
    ``ProgrammingError``, which reads like a bug in the query). It runs ``BEFORE UPDATE OR DELETE
    ... FOR EACH ROW`` on both tables: every UPDATE and DELETE is refused. Row triggers do not fire on
    TRUNCATE, which is how Django's ``flush`` empties tables between transactional tests; no
    TRUNCATE trigger is added, because it would break that flush. Production should therefore
    keep TRUNCATE (and table ownership) away from whoever runs ad-hoc SQL.

SQLite (the embedded mode)
    ``BEFORE UPDATE``: always refused (``RAISE(ABORT)``, an ``IntegrityError``). ``BEFORE DELETE``: refused unless the row is the oldest one
    left in its table (no row with a smaller id). Django's ``flush`` on SQLite is ``DELETE FROM
    <table>`` for every table, in no fixed order, and SQLite deletes such rows one at a time in
    rowid order: each row is the oldest left when its turn comes, so a full wipe goes through
    while any selective delete of a row that has an older one is refused. (A condition on the
    dossier being gone would depend on the table order of ``flush``, which is a Python set.) What
    the exception still lets through, deleting from the very front of the whole log, is shown by
    ``verify_history`` as a chain not starting at seq 1, unless it removes whole histories. On
    SQLite the triggers guard against application mistakes; whoever holds the file can do anything.

Careful: Django's SQLite schema editor rebuilds a table (copy, drop, rename) for many ``ALTER``
operations, and dropping the old table drops its triggers. A later migration that alters these
tables must recreate the triggers; ``tests/test_history.py`` checks that they exist.
"""

from django.db import migrations

TABLES = {
    "DossierEvent": ("dossier_event", "dossier events are append-only"),
    "PersonalDataAccess": ("personal_data_access", "personal data access records are append-only"),
}

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION dossiers_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        ERRCODE = 'restrict_violation',
        MESSAGE = TG_ARGV[0],
        HINT = 'History is append-only: record a new event instead of changing an old one.';
END;
$$
"""


def _tables(apps):
    for model_name, (prefix, message) in TABLES.items():
        yield apps.get_model("dossiers", model_name)._meta.db_table, prefix, message


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    quote = schema_editor.quote_name
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FUNCTION, params=None)
        for table, prefix, message in _tables(apps):
            schema_editor.execute(
                f"CREATE TRIGGER {prefix}_append_only BEFORE UPDATE OR DELETE ON {quote(table)} "
                f"FOR EACH ROW EXECUTE FUNCTION dossiers_refuse_change('{message}')",
                params=None,
            )
    elif vendor == "sqlite":
        for table, prefix, message in _tables(apps):
            schema_editor.execute(
                f"CREATE TRIGGER {prefix}_no_update BEFORE UPDATE ON {quote(table)} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END",
                params=None,
            )
            schema_editor.execute(
                f"CREATE TRIGGER {prefix}_no_delete BEFORE DELETE ON {quote(table)} "
                f"WHEN EXISTS (SELECT 1 FROM {quote(table)} AS older WHERE older.id < OLD.id) "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END",
                params=None,
            )
    # Other databases are not supported by motcua; nothing to do there.


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    quote = schema_editor.quote_name
    if vendor == "postgresql":
        for table, prefix, _message in _tables(apps):
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS {prefix}_append_only ON {quote(table)}", params=None
            )
        schema_editor.execute("DROP FUNCTION IF EXISTS dossiers_refuse_change()", params=None)
    elif vendor == "sqlite":
        for _table, prefix, _message in _tables(apps):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {prefix}_no_update", params=None)
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {prefix}_no_delete", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
