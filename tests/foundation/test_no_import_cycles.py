"""No import cycle anywhere in the product or the bench (issue 12), typing-only imports included.

A cycle means two modules can only be understood together; the floors' contracts (lint-imports) see
only imports between packages, so this walks every module's imports with grimp (which lint-imports
uses) and looks for strongly connected groups.
"""

from __future__ import annotations

import grimp

from tests.foundation.house import PACKAGES


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (the import graph is deep enough to matter for recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def _module_graph() -> dict[str, set[str]]:
    imports = grimp.build_graph(*PACKAGES, cache_dir=None)
    graph: dict[str, set[str]] = {}
    for module in imports.modules:
        # a module importing its own package's __init__ (or the reverse) is how packages work, not a cycle
        graph[module] = {
            imported for imported in imports.find_modules_directly_imported_by(module)
            if not module.startswith(imported + ".") and not imported.startswith(module + ".")
        }
    return graph


def test_the_finder_sees_a_cycle() -> None:
    assert _strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_import_cycles() -> None:
    graph = _module_graph()
    assert len(graph) > 150  # the walk sees the project
    cycles = _strongly_connected(graph)
    assert not cycles, "import cycles:\n" + "\n".join(" ↔ ".join(group) for group in cycles)
