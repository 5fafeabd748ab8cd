import django.db.models.deletion
from django.db import migrations, models

# The first index layout, frozen here (0002 replaces it): FTS5 with detail=column.
_COLS = "t_ex, t_st, t_tr, t_sk, b_ex, b_st, b_tr, b_sk"
_NEW = ", ".join(f"new.{c}" for c in _COLS.split(", "))
_OLD = ", ".join(f"old.{c}" for c in _COLS.split(", "))
_SQLITE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5({_COLS}, content='search_entry', "
    f"content_rowid='id', tokenize='ascii', detail='column')",
    f"CREATE TRIGGER IF NOT EXISTS search_entry_ai AFTER INSERT ON search_entry BEGIN "
    f"INSERT INTO search_fts(rowid, {_COLS}) VALUES (new.id, {_NEW}); END",
    f"CREATE TRIGGER IF NOT EXISTS search_entry_ad AFTER DELETE ON search_entry BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {_COLS}) VALUES ('delete', old.id, {_OLD}); END",
    f"CREATE TRIGGER IF NOT EXISTS search_entry_au AFTER UPDATE ON search_entry BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {_COLS}) VALUES ('delete', old.id, {_OLD}); "
    f"INSERT INTO search_fts(rowid, {_COLS}) VALUES (new.id, {_NEW}); END",
]
_DROP = ["DROP TRIGGER IF EXISTS search_entry_ai", "DROP TRIGGER IF EXISTS search_entry_ad",
         "DROP TRIGGER IF EXISTS search_entry_au", "DROP TABLE IF EXISTS search_fts"]


def _tsv(cols, weight):
    body = "to_tsvector('simple'::regconfig, " + " || ' ' || ".join(f"coalesce({c}, '')" for c in cols) + ")"
    return f"setweight({body}, '{weight}')" if weight else body


_PG = [
    "ALTER TABLE search_entry ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    + " || ".join(_tsv([f"t_{k}", f"b_{k}"], w) for k, w in (("ex", "A"), ("st", "B"), ("tr", "C"), ("sk", "D")))
    + ") STORED",
    "ALTER TABLE search_entry ADD COLUMN tsv_t tsvector GENERATED ALWAYS AS ("
    + _tsv(["t_ex", "t_st", "t_tr", "t_sk"], None) + ") STORED",
    "CREATE INDEX search_entry_tsv ON search_entry USING gin (tsv)",
]


def create_v1(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in _SQLITE if vendor == "sqlite" else _PG if vendor == "postgresql" else []:
        schema_editor.execute(sql)


def drop_v1(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in _DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("catalogue", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Entry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("description", "description"), ("authority", "authority record"), ("page", "recognized page")], max_length=12)),
                ("page", models.PositiveIntegerField(blank=True, help_text="1-based page of an OCR entry", null=True)),
                ("langs", models.CharField(blank=True, help_text="space-separated primary languages of the text", max_length=200)),
                ("segments", models.JSONField(default=list, help_text="[[element, lang, script, text], ...] for snippets")),
                ("words", models.JSONField(blank=True, help_text="OCR word boxes [[start, end, x, y, w, h], ...]", null=True)),
                ("t_ex", models.TextField(blank=True)),
                ("t_st", models.TextField(blank=True)),
                ("t_tr", models.TextField(blank=True)),
                ("t_sk", models.TextField(blank=True)),
                ("b_ex", models.TextField(blank=True)),
                ("b_st", models.TextField(blank=True)),
                ("b_tr", models.TextField(blank=True)),
                ("b_sk", models.TextField(blank=True)),
                ("authority", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="catalogue.authority")),
                ("description", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="catalogue.description")),
            ],
            options={
                "db_table": "search_entry",
                "indexes": [models.Index(fields=["description", "kind", "page"], name="search_entry_desc"), models.Index(fields=["authority"], name="search_entry_auth")],
            },
        ),
        migrations.RunPython(create_v1, drop_v1),
    ]
