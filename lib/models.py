"""Tables of the project-wide plumbing that belongs to no domain app. They depend on no app of the
project; ThrottleWindow keeps the table name it had in the project package (`heimveg`)."""

from django.db import models


class ThrottleWindow(models.Model):
    """How many attempts one caller made at one thing in one fixed time window (lib.throttle).

    `digest` is a keyed hash of the scope and the caller's key (a username, an address, a client
    id, an organisation): the table never holds the key itself."""

    scope = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "heimveg_throttlewindow"
        constraints = [
            models.UniqueConstraint(fields=["scope", "digest", "window_start"], name="throttle_window_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.window_start:%Y-%m-%d %H:%M} {self.count}"
