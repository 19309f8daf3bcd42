# ThrottleWindow now belongs to lib (lib/migrations/0001): the state only, the table stays.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("heimveg", "0001_initial"),
        ("lib", "0001_throttle_window_from_heimveg"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="ThrottleWindow")]),
    ]
