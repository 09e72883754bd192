"""The JSON API: one Django Ninja instance; each app adds its router here."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Hromada API",
    version="1",
    description="Open data and accountability API of Hromada. Read endpoints are public.",
    urls_namespace="api",
)
api.add_router("/core/", "hromada.core.api.router")
api.add_router("/plans/", "hromada.plans.api.router")
api.add_router("/docflow/", "hromada.docflow.api.router")
api.add_router("/services/", "hromada.services.api.router")
api.add_router("/registries/", "hromada.registries.api.router")
api.add_router("/opendata/", "hromada.opendata.api.router")
