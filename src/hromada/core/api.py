from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from hromada.core import selectors
from hromada.core.models import Organisation

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    key: str
    name: str
    short_name: str
    name_en: str
    kind: str
    parent: str | None
    website: str

    @staticmethod
    def resolve_parent(obj: Organisation) -> str | None:
        return obj.parent.key if obj.parent_id else None


@router.get("/organisations", response=list[OrganisationOut])
def organisation_list(request):
    return list(selectors.organisations_public())


@router.get("/organisations/{key}", response=OrganisationOut)
def organisation_detail(request, key: str):
    return get_object_or_404(Organisation.objects.select_related("parent"), key=key)
