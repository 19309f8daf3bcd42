"""Write the FHIR implementation guide's resources as JSON files (one per resource, named
`<Type>-<id>.json`), e.g. for a FHIR package or a validator elsewhere. The same resources /ig/
serves; the same files for the same date and base URL."""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fhir_api.ig import guide


class Command(BaseCommand):
    help = "Write the FHIR implementation guide's resources as JSON files into a directory."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="where to write the files (made if missing)")
        parser.add_argument("--date", help="the guide's date, YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--base-url", help="the API's address for the CapabilityStatement (default: HEIMVEG_BASE_URL + /fhir)"
        )

    def handle(self, *args, directory, date=None, base_url=None, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"--date {date!r} is not a date: use YYYY-MM-DD") from None
        base = base_url or f"{settings.BASE_URL.rstrip('/')}/fhir"
        target = Path(directory)
        target.mkdir(parents=True, exist_ok=True)
        entries = guide.entries(base, day)
        for entry in entries:
            text = json.dumps(entry.json(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
            (target / f"{entry.key}.json").write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {len(entries)} resources to {target}")
