"""Create an editor: a staff account in the Editors group, with a password Django accepts."""

import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

PASSWORD_VARIABLE = "TRACKER_EDITOR_PASSWORD"  # noqa: S105 (the variable's name, not a password)


class Command(BaseCommand):
    help = (
        "Create an editor account (staff, in the Editors group). Asks for the password on a terminal; "
        f"otherwise reads it from the environment variable {PASSWORD_VARIABLE}."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="", help="The editor's e-mail address (optional).")

    def handle(self, *args, username, email, **options):
        User = get_user_model()
        username = username.strip()
        if not username:
            raise CommandError("Give a username.")
        if User._default_manager.filter(username=username).exists():
            raise CommandError(f'A user named "{username}" already exists; pick another name.')
        try:
            group = Group.objects.get(name="Editors")
        except Group.DoesNotExist:
            raise CommandError("There is no Editors group yet: run `python manage.py migrate` first.") from None

        user = User(username=username, email=email, is_staff=True)
        password = self.read_password(user)
        user.set_password(password)
        with transaction.atomic():
            user.save()
            user.groups.add(group)
        self.stdout.write(self.style.SUCCESS(f'Editor "{username}" created; they can sign in at /admin/.'))

    def read_password(self, user) -> str:
        """A password Django accepts: asked again on a terminal until it is, refused outright from the environment."""
        if sys.stdin.isatty():
            while True:
                password = getpass.getpass("Password: ")
                if password != getpass.getpass("Password (again): "):
                    raise CommandError("The two passwords differ.")
                problems = self.refusal(password, user)
                if not problems:
                    return password
                self.stderr.write(f"The password was refused: {problems} Try another.")
        password = os.environ.get(PASSWORD_VARIABLE)
        if not password:
            raise CommandError(
                f"Not on a terminal, so the password must be in the environment variable {PASSWORD_VARIABLE}."
            )
        problems = self.refusal(password, user)
        if problems:
            raise CommandError(f"The password in {PASSWORD_VARIABLE} was refused: {problems}")
        return password

    @staticmethod
    def refusal(password: str, user) -> str:
        """Why Django's password validators refuse the password, or "" if they accept it."""
        try:
            validate_password(password, user)
        except ValidationError as error:
            return " ".join(error.messages)
        return ""
