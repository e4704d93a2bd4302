from pathlib import Path

from django.core.management.base import BaseCommand

from dataset.export import export_dataset


class Command(BaseCommand):
    help = "Write the database back as dataset files in DIR (the format of data/, see data/README.md)."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Where to write, e.g. data/ or a scratch directory.")

    def handle(self, *args, directory, **options):
        written = export_dataset(directory)
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(f"Wrote {len(written)} files to {directory}."))
