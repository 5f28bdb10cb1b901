from django.db import migrations

GROUPS = [
    ("Design leads", "Lead designers of the teams the framework describes."),
    ("Delivery lead", "Owns how the teams deliver; checks the framework fits how work is done."),
    ("HR", "People team: fairness, consistency with pay and policy."),
    ("Management", "The management team that signs the framework off."),
]


def create_groups(apps, schema_editor):
    StakeholderGroup = apps.get_model("reviews", "StakeholderGroup")
    for name, description in GROUPS:
        StakeholderGroup.objects.get_or_create(name=name, defaults={"description": description})


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
