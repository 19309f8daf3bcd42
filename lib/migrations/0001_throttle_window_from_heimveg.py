# ThrottleWindow moves from the project package (heimveg) to lib with its table: the state only,
# the table and its index and constraint stay as heimveg's 0001 created them.

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("heimveg", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ThrottleWindow",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("scope", models.CharField(max_length=64)),
                        ("digest", models.CharField(max_length=64)),
                        ("window_start", models.DateTimeField()),
                        ("expires_at", models.DateTimeField(db_index=True)),
                        ("count", models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        "db_table": "heimveg_throttlewindow",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("scope", "digest", "window_start"), name="throttle_window_unique"
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
