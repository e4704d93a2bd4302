"""The Editors group keeps the judges' opinions too: view, add, change and delete.

An opinion can be entered again from the Court's document without losing the record (it is part
of its decision, and the decision stays), so editors may delete one, as they may a vote.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editors"
CODENAMES = ["view_opinion", "add_opinion", "change_opinion", "delete_opinion"]


def grant(apps, schema_editor):
    # post_migrate makes permissions only after every migration has run; the group needs these now.
    using = schema_editor.connection.alias
    app_config = apps.get_app_config("decisions")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, using=using, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(using).get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.using(using).filter(content_type__app_label="decisions", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    using = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.using(using).filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.using(using).filter(content_type__app_label="decisions", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0005_search_vocabulary"),
        ("tracker", "0001_editors_group"),
        ("decisions", "0003_opinion"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
