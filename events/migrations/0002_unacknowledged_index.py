from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="event",
            index=models.Index(
                condition=models.Q(("acknowledged__isnull", True)),
                fields=["state"],
                name="event_unacknowledged",
            ),
        ),
    ]
