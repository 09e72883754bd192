"""Fixtures of the document workflow: a body with its clerk, head, executors, a
controller, two approvers and a signatory; the CA lives in a per-test data folder."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from hromada.accounts.models import Role
from hromada.core.models import Organisation, Person, Position


@pytest.fixture(autouse=True)
def _docflow_data_dir(settings, tmp_path):
    # A dozen users per test: a fast hasher keeps the suite within its time budget.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()


@dataclass
class Office:
    body: Organisation
    other_body: Organisation
    clerk: Any
    head: Any
    executor: Any
    co_executor: Any
    controller: Any
    approver_a: Any
    approver_b: Any
    signatory: Any
    outsider: Any
    admin: Any


@pytest.fixture
def office(organisation_factory, user_factory) -> Office:
    body = organisation_factory(
        key="executive_committee", name="Виконавчий комітет Хмельницької міської ради"
    )
    other = organisation_factory(key="culture_tourism_dept", name="Управління культури і туризму")

    def staff(name: str, email: str, organisation=body):
        return user_factory(role=Role.STAFF, organisation=organisation, email=email, full_name=name)

    head = staff("Олександр Симчишин", "head@example.org")
    person = Person.objects.create(full_name=head.full_name, user=head)
    Position.objects.create(person=person, organisation=body, title="Міський голова", is_head=True)
    return Office(
        body=body,
        other_body=other,
        clerk=staff("Ірина Коваль", "clerk@example.org"),
        head=head,
        executor=staff("Андрій Савчук", "executor@example.org"),
        co_executor=staff("Марія Бондар", "co@example.org"),
        controller=user_factory(
            role=Role.CONTROLLER,
            organisation=body,
            email="controller@example.org",
            full_name="Юлія Сабій",
        ),
        approver_a=staff("Петро Мельник", "a@example.org"),
        approver_b=staff("Наталія Ткачук", "b@example.org"),
        signatory=staff("Віктор Гончар", "signatory@example.org"),
        outsider=staff("Тетяна Гаврилюк", "outsider@example.org", organisation=other),
        admin=user_factory(
            role=Role.ADMINISTRATOR, email="admin@example.org", full_name="Василь Гуменюк"
        ),
    )


@pytest.fixture
def register(office):
    from hromada.docflow.services import document_register

    def make(**fields):
        fields.setdefault("actor", office.clerk)
        fields.setdefault("organisation", office.body)
        fields.setdefault("kind", "incoming")
        fields.setdefault("summary", "Про ремонт покрівлі школи № 5 на вул. Проскурівській")
        return document_register(**fields)

    return make
