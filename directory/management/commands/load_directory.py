from django.core.management.base import BaseCommand, CommandError

from directory.loader import DirectoryDataError, load_directory


class Command(BaseCommand):
    help = "Load or update the national directory (counties, health trusts, municipalities, hospitals)."

    def handle(self, *args, **options):
        try:
            result = load_directory()
        except DirectoryDataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Directory loaded. {result.summary()}")
