"""Inside `wargame/tui/`: layers and no import circle, counting imports made inside
functions too (the board imports its dialogs when first opened).

From top to bottom: the app (and its save-keeping); the screens; actions, widgets and
messages; compat. A module imports only from its own layer or below, and the imports between
tui modules form no circle, so screens tell the app what they want by message rather than by
importing it."""

from __future__ import annotations

import ast
from pathlib import Path

import wargame.tui

TUI = Path(wargame.tui.__file__).parent
LAYERS = [
    ["wargame.tui.remote"],  # the host's and a seat's apps, built on the board and the app
    ["wargame.tui.app", "wargame.tui.saving"],  # saving: the app's save-keeping mixin
    ["wargame.tui.screens"],
    ["wargame.tui.actions", "wargame.tui.widgets", "wargame.tui.messages"],
    ["wargame.tui.compat"],
]


def module_name(path: Path) -> str:
    parts = path.relative_to(TUI.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def tui_imports(path: Path) -> set[str]:
    """The tui modules a file imports, anywhere in it (TYPE_CHECKING blocks included)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        out |= {n for n in names if n in MODULES}
    return out


MODULES = {module_name(p) for p in TUI.rglob("*.py")}
GRAPH = {module_name(p): tui_imports(p) - {module_name(p)} for p in TUI.rglob("*.py")}


def layer(module: str) -> int | None:
    for i, names in enumerate(LAYERS):
        if any(module == n or module.startswith(n + ".") for n in names):
            return i
    return None


def test_every_tui_module_has_a_layer():
    assert [m for m in MODULES if layer(m) is None and not m.endswith("tui")] == []


def test_no_module_imports_a_layer_above_its_own():
    upward = [
        f"{m} imports {t}"
        for m, targets in GRAPH.items()
        for t in targets
        if layer(m) is not None and layer(t) is not None and layer(t) < layer(m)
    ]
    assert upward == []


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_circle_inside_tui():
    assert find_cycle(GRAPH) is None, " -> ".join(find_cycle(GRAPH) or [])


def test_the_circle_check_sees_a_circle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_layer_check_sees_the_old_upward_import():
    """actions.py used to import GameScreen for a type: that is what the check catches."""
    assert layer("wargame.tui.screens.game") < layer("wargame.tui.actions")
