"""Long lists one page at a time: a query cut into pages, and the parameters of the GOV.UK
pagination component for it. No request here: views pass the page number and a function that
makes the link to any page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from math import ceil
from typing import Any

from sqlalchemy import Select, func, select

from ..extensions import db

PER_PAGE = 50
MAX_PAGE = 1_000_000  # far past any real list; keeps offsets within the database's integers


def page_number(raw: Any) -> int:
    """A page number from a query string: 1 when it is missing or not a whole number, and
    never more than :data:`MAX_PAGE` (``?page=10**20`` must not overflow an offset: it is
    :data:`MAX_PAGE`, past the end of any list)."""
    digits = str(raw or "").strip()
    if not (digits.isascii() and digits.isdigit()):
        return 1  # missing, negative or not a number
    significant = digits.lstrip("0")
    if len(significant) > len(str(MAX_PAGE)):
        return MAX_PAGE  # not read as a number: a string of 5,000 digits is too long for int()
    return min(max(1, int(significant or "0")), MAX_PAGE)


def misplaced(raw: str | None, shown: int) -> bool:
    """True when a query string's ``page`` (``raw``; None when there is none) is not the
    page ``shown``: past the last page, below 1 or not a number. The view then redirects to
    the page shown, so ``?page=9`` of 8 pages is never page 8 under page 9's address."""
    return raw is not None and raw != str(shown)


@dataclass
class Page:
    """One page of results: its rows, its number (from 1) and the size of the whole list."""

    items: list[Any]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        """How many pages the whole list fills (at least 1, even when empty)."""
        return max(1, ceil(self.total / self.per_page))

    @property
    def first(self) -> int:
        """The position of this page's first row in the whole list (0 when it is empty)."""
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last(self) -> int:
        """The position of this page's last row in the whole list."""
        return min(self.number * self.per_page, self.total)


def paginate(query: Select, number: int, per_page: int = PER_PAGE, *, scalars: bool = True) -> Page:
    """Page ``number`` of ``query`` (which must be ordered). A number past the end gives the
    last page and one below 1 the first, so an old or edited link never shows an error
    (views redirect to that page's own address: see :func:`misplaced`).
    ``scalars=False`` keeps each row as a tuple of its columns."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, ceil((total or 0) / per_page))
    number = min(max(1, number), pages)
    window = query.limit(per_page).offset((number - 1) * per_page)
    rows = db.session.scalars(window).all() if scalars else db.session.execute(window).all()
    return Page(list(rows), number, per_page, total or 0)


def pagination(page: Page, href: Callable[[int], str], around: int = 1) -> dict | None:
    """Parameters for ``govukPagination``: previous and next links and numbered pages (the
    first, the last, and ``around`` either side of the current one, with ellipses between).
    None when everything fits on one page."""
    if page.pages <= 1:
        return None
    shown = {1, page.pages, *range(page.number - around, page.number + around + 1)}
    items: list[dict] = []
    previous = 0
    for number in sorted(n for n in shown if 1 <= n <= page.pages):
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == page.number})
        previous = number
    params: dict[str, Any] = {"items": items}
    if page.number > 1:
        params["previous"] = {"href": href(page.number - 1)}
    if page.number < page.pages:
        params["next"] = {"href": href(page.number + 1)}
    return params
