"""Public JSON of the document workflow: the register of decisions (read-only)."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from ninja import Router, Schema

from hromada.docflow import selectors
from hromada.docflow.models import Document

router = Router(tags=["docflow"])


class DecisionOut(Schema):
    id: int
    kind: str
    number: str
    date: date
    body: str
    title: str
    text: str
    signed_by: str

    @staticmethod
    def resolve_number(obj: Document) -> str:
        return obj.registration_index

    @staticmethod
    def resolve_date(obj: Document) -> date:
        return obj.registered_on

    @staticmethod
    def resolve_body(obj: Document) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_title(obj: Document) -> str:
        return obj.summary

    @staticmethod
    def resolve_text(obj: Document) -> str:
        return obj.body

    @staticmethod
    def resolve_signed_by(obj: Document) -> str:
        return obj.signatory_name


@router.get("/decisions", response=list[DecisionOut])
def decision_list(request, q: str = "", kind: str = "", limit: int = 100, offset: int = 0):
    """Published decisions of the council and its executive committee, newest first."""
    found = selectors.public_decisions(query=q, kind=kind)
    return list(found[max(offset, 0) : max(offset, 0) + min(max(limit, 1), 500)])


@router.get("/decisions/{decision_id}", response=DecisionOut)
def decision_detail(request, decision_id: int):
    try:
        return selectors.public_decision(pk=decision_id)
    except Document.DoesNotExist as missing:
        raise Http404 from missing
