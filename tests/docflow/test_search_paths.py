"""Every way the search may answer gives the same page as the plain rule.

On PostgreSQL the search walks the newest cards, reads rare matches from the GIN index
or walks once per access branch (selectors._postgres_search); small test data would
only ever take the first step, so the window and the sparse limit are shrunk here to
force each one. On SQLite the FTS path is checked against the same rule."""

from datetime import date, timedelta

import pytest

from hromada.docflow import selectors
from hromada.docflow.access import visible_documents
from hromada.docflow.models import AccessGrant
from hromada.docflow.selectors import DocumentFilters, document_search

SUMMARIES = [
    "Про оренду комунального майна на вул. Подільській",
    "Щодо ремонту покрівлі ліцею № 25",
    "Звернення щодо благоустрою двору на вул. Кармелюка, 3",
    "Про освітлення вулиці Зарічанської",
]


def _expected(user, filters: DocumentFilters, limit: int) -> list[int]:
    queryset = selectors._full_text(
        selectors._card_filters(visible_documents(user), filters), filters.query
    )
    queryset = selectors._before(queryset, filters.before)
    return list(queryset.order_by("-registered_on", "-id").values_list("pk", flat=True)[:limit])


@pytest.fixture
def archive(register, office):
    """40 cards over two bodies, some restricted, some addressed across, one granted."""
    day = date(2025, 3, 3)
    documents = []
    for i in range(40):
        own = i % 3 != 0
        documents.append(
            register(
                organisation=office.body if own else office.other_body,
                actor=office.clerk if own else office.admin,
                summary=SUMMARIES[i % len(SUMMARIES)],
                kind="incoming" if i % 2 else "internal",
                restricted=i % 7 == 0,
                registered_on=day + timedelta(days=i // 2),
                addressee_bodies=[office.body] if i % 5 == 0 and not own else [],
            )
        )
    AccessGrant.objects.create(document=documents[3], user=office.outsider, granted_by=office.admin)
    return documents


SEARCHES = [
    DocumentFilters(query="оренду"),
    DocumentFilters(query="ремонту покрівлі 25"),
    DocumentFilters(query="вул"),
    DocumentFilters(query="щодо", kind="incoming"),
    DocumentFilters(query="освітлення", date_from=date(2025, 3, 5), date_to=date(2025, 3, 15)),
    DocumentFilters(kind="internal"),
    DocumentFilters(query="басейн"),
    DocumentFilters(query="25"),  # whole words only: the index first
    DocumentFilters(query="вх 3", kind="incoming"),
]


@pytest.mark.parametrize(("window", "sparse"), [(5000, 2000), (4, 2000), (4, 3), (1, 0)])
@pytest.mark.parametrize("who", ["clerk", "outsider", "controller", "admin"])
def test_every_search_path_gives_the_plain_rules_page(
    archive, office, monkeypatch, window, sparse, who
):
    monkeypatch.setattr(selectors, "RECENT_WINDOW", window)
    monkeypatch.setattr(selectors, "SPARSE_MATCHES", sparse)
    user = getattr(office, who)
    for filters in SEARCHES:
        found = [d.pk for d in document_search(user=user, filters=filters, limit=5)]
        assert found == _expected(user, filters, 5), filters


def test_pages_continue_where_the_last_one_ended(archive, office):
    filters = DocumentFilters(query="вул")
    every = _expected(office.controller, filters, 100)
    seen: list[int] = []
    while True:
        page = document_search(user=office.controller, filters=filters, limit=4)
        seen += [d.pk for d in page]
        if len(page) < 4:
            break
        last = page[-1]
        filters = DocumentFilters(query="вул", before=(last.registered_on, last.pk))
    assert seen == every


def test_numbers_and_short_words_match_whole(register, office):
    house_25 = register(summary="Про ремонт будинку 25 на вул. Свободи")
    register(summary="Про ремонт будинку 250 на вул. Свободи")
    assert [
        d.pk for d in document_search(user=office.clerk, filters=DocumentFilters(query="25"))
    ] == [house_25.pk]


def test_the_search_page_links_to_older_documents(client, archive, office):
    client.force_login(office.controller)
    first = client.get("/docflow/", {"q": "вул"})
    assert first.status_code == 200
    shown = [d.pk for d in first.context["documents"]]
    assert len(shown) == selectors.SEARCH_PAGE
    older = first.context["older_link"]
    assert "before=" in older and "q=" in older
    second = client.get(f"/docflow/?{older}")
    rest = [d.pk for d in second.context["documents"]]
    assert shown + rest == _expected(office.controller, DocumentFilters(query="вул"), 100)
    assert second.context["older_link"] == ""


def test_a_damaged_page_link_is_refused_with_a_message(client, archive, office):
    client.force_login(office.controller)
    response = client.get("/docflow/", {"q": "вул", "before": "not-a-cursor"}, follow=True)
    assert response.status_code == 200
    assert [d.pk for d in response.context["documents"]] == _expected(
        office.controller, DocumentFilters(query="вул"), selectors.SEARCH_PAGE
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
