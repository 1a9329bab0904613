"""The UI's catalog: every user-facing string of the screens goes through it, the template
is extracted from today's code, every shipped language translates every message (with the
same `{fields}`), and the compiled .mo files are those of their .po files."""

from __future__ import annotations

import ast
import gettext
import re
import subprocess
import sys
from pathlib import Path

import pytest

from wargame import i18n

ROOT = Path(__file__).parent.parent
TUI = ROOT / "wargame" / "tui"

# Where a literal reaches the screen. For each callable (by its name, a method's name for
# `obj.notify(...)`): the positions of its arguments that are text, "*" for all of them;
# and the keyword arguments that are text (for every callable).
TEXT_ARGS: dict[str, tuple[int, ...] | str] = {
    "Static": (0,),
    "Label": (0,),
    "Button": (0,),
    "Markdown": (0,),
    "Text": (0,),
    "Content": (0,),
    "Option": (0,),
    "RadioButton": (0,),
    "Checkbox": (0,),
    "Collapsible": (),
    "TabPane": (0,),
    "Rule": (),
    "Table": (),
    "notify": (0,),
    "update": (0,),
    "append": (0,),
    "write": (0,),
    "assemble": "*",
    "add_column": (0,),
    "add_columns": "*",
    "add_row": "*",
    "print": "*",
    "Binding": (2,),
    "GameAction": (2, 3),
    "Hit": (1,),
    "DiscoveryHit": (0,),
    "exit": (),
    "ask_code": (0,),
}
TEXT_KEYWORDS = {
    "title",
    "sub_title",
    "subtitle",
    "tooltip",
    "placeholder",
    "prompt",
    "label",
    "description",
    "message",
    "help",
    "text",
    "idle",
    "renderable",
}
# Attributes whose value is shown: `widget.border_title = "..."`.
TEXT_ATTRIBUTES = {"border_title", "border_subtitle", "title", "sub_title", "tooltip"}
# Dialogs of our own take their title and text as positional arguments.
DIALOG = re.compile(r"(Dialog|Screen)$")
CATALOG = {"_", "N_", "ngettext"}
# Not words for people: the names of keys (in the help's key table), input masks.
ALLOWED = re.compile(r"^(ctrl\+\w+|F\d+|X{4}(-X{4})+|wargame)$")


# Expressions a literal reaches the screen through.
PASS_THROUGH = (
    ast.BinOp,
    ast.IfExp,
    ast.BoolOp,
    ast.Tuple,
    ast.List,
    ast.JoinedStr,
    ast.FormattedValue,
    ast.Starred,
)


def _text_of(node: ast.expr) -> str:
    if isinstance(node, ast.Constant):
        return node.value
    return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)


def is_words(text: str) -> bool:
    """Text a person reads: a letter outside markup tags and `{fields}` (symbols like "·",
    "—", "✓", numbers and punctuation are the same in every language)."""
    bare = re.sub(r"\[/?[a-z ]*\]|\{[^}]*\}", "", text)
    return bool(re.search(r"[^\W\d_]", bare)) and not ALLOWED.match(bare.strip())


def _name(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _takes_text(call: ast.Call, arg: ast.AST) -> bool:
    name = _name(call)
    if isinstance(arg, ast.keyword):
        return arg.arg in TEXT_KEYWORDS
    if name in CATALOG or name == "format":
        return False
    where = TEXT_ARGS.get(name, "*" if DIALOG.search(name) else ())
    return where == "*" or any(i < len(call.args) and call.args[i] is arg for i in where)


def untranslated(path: Path) -> list[str]:
    """The literals in `path` that reach a screen without passing `_()` / `N_()` /
    `ngettext()`: given to a widget, a notification, a title, a binding's description, a
    table's heading or row, a dialog; directly or through `+`, `x if c else y`, `a or b`,
    tuples (`Text.assemble`), f-strings and `.format()` arguments."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parent = {c: n for n in ast.walk(tree) for c in ast.iter_child_nodes(n)}
    misses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if isinstance(parent.get(node), ast.JoinedStr):
                continue  # the f-string's literal parts: judged as the f-string
        elif not isinstance(node, ast.JoinedStr) or isinstance(
            parent.get(node), ast.FormattedValue
        ):
            continue  # not text, or a format spec ("{n:+d}")
        if not is_words(_text_of(node)):
            continue
        child, up = node, parent.get(node)
        while up is not None:
            if isinstance(up, ast.Call):
                if _name(up) in CATALOG:
                    break  # marked for the catalog
                if _name(up) == "format" and child is not up.func:
                    child, up = up, parent.get(up)  # `.format(x="...")`: shown with it
                    continue
                if child is not up.func and _takes_text(up, child):
                    misses.append(f"{path.relative_to(ROOT)}:{node.lineno}: {_text_of(node)!r}")
                break
            if isinstance(up, ast.keyword):
                call = parent[up]
                if isinstance(call, ast.Call) and _name(call) == "format":
                    child, up = call, parent.get(call)
                    continue
                if isinstance(call, ast.Call) and _takes_text(call, up):
                    misses.append(f"{path.relative_to(ROOT)}:{node.lineno}: {_text_of(node)!r}")
                break
            call = parent.get(up)
            if (
                isinstance(up, ast.Tuple)
                and isinstance(call, ast.Call)
                and _name(call) == "assemble"
            ) and up.elts.index(child) > 0:
                break  # ("text", "style"): the style
            if isinstance(up, ast.Assign | ast.AugAssign):
                targets = up.targets if isinstance(up, ast.Assign) else [up.target]
                if any(isinstance(t, ast.Attribute) and t.attr in TEXT_ATTRIBUTES for t in targets):
                    misses.append(f"{path.relative_to(ROOT)}:{node.lineno}: {_text_of(node)!r}")
                break
            if isinstance(up, PASS_THROUGH):
                if isinstance(up, ast.IfExp) and child is up.test:
                    break
                child, up = up, parent.get(up)
                continue
            break
    return misses


def catalog_misuse(path: Path) -> list[str]:
    """`_()` given anything but a literal (an f-string is formatted before the catalog
    sees it), and `.format()` calls on a message that miss or add a field."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        marked = _name(node) in {"_", "N_"} and isinstance(node.func, ast.Name)
        if marked and (len(node.args) != 1 or isinstance(node.args[0], ast.JoinedStr)):
            out.append(f"{path.relative_to(ROOT)}:{node.lineno}: _() of a non-literal")
        f = node.func
        if (
            _name(node) == "format"
            and isinstance(f, ast.Attribute)
            and isinstance(f.value, ast.Call)
            and _name(f.value) == "_"
            and f.value.args
            and isinstance(f.value.args[0], ast.Constant)
            and not node.args
            and all(k.arg for k in node.keywords)
        ):
            from wargame.locale.catalog import fields

            want = fields(f.value.args[0].value)
            given = {k.arg for k in node.keywords}
            if want != given:
                out.append(
                    f"{path.relative_to(ROOT)}:{node.lineno}: fields {sorted(want)} "
                    f"given {sorted(given)}"
                )
    return out


def test_every_screen_string_goes_through_the_catalog():
    misses = [m for path in sorted(TUI.rglob("*.py")) for m in untranslated(path)]
    assert not misses, "not marked with _():\n" + "\n".join(misses)


def test_the_check_catches_what_it_should(tmp_path):
    """The check itself: misses in each kind of place; allowances (styles, ids, symbols,
    CSS, marked text) pass."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from wargame.i18n import N_, _\n"
        "DEFAULT_CSS = 'Screen { align: center middle; }'\n"
        "B = [Binding('escape', 'cancel', 'Cancel', tooltip=N_('Close'), id='x.cancel')]\n"
        "def f(self, n):\n"
        "    yield Static('Waiting', id='status', classes='dim bold')\n"
        "    yield Static(_('Seat {n}').format(n=n))\n"
        "    yield Button(f'Save {n}', variant='primary')\n"
        "    self.notify(_('Saved'), title='Cannot save', severity='error')\n"
        "    t = Text(' · ', style='bold red') + Text('decided' if n else '—')\n"
        "    Text.assemble(('Ready', 'bold'), (_('Go'), 'dim'))\n"
        "    table.add_column('Turn')\n"
        "    self.border_title = 'Private'\n"
        "    self.query_one('#status').update(_('Now {x}').format(x='later'))\n"
        "    ConfirmDialog(_('Leave?'), 'It is saved.')\n"
        "    return {'key': 'value'}[n]\n"
    )
    found = {m.split(": ", 1)[1] for m in untranslated_relative(sample)}
    assert found == {
        "'Cancel'",
        "'Waiting'",
        "'Save {}'",
        "'Cannot save'",
        "'decided'",
        "'Ready'",
        "'Turn'",
        "'Private'",
        "'later'",
        "'It is saved.'",
    }


def untranslated_relative(path: Path) -> list[str]:
    global ROOT
    saved, ROOT = ROOT, path.parent
    try:
        return untranslated(path)
    finally:
        ROOT = saved


def test_catalog_calls_take_literals_and_their_fields():
    paths = sorted((ROOT / "wargame").rglob("*.py"))
    problems = [p for path in paths for p in catalog_misuse(path)]
    assert not problems, "\n".join(problems)


# --- the catalogs (Babel is in the test extra) ------------------------------------------


def test_catalogs_are_complete_and_compiled():
    """The template is what the code marks today (run `python -m wargame.locale` after
    changing a message), each language translates all of it with the same `{fields}`,
    and each .mo is its .po compiled."""
    from wargame.locale.catalog import check

    problems = check()
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} problems)"


@pytest.mark.parametrize("lang", ["ko", "ja"])
def test_mo_gives_the_po_translations(lang):
    from wargame.locale.catalog import po_path, read

    po = read(po_path(lang), lang)
    mo = gettext.GNUTranslations(po_path(lang).with_suffix(".mo").open("rb"))
    for m in po:
        if m.id and isinstance(m.id, str) and m.string:
            assert mo.gettext(m.id) == m.string


def test_set_language_takes_locale_names_and_falls_back_to_english():
    try:
        assert i18n.set_language("ko_KR.UTF-8") == "ko"
        assert i18n._("Undo") != "Undo"
        assert i18n.set_language("ja") == "ja"
        assert i18n._("Undo") != "Undo"
        assert i18n.set_language("fr_FR") == "en"
        assert i18n._("Undo") == "Undo"
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize(
    ("env", "want"),
    [
        ({"LANG": "ko_KR.UTF-8"}, "ko"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "C", "LC_MESSAGES": "ko_KR"}, "ko"),
        ({"LANGUAGE": "ja:en", "LANG": "ko_KR.UTF-8"}, "ja"),
        ({"LANG": "C"}, "en"),
        ({}, "en"),
    ],
)
def test_language_from_the_environment(env, want):
    assert i18n.language_from_env(env) == want


def test_importing_the_catalog_is_cheap():
    """The game reads .mo files with the stdlib: no Babel at run time."""
    code = "import sys, wargame.i18n as i; i.set_language('ko'); print('babel' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
