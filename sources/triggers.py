"""The database side of freshness (see :mod:`sources.caching`): the one-row table
``sco_archive_version`` and a trigger on every archive table that gives it a new random
token in the transaction of each write. Installed by migrations and, after every
``migrate``, for tables added or rebuilt since (``sco_archive.apps``).
"""

TABLE = "sco_archive_version"
FUNCTION = "sco_archive_version_bump"
TRIGGER = "sco_version_"  # + table name (+ _insert/_update/_delete on SQLite)
NEW_TOKEN = {
    "sqlite": "lower(hex(randomblob(8)))",
    "postgresql": "md5(random()::text || clock_timestamp()::text)",
}


def install(connection, tables):
    """Create the version table if missing, and a trigger on each of ``tables`` lacking one."""
    vendor, new = connection.vendor, NEW_TOKEN[connection.vendor]
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        if TABLE not in existing:
            cursor.execute(f"CREATE TABLE {TABLE} (token varchar(32) NOT NULL)")
            cursor.execute(f"INSERT INTO {TABLE} (token) VALUES ({new})")
            if vendor == "postgresql":
                cursor.execute(
                    f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql"
                    f" AS $$ BEGIN UPDATE {TABLE} SET token = {new}; RETURN NULL; END $$"
                )
        if vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        have = {row[0] for row in cursor.fetchall()}
        for table in sorted(set(tables) & existing):
            if vendor == "postgresql" and TRIGGER + table not in have:
                cursor.execute(
                    f'CREATE TRIGGER "{TRIGGER}{table}" AFTER INSERT OR UPDATE OR DELETE OR '
                    f'TRUNCATE ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()'
                )
            for op in ("insert", "update", "delete") if vendor == "sqlite" else ():
                if f"{TRIGGER}{table}_{op}" not in have:
                    cursor.execute(
                        f'CREATE TRIGGER "{TRIGGER}{table}_{op}" AFTER {op.upper()} ON "{table}"'
                        f" BEGIN UPDATE {TABLE} SET token = {new}; END"
                    )


def uninstall(connection, tables, *, table_too=False):
    """Drop the triggers on ``tables`` (and the version table itself with ``table_too``)."""
    sqlite = connection.vendor == "sqlite"
    with connection.cursor() as cursor:
        for table in tables:
            for name in [f"{TRIGGER}{table}_{op}" for op in ("insert", "update", "delete")]:
                if sqlite:
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
            if not sqlite:
                cursor.execute(f'DROP TRIGGER IF EXISTS "{TRIGGER}{table}" ON "{table}"')
        if table_too:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
            if not sqlite:
                cursor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
