"""The tagged structure of a PDF read with pypdf: every structure element's type and the pages its content is on.
Shared by the report and slide tests."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject


@dataclass
class Element:
    kind: str
    pages: set[int] = field(default_factory=set)
    children: list[Element] = field(default_factory=list)
    own: set[int] = field(default_factory=set)  # pages of the content marked directly in this element

    def walk(self) -> list[Element]:
        return [self, *(e for c in self.children for e in c.walk())]


def structure(pdf: bytes) -> tuple[Element, PdfReader]:
    reader = PdfReader(io.BytesIO(pdf))
    numbers = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages) if p.indirect_reference}

    def page_of(node: DictionaryObject, inherited: int | None) -> int | None:
        pg = node.get("/Pg")
        return numbers.get(pg.idnum) if isinstance(pg, IndirectObject) else inherited

    def build(node: object, inherited: int | None) -> Element | None:
        node = node.get_object() if isinstance(node, IndirectObject) else node
        if not isinstance(node, DictionaryObject):
            return None  # a marked-content id: content on the inherited page
        page = page_of(node, inherited)
        if "/S" not in node and "/K" not in node:  # a marked-content or object reference
            return Element("MCR", {page} if page is not None else set())
        kids = node.get("/K", [])
        kids = kids.get_object() if isinstance(kids, IndirectObject) else kids
        kids = kids if isinstance(kids, ArrayObject) else [kids]
        el = Element(str(node.get("/S", "/StructTreeRoot")).lstrip("/"))
        for k in kids:
            child = build(k, page)
            if child is None or child.kind == "MCR":
                got = {page} if child is None else child.pages
                el.pages |= {p for p in got if p is not None}
                el.own |= {p for p in got if p is not None}
            else:
                el.children.append(child)
                el.pages |= child.pages
        return el

    root = reader.trailer["/Root"]["/StructTreeRoot"]
    return build(root, None) or Element("StructTreeRoot"), reader


BLOCKS = {"P", "H1", "H2", "H3", "H4", "H5", "H6", "TD", "TH", "Lbl", "LBody", "Figure", "TOCI", "Caption", "Title"}


def text_homes(pdf: bytes) -> dict[int, set[str]]:
    """For each page, the kinds of the nearest block elements (P, H1, TD, ...) that hold its marked content;
    "none" for content in no block (a bare span in the document, a section or a box)."""
    root, reader = structure(pdf)
    homes: dict[int, set[str]] = {i: set() for i in range(len(reader.pages))}

    def visit(el: Element, block: str) -> None:
        here = el.kind if el.kind in BLOCKS else block
        for page in el.own:
            homes[page].add(here)
        for child in el.children:
            visit(child, here)

    visit(root, "none")
    return homes


def kinds(pdf: bytes) -> Counter[str]:
    return Counter(e.kind for e in structure(pdf)[0].walk())


def page_mode(pdf: bytes) -> str | None:
    mode = PdfReader(io.BytesIO(pdf)).trailer["/Root"].get("/PageMode")
    return str(mode) if isinstance(mode, NameObject) else None
