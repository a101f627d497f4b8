"""Background jobs of the assets room; the periodic one is scheduled by guichet.worker."""

from django_tasks import task

from guichet.assets.actions.alerts import alert_expiring_contracts
from guichet.assets.transfer import waiting


@task()
def alert_contracts() -> int:
    """Announce the contracts that reached their alert period (every hour)."""
    return alert_expiring_contracts()


@task()
def purge_imports() -> int:
    """Delete the import files nobody applied within a day (every hour)."""
    return waiting.purge()
