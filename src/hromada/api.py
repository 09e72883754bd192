"""The JSON API: one Django Ninja instance; each app adds its router here."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Hromada API",
    version="1",
    description="Open data and accountability API of Hromada. Read endpoints are public.",
    urls_namespace="api",
)
api.add_router("/core/", "hromada.core.api.router")
