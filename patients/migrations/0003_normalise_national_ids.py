"""Existing national ids through the one parser (lib.nin.normalise) before 0004's CHECK
keeps the column to exactly 11 ASCII digits.

A number written with separators or fullwidth digits is rewritten as 11 ASCII digits. The
migration never merges or guesses: it stops, changing nothing, when

- two patients would have the same number (the same person registered twice), or
- a number has a character the parser refuses (a superscript, a digit of another script, a
  letter) or is not 11 digits once normalised; when such a number, read with its other-script
  digits as digits, is another patient's number, the message says so.

The message lists the patients by public id (UUID), never by national id, so it can be pasted into
a ticket. Merging the two records (enrolments, answers, messages) is a clinical decision for the
registering organisations; fix the rows, then run the migration again.
"""

import unicodedata

from django.db import migrations

from lib import nin


class NationalIdCollision(Exception):
    pass


def _lenient(value):
    """Other scripts' decimal digits read as digits: only to explain a refusal, never stored."""
    digits = []
    for char in value:
        if char in nin.SEPARATORS:
            continue
        digit = unicodedata.decimal(char.translate(nin.FULLWIDTH_DIGITS), None)
        if digit is None:
            return None
        digits.append(str(digit))
    return "".join(digits)


def problems(rows):
    """(public id, national id) rows -> ({public id: normalised number} to rewrite, [problem lines])."""
    rows = list(rows)
    by_number = {}
    for public_id, value in rows:
        try:
            number = nin.normalise(value)
        except nin.InvalidNationalId:
            continue
        by_number.setdefault(number, []).append(public_id)
    updates, lines = {}, []
    for public_id, value in rows:
        try:
            number = nin.normalise(value)
        except nin.InvalidNationalId:
            twin = by_number.get(_lenient(value) or "", [])
            same = f"; read as digits it is the number of patient {', '.join(map(str, twin))}" if twin else ""
            lines.append(f"patient {public_id}: a character other than 0-9, space, dot or dash{same}")
            continue
        if len(number) != 11:
            lines.append(f"patient {public_id}: {len(number)} digits, not 11")
        elif len(by_number[number]) > 1:
            if by_number[number][0] == public_id:
                ids = ", ".join(map(str, by_number[number]))
                lines.append(f"patients {ids}: the same national identity number once normalised")
        elif number != value:
            updates[public_id] = number
    return updates, lines


def normalise_national_ids(apps, schema_editor):
    Patient = apps.get_model("patients", "Patient")
    # Every row (two columns; a national register's worth is a few hundred thousand), since a
    # collision can be with any well-formed number.
    rows = Patient.objects.order_by("pk").values_list("public_id", "national_id")
    updates, lines = problems(rows.iterator(chunk_size=5000))
    if lines:
        raise NationalIdCollision(
            "National identity numbers that cannot be normalised to 11 ASCII digits without a decision; "
            "nothing was changed. Merge or correct these patients, then migrate again:\n  " + "\n  ".join(lines)
        )
    for public_id, number in updates.items():
        Patient.objects.filter(public_id=public_id).update(national_id=number)


class Migration(migrations.Migration):
    dependencies = [("patients", "0002_contact_details")]

    operations = [migrations.RunPython(normalise_national_ids, migrations.RunPython.noop, elidable=False)]
