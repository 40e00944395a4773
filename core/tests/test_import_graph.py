"""No import circle between our modules: read from the code's own imports (grimp, as `lint-imports` reads
them, imports inside functions included), tests left out. The floors between apps are `lint-imports`' contracts
in pyproject.toml."""

from __future__ import annotations

import grimp

PACKAGES = ("core", "reference", "accounts", "directory", "certificates", "api", "customs", "demo", "bench")


def circles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Every group of modules that import each other, directly or not (Tarjan's strongly connected groups)."""
    modules = sorted(m for m in graph.modules if ".tests" not in m and not m.endswith(".tests"))
    wanted = set(modules)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module) & wanted):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in modules:
        if module not in index:
            visit(module)
    return found


def test_it_finds_no_import_circle_between_our_modules() -> None:
    assert circles(grimp.build_graph(*PACKAGES)) == []


def test_it_would_name_a_circle() -> None:
    graph = grimp.ImportGraph()
    for module in ("shop", "shop.orders", "shop.payments"):
        graph.add_module(module)
    graph.add_import(importer="shop.orders", imported="shop.payments")
    graph.add_import(importer="shop.payments", imported="shop.orders")
    assert circles(graph) == [["shop.orders", "shop.payments"]]
