"""JSON API of the service catalogue (open data): thin over the selectors."""

from __future__ import annotations

from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from hromada.services import selectors
from hromada.services.models import ServiceCard

router = Router(tags=["services"])


class DocumentOut(Schema):
    name: str
    requirements: str = ""


class ServiceCardOut(Schema):
    code: str
    name: str
    register_id: str
    subject: str
    required_documents: list[DocumentOut]
    is_free: bool
    fee: Decimal | None
    fee_payment: str
    term_days: int
    term_kind: str
    term_basis: str
    refusal_grounds: str
    result: str
    result_delivery: str
    legal_basis: str
    responsible_body: str
    life_situations: list[str]
    online: bool
    requires_identity: bool

    @staticmethod
    def resolve_responsible_body(card: ServiceCard) -> str:
        return card.organisation.name

    @staticmethod
    def resolve_life_situations(card: ServiceCard) -> list[str]:
        return [situation.key for situation in card.life_situations.all()]


@router.get("/cards", response=list[ServiceCardOut])
def cards(request, q: str = "", situation: str = "", online: bool = False):
    """The published service catalogue; filter by text, life situation, online."""
    return list(selectors.service_cards_public(query=q, situation=situation, online_only=online))


@router.get("/cards/{code}", response=ServiceCardOut)
def card(request, code: str):
    return get_object_or_404(selectors.service_cards_public(), code=code)
