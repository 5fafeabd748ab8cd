"""Index layout 2: small columns first (SQLite reads a row's columns in order), the description's
access rule mirrored by triggers, FTS5 with full detail (bm25 without re-reading rows). The index
is derived data: it is rebuilt from the catalogue here."""

import django.db.models.deletion
from django.db import migrations, models

from qoima.search import backends


def drop_v1(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in ["DROP TRIGGER IF EXISTS search_entry_ai", "DROP TRIGGER IF EXISTS search_entry_ad",
                    "DROP TRIGGER IF EXISTS search_entry_au", "DROP TABLE IF EXISTS search_fts"]:
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_trgm")


def rebuild(apps, schema_editor):
    Description = apps.get_model("catalogue", "Description")
    Authority = apps.get_model("catalogue", "Authority")
    if Description.objects.exists() or Authority.objects.exists():
        from qoima.search.index import reindex_all

        reindex_all()


class Migration(migrations.Migration):

    dependencies = [
        ("catalogue", "0001_initial"),
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(drop_v1, migrations.RunPython.noop),
        migrations.DeleteModel(name="Entry"),
        migrations.CreateModel(
            name="Entry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("description", "description"), ("authority", "authority record"), ("page", "recognized page")], max_length=12)),
                ("description", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="catalogue.description")),
                ("authority", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="catalogue.authority")),
                ("page", models.PositiveIntegerField(blank=True, help_text="1-based page of an OCR entry", null=True)),
                ("effective_access", models.CharField(default="open", max_length=12)),
                ("effective_until", models.DateField(blank=True, null=True)),
                ("langs", models.CharField(blank=True, help_text="space-separated primary languages of the text", max_length=200)),
                ("t_ex", models.TextField(blank=True)),
                ("t_st", models.TextField(blank=True)),
                ("t_tr", models.TextField(blank=True)),
                ("t_sk", models.TextField(blank=True)),
                ("b_ex", models.TextField(blank=True)),
                ("b_st", models.TextField(blank=True)),
                ("b_tr", models.TextField(blank=True)),
                ("b_sk", models.TextField(blank=True)),
                ("segments", models.JSONField(default=list, help_text="[[element, lang, script, text], ...] for snippets")),
                ("words", models.JSONField(blank=True, help_text="OCR word boxes [[start, end, x, y, w, h], ...]", null=True)),
            ],
            options={
                "db_table": "search_entry",
                "indexes": [models.Index(fields=["description", "kind", "page"], name="search_entry_desc"), models.Index(fields=["authority"], name="search_entry_auth")],
            },
        ),
        migrations.RunPython(backends.create_index_structures, backends.drop_index_structures),
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
