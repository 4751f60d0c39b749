# The two-factor device, moved here from the back office app (backoffice 0003) with its table
# ``backoffice_totpdevice`` unchanged: state only, no database change.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_external_identity'),
        ('backoffice', '0003_totpdevice_moved_to_accounts'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='TotpDevice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('secret', models.CharField(max_length=64, verbose_name='khóa bí mật')),
                        ('confirmed_at', models.DateTimeField(verbose_name='kích hoạt lúc')),
                        ('last_used_step', models.BigIntegerField(default=0)),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='totp_device', to=settings.AUTH_USER_MODEL, verbose_name='người dùng')),
                    ],
                    options={
                        'verbose_name': 'thiết bị xác thực hai bước',
                        'verbose_name_plural': 'thiết bị xác thực hai bước',
                        'db_table': 'backoffice_totpdevice',
                        'constraints': [models.CheckConstraint(condition=models.Q(('secret', ''), _negated=True), name='backoffice_totp_secret_set')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
