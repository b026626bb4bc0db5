"""The import graph of the `assessment` package, read from the source (issue 22, finding 10): no module imports
itself through others (a cycle), and no module imports another module's `_private` name.

The graph counts every import a module makes, at module level and inside functions (an import in a function body
is still a dependency, only a later one), with relative imports resolved. An edge goes to the module named, or
to the module an imported name is (`from . import netaddr`), else to the package whose `__init__` holds the
name. Importing `a.b` also runs `a/__init__`, but that implicit edge is not counted: a package's `__init__`
that re-exports its modules would otherwise make every module of the package a cycle with it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "assessment"


@dataclass(frozen=True)
class Import:
    importer: str  # the importing module
    target: str  # the module the edge goes to
    name: str  # the name imported from it ("" for `import x`)
    line: int


def modules() -> dict[str, tuple[Path, bool]]:
    """Every module of the package: dotted name -> (file, is a package's __init__)."""
    found: dict[str, tuple[Path, bool]] = {}
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def _owner(name: str, known: dict[str, tuple[Path, bool]]) -> str | None:
    """The longest prefix of a dotted name that is a module of the package."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def imports() -> list[Import]:
    known = modules()
    found: list[Import] = []
    for module, (path, is_package) in known.items():
        here = module if is_package else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    target = _owner(alias.name, known) if alias.name.split(".")[0] == PACKAGE else None
                    if target:
                        found.append(Import(module, target, "", node.lineno))
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    parts = here.split(".")
                    base = parts[: len(parts) - (node.level - 1)]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                if source.split(".")[0] != PACKAGE:
                    continue
                for alias in node.names:
                    submodule = f"{source}.{alias.name}"
                    target = submodule if submodule in known else _owner(source, known)
                    if target:
                        found.append(Import(module, target, alias.name, node.lineno))
    return found


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {m: set() for m in modules()}
    for edge in imports():
        if edge.target != edge.importer:
            edges[edge.importer].add(edge.target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each as one cycle through them."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return [_one_cycle(c, edges) for c in components]


def _one_cycle(component: list[str], edges: dict[str, set[str]]) -> list[str]:
    """A path from the component's first module back to itself, inside the component (breadth first)."""
    start, inside = component[0], set(component)
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for v in frontier:
            for w in sorted(edges[v] & inside):
                if w == start:
                    path = [v]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [start, *reversed(path[:-1]), start]
                if w not in previous:
                    previous[w] = v
                    following.append(w)
        frontier = following
    return component


def test_the_graph_sees_function_body_and_relative_imports() -> None:
    edges = graph()
    assert "assessment.netaddr" in edges["assessment.settings"]  # `from .netaddr import ...`
    assert "assessment.settings" in edges["assessment.store.database"]  # `from ..settings import ...`
    assert "assessment.retention" in edges["assessment.cli"]  # inside a function
    assert "assessment.store" in edges["assessment.ui.page_scripts.workshop_new"]  # absolute, to a package's __init__
    assert "assessment.retention" in edges["assessment.store"]  # inside get_store
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]


def test_no_import_cycles() -> None:
    found = cycles(graph())
    assert not found, "import cycles: " + "; ".join(" -> ".join(c) for c in found)


def test_no_private_name_is_imported_from_another_module() -> None:
    known = modules()
    private = [
        f"{e.importer} (line {e.line}) imports {e.name} from {e.target}"
        for e in imports()
        if e.name.startswith("_")
        and not e.name.startswith("__")
        and e.target != e.importer
        and f"{e.target}.{e.name}" not in known  # a module named `_x` is a module, not a private name
    ]
    assert not private, "make these names public or keep them in one module:\n" + "\n".join(private)


def test_the_section_items_cache_never_serves_another_bank() -> None:
    """`ui.sections.section_items` caches per bank by id(bank): a new bank that gets a dead bank's id must not see
    the dead bank's items (review: the cache was keyed by id alone)."""
    import gc

    from assessment.bank import default_bank
    from assessment.ui import sections

    bank = default_bank()
    section = sections.SECTION_IDS[0]
    first = sections.section_items(bank, "full", section)
    assert first and sections.section_items(bank, "full", section) is first  # cached
    other = bank.model_copy(update={"items": tuple(i for i in bank.items if i.id != first[0].id)})
    assert first[0] not in sections.section_items(other, "full", section)
    key = id(other)
    del other
    gc.collect()
    assert key not in sections._SECTION_ITEMS  # the entry goes with its bank
