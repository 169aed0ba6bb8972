# The owner becomes required once existing connectors have one (0003).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('services', '0003_connector_owner_and_shares'),
    ]

    operations = [
        migrations.AlterField(
            model_name='connector',
            name='organisation',
            field=models.ForeignKey(help_text='The department whose system this is. Only its services may use the connector, unless its administrators share it with another organisation.', on_delete=django.db.models.deletion.PROTECT, related_name='connectors', to='accounts.organisation', verbose_name='owner'),
        ),
    ]
