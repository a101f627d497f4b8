"""The assets API: assets, software, installations, licences and contracts, mounted at the
API root (`/assets`, `/software`, `/installations`, `/licences`,
`/asset-contracts`; `/contracts` is the service contracts').

Each module adds its operations to `router` when imported; `compliance` comes before
`licences` so that `/licences/compliance` is matched before a licence's id.
"""

from . import assets, compliance, contracts, licences, parts, software  # noqa: F401
from .base import router

__all__ = ["router"]
