"""The Editors group: editors keep the record current through the admin.

They view, add and change every domain model; they delete only what can be entered again
without losing the Court's record (filings, claims, sources, hearings, representations, case
parties, bench members, votes), never a case, a decision or a provision. Accounts are the
superusers' business, so the group has no permission on users or groups.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editors"

MODELS = {
    "sources": ["source"],
    "parties": ["party", "person"],
    "cases": ["case", "caseparty", "representation", "hearing", "event"],
    "filings": ["filing"],
    "decisions": ["decision", "benchmember", "provision", "vote"],
    "compliance": ["complianceclaim"],
}

DELETABLE = {
    ("filings", "filing"),
    ("compliance", "complianceclaim"),
    ("sources", "source"),
    ("cases", "hearing"),
    ("cases", "representation"),
    ("cases", "caseparty"),
    ("decisions", "vote"),
    ("decisions", "benchmember"),
}


def codenames(app_label, model):
    actions = ["view", "add", "change"] + (["delete"] if (app_label, model) in DELETABLE else [])
    return [f"{action}_{model}" for action in actions]


def create_editors_group(apps, schema_editor):
    # Permissions are normally made by post_migrate, after every migration has run; this group
    # needs them now, on a fresh database too.
    using = schema_editor.connection.alias
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(using).get_or_create(name=GROUP)
    wanted = []
    for app_label, models in MODELS.items():
        for model in models:
            for codename in codenames(app_label, model):
                wanted.append(Permission.objects.using(using).get(content_type__app_label=app_label, codename=codename))
    group.permissions.set(wanted)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.using(schema_editor.connection.alias).filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("tracker", "0001_full_text_search"),
        ("sources", "0001_initial"),
        ("parties", "0001_initial"),
        ("cases", "0001_initial"),
        ("filings", "0001_initial"),
        ("decisions", "0001_initial"),
        ("compliance", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
