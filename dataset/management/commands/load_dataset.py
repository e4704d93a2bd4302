from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dataset.load import DEFAULT_DATA_DIR, DatasetError, load_dataset


class Command(BaseCommand):
    help = (
        "Load the curated dataset (default: data/) into the database: an idempotent upsert by natural "
        "keys, all or nothing. On bad input it names the file, the record and the field, and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help=f"Files or directories (default: {DEFAULT_DATA_DIR}).")

    def handle(self, *args, paths, **options):
        interactive = self.stdout.isatty() and options["verbosity"] > 0
        verbose = options["verbosity"] > 1

        def progress(done, total, label):
            if interactive:
                width = 30
                filled = width * done // total
                self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
                self.stdout.flush()
            elif verbose:
                self.stdout.write(f"{done}/{total} {label}")

        try:
            report = load_dataset(paths or None, progress=progress)
        except DatasetError as exc:
            if interactive:
                self.stdout.write("")
            raise CommandError(f"Nothing was loaded. {exc}") from None
        if interactive:
            self.stdout.write("")
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(f"Loaded {report}."))
