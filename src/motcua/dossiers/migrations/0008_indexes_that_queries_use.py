"""Drop the indexes no query uses (each costs every INSERT): single-column indexes on columns
that lead a composite index already, the name indexes (names are searched anywhere inside, which
no b-tree serves), and PostgreSQL's LIKE copies of the phone and ID number indexes (searched by
equality only).

On SQLite, altering the event table's foreign key rebuilds the table, and the rebuild drops its
append-only triggers (migration 0003): they are made again right after, both ways.
"""

from importlib import import_module

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

_APPEND_ONLY = import_module("motcua.dossiers.migrations.0003_event_append_only")


def remake_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    _APPEND_ONLY.drop_triggers(apps, schema_editor)
    _APPEND_ONLY.create_triggers(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0004_required_document_form_template_validated'),
        ('dossiers', '0007_document_uploaded_at_settable'),
        ('workflow', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='dossier',
            name='agency',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='received_dossiers', to='catalog.agency', verbose_name='nơi tiếp nhận'),
        ),
        migrations.AlterField(
            model_name='dossier',
            name='applicant_id_number',
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AlterField(
            model_name='dossier',
            name='applicant_name',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name='dossier',
            name='applicant_name_folded',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name='dossier',
            name='applicant_phone',
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AlterField(
            model_name='dossier',
            name='current_agency',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='held_dossiers', to='catalog.agency', verbose_name='cơ quan đang xử lý'),
        ),
        migrations.AlterField(
            model_name='dossieragency',
            name='dossier',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='routes', to='dossiers.dossier'),
        ),
        # Backwards, the rebuild happens after the operation that follows it has been undone.
        migrations.RunPython(migrations.RunPython.noop, remake_sqlite_triggers, elidable=False),
        migrations.AlterField(
            model_name='dossierevent',
            name='dossier',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='events', to='dossiers.dossier'),
        ),
        migrations.RunPython(remake_sqlite_triggers, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name='dossierstep',
            name='agency',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.agency'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(fields=['applicant_phone'], name='dossier_applicant_phone_idx'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(fields=['applicant_id_number'], name='dossier_applicant_id_idx'),
        ),
    ]
