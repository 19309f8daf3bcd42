"""`migrate` connects with HEIMVEG_MIGRATE_DATABASE_URL's credentials (the owner), keeping the
database name of DATABASE_URL, and relaxes the audit log's schema guard while it runs."""

from types import SimpleNamespace

from audit import hardening
from audit.management.commands import migrate


class Stub:
    in_atomic_block = False

    def __init__(self):
        self.settings_dict = {"NAME": "heimveg", "USER": "heimveg_app", "PASSWORD": "", "HOST": "db", "PORT": ""}
        self.closed = 0

    def close(self):
        self.closed += 1


def test_the_migration_credentials_replace_the_applications_but_not_the_database(settings, monkeypatch):
    stub = Stub()
    monkeypatch.setattr(migrate, "connections", {"default": stub})
    settings.MIGRATE_DATABASE_URL = "postgres://deployer:s3cret@db-primary:5433/elsewhere"
    migrate.use_migration_credentials("default")
    assert stub.settings_dict == {
        "NAME": "heimveg",
        "USER": "deployer",
        "PASSWORD": "s3cret",
        "HOST": "db-primary",
        "PORT": 5433,
    }
    assert stub.closed == 1


def test_without_a_migration_url_nothing_changes(settings, monkeypatch):
    stub = Stub()
    monkeypatch.setattr(migrate, "connections", {"default": stub})
    settings.MIGRATE_DATABASE_URL = ""
    migrate.use_migration_credentials("default")
    assert stub.settings_dict["USER"] == "heimveg_app" and stub.closed == 0


def test_the_guard_is_relaxed_only_while_migrating(monkeypatch):
    seen = []
    monkeypatch.setattr(migrate.migrate.Command, "handle", lambda self, *a, **o: seen.append(hardening.relaxed()))
    monkeypatch.setattr(migrate, "connections", {"default": SimpleNamespace(in_atomic_block=True)})
    assert not hardening.relaxed()
    migrate.Command().handle(database="default")
    assert seen == [True] and not hardening.relaxed()
