from django.db import migrations

DEFAULT_LEVELS = [
    ("province", "Cấp tỉnh", 10),
    ("department", "Sở, ban, ngành", 20),
    ("district", "Cấp huyện", 30),
    ("commune", "Cấp xã", 40),
]


def add_levels(apps, schema_editor):
    AgencyLevel = apps.get_model("catalog", "AgencyLevel")
    for code, name, rank in DEFAULT_LEVELS:
        AgencyLevel.objects.get_or_create(code=code, defaults={"name": name, "rank": rank})


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(add_levels, migrations.RunPython.noop)]
