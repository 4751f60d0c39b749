# The two-factor device moved to the accounts app (accounts 0005). Its table stays as it is:
# this migration only removes the model from the back office's state.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('backoffice', '0002_leader_digest'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='TotpDevice')],
            database_operations=[],
        ),
    ]
