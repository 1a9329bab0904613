"""The condition language's syntax: a tiny, safe expression grammar parsed into a tree.

Decks use conditions for `when` fields. They are parsed once, at load time, by a
hand-written tokenizer and recursive-descent parser, so nothing in a deck can ever
reach Python's evaluator: there is no attribute access, no arbitrary call, no
comprehension, no lambda, no subscript. Anything outside the grammar is a
`ConditionError` whose message says what was refused and where.

Grammar::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := operand (("<" | "<=" | ">" | ">=" | "==" | "!=") operand)?
    operand := NUMBER | STRING | "true" | "false" | NAME | call | "(" expr ")"
    call    := FUNCTION "(" STRING ("," STRING)* ")"

Names are meter ids (``trust.ROK-JPN``), seat ids (``JPN``: that seat's choice on
the card being resolved) and ``turn``. Functions: ``played('card')``, ``queued('card')``,
``chose('SEAT', 'option')``, ``band('meter')`` (a band name), and in schema 2
``flag('id')`` (the flag is set), ``phase('id')`` (the scenario is in that phase),
``resource('id')`` (what is left of it, a number) and ``fired('rule')`` (that red-cell
rule has fired this game).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, NamedTuple

CompareOp = Literal["<", "<=", ">", ">=", "==", "!="]

# The only functions a condition may call, with the number of string arguments each takes.
FUNCTIONS: dict[str, int] = {
    "played": 1,
    "chose": 2,
    "band": 1,
    "queued": 1,
    "flag": 1,
    "phase": 1,
    "resource": 1,
    "fired": 1,
}
# Functions that schema 1 did not have: a schema-1 deck that calls them is told to say 2.
SCHEMA_2_FUNCTIONS = frozenset({"flag", "phase", "resource", "fired"})

KEYWORDS = {"and", "or", "not", "true", "false"}

# Limits no real deck comes near, so that hostile input is refused with a message instead of
# exhausting the stack, the number parser or the reader of the error messages.
MAX_LENGTH = 2_000  # characters in one condition
MAX_DEPTH = 40  # nested parentheses and `not`s
MAX_DIGITS = 15  # digits before, and after, a number's decimal point
QUOTE_CHARS = 60  # characters of a condition (or a piece of one) quoted in a message
# C0 and C1 control characters (and DEL), except tab, newline and carriage return.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Python words that people (or attackers) might try; each gets a pointed refusal.
FORBIDDEN_WORDS = {
    "lambda": "lambdas are not allowed",
    "for": "comprehensions and loops are not allowed",
    "in": "the 'in' operator is not allowed",
    "if": "'if' expressions are not allowed",
    "import": "imports are not allowed",
    "is": "'is' is not allowed; use == or !=",
    "None": "None is not a value here",
}


class ConditionError(ValueError):
    """A condition that cannot be parsed; `pos` is the character offset of the problem."""

    def __init__(self, message: str, text: str = "", pos: int = 0) -> None:
        self.message = message
        self.text = text
        self.pos = pos
        where = f" at column {pos + 1}" if text else ""
        super().__init__(f"{message}{where}")


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """`repr(text)`, cut to `limit` characters with an ellipsis, for messages."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# --- the tree -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Num:
    value: int | float


@dataclass(frozen=True, slots=True)
class Str:
    value: str


@dataclass(frozen=True, slots=True)
class Bool:
    value: bool


@dataclass(frozen=True, slots=True)
class Name:
    name: str


@dataclass(frozen=True, slots=True)
class Call:
    func: str
    args: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Compare:
    op: CompareOp
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Node


Node = Num | Str | Bool | Name | Call | Compare | And | Or | Not


# --- tokens ---------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r\n]+)
  | (?P<num>-?\d+(?:\.\d+)?)
  | (?P<str>'[^'\\\n]*'|"[^"\\\n]*")
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:[.\-][A-Za-z0-9_]+)*)
  | (?P<op><=|>=|==|!=|<|>)
  | (?P<punct>[(),])
    """,
    re.VERBOSE,
)

_REFUSED_CHARS = {
    "[": "lists, subscripts and comprehensions are not allowed",
    "]": "lists, subscripts and comprehensions are not allowed",
    "{": "dicts, sets and comprehensions are not allowed",
    "}": "dicts, sets and comprehensions are not allowed",
    ":": "':' is not allowed (no lambdas, slices or dicts)",
    "=": "use '==' to compare; assignment is not allowed",
    "+": "arithmetic is not allowed",
    "*": "arithmetic is not allowed",
    "/": "arithmetic is not allowed",
    "%": "arithmetic is not allowed",
    "@": "decorators and operators like '@' are not allowed",
    "`": "backticks are not allowed",
    "\\": "backslashes are not allowed",
    ";": "statements are not allowed",
}


class _Tok(NamedTuple):
    kind: str
    text: str
    pos: int


def _tokenize(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            ch = text[pos]
            if ch == ".":
                raise ConditionError("attribute access is not allowed", text, pos)
            if ch in "'\"":
                raise ConditionError("unterminated or escaped string", text, pos)
            reason = _REFUSED_CHARS.get(ch, f"unexpected character {ch!r}")
            if CONTROL.match(ch):
                reason = f"control character {ch!r} is not allowed"
            raise ConditionError(reason, text, pos)
        kind = m.lastgroup or ""
        if kind == "name":
            # Refused words are caught here, in reading order, so the message names the
            # first offending thing rather than whatever the parser trips over next.
            word = m.group()
            if word in FORBIDDEN_WORDS:
                raise ConditionError(FORBIDDEN_WORDS[word], text, pos)
            if "__" in word:
                raise ConditionError(
                    f"{quote(word)} is not allowed: names with '__' are refused", text, pos
                )
        elif kind == "num":
            whole, _, frac = m.group().lstrip("-").partition(".")
            if len(whole) > MAX_DIGITS or len(frac) > MAX_DIGITS:
                raise ConditionError(
                    f"number {quote(m.group(), 20)} is too long; at most {MAX_DIGITS} digits "
                    "before and after the point",
                    text,
                    pos,
                )
        elif kind == "str" and CONTROL.search(m.group()):
            raise ConditionError("control characters are not allowed in a string", text, pos)
        if kind != "ws":
            tokens.append(_Tok(kind, m.group(), pos))
        pos = m.end()
    return tokens


# --- parser ---------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokenize(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def fail(self, message: str, tok: _Tok | None = None) -> ConditionError:
        pos = tok.pos if tok else len(self.text)
        return ConditionError(message, self.text, pos)

    def take(self, text: str) -> bool:
        tok = self.peek()
        if tok is not None and tok.text == text and tok.kind in ("name", "op", "punct"):
            self.i += 1
            return True
        return False

    def expect(self, text: str) -> None:
        if not self.take(text):
            tok = self.peek()
            found = quote(tok.text) if tok else "the end"
            raise self.fail(f"expected {text!r} but found {found}", tok)

    def parse(self) -> Node:
        if not self.toks:
            raise ConditionError("the condition is empty", self.text, 0)
        node = self.or_()
        tok = self.peek()
        if tok is not None:
            raise self.fail(f"unexpected {quote(tok.text)}", tok)
        return node

    def nest(self, tok: _Tok | None) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(f"nested more than {MAX_DEPTH} deep; simplify the condition", tok)

    def or_(self) -> Node:
        items = [self.and_()]
        while self.take("or"):
            items.append(self.and_())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_(self) -> Node:
        items = [self.not_()]
        while self.take("and"):
            items.append(self.not_())
        return items[0] if len(items) == 1 else And(tuple(items))

    def not_(self) -> Node:
        tok = self.peek()
        if self.take("not"):
            self.nest(tok)
            node = Not(self.not_())
            self.depth -= 1
            return node
        return self.compare()

    def compare(self) -> Node:
        left = self.operand()
        tok = self.peek()
        if tok is not None and tok.kind == "op":
            self.i += 1
            right = self.operand()
            nxt = self.peek()
            if nxt is not None and nxt.kind == "op":
                raise self.fail("chained comparisons are not allowed; use 'and'", nxt)
            return Compare(tok.text, left, right)  # type: ignore[arg-type]
        return left

    def operand(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise self.fail("the condition ends too early")
        self.i += 1
        if tok.kind == "num":
            return Num(float(tok.text) if "." in tok.text else int(tok.text))
        if tok.kind == "str":
            return Str(tok.text[1:-1])
        if tok.text == "(":
            self.nest(tok)
            node = self.or_()
            self.expect(")")
            self.depth -= 1
            return node
        if tok.kind != "name":
            raise self.fail(f"unexpected {quote(tok.text)}", tok)
        word = tok.text
        if word in ("true", "false"):
            return Bool(word == "true")
        if word in ("and", "or", "not"):
            raise self.fail(f"{word!r} needs something before it", tok)
        nxt = self.peek()
        if nxt is not None and nxt.text == "(":
            return self.call(tok)
        return Name(word)

    def call(self, name_tok: _Tok) -> Node:
        func = name_tok.text
        if func not in FUNCTIONS:
            allowed = ", ".join(f"{f}()" for f in FUNCTIONS)
            raise self.fail(
                f"calling {quote(func)} is not allowed; the only functions are {allowed}",
                name_tok,
            )
        self.expect("(")
        args: list[str] = []
        while True:
            tok = self.peek()
            if tok is None or tok.kind != "str":
                raise self.fail(f"{func}() takes quoted ids as arguments", tok)
            self.i += 1
            args.append(tok.text[1:-1])
            if not self.take(","):
                break
        self.expect(")")
        if len(args) != FUNCTIONS[func]:
            raise self.fail(
                f"{func}() takes {FUNCTIONS[func]} argument(s), not {len(args)}", name_tok
            )
        return Call(func, tuple(args))


def parse(text: str) -> Node:
    """Parse a condition string into a tree, or raise `ConditionError`."""
    if not isinstance(text, str):
        raise ConditionError("a condition must be a string")
    if len(text) > MAX_LENGTH:
        raise ConditionError(
            f"the condition is {len(text):,} characters long; at most {MAX_LENGTH:,}"
        )
    return _Parser(text).parse()


def show(node: Node) -> str:
    """A tree written back as condition text, for messages."""
    if isinstance(node, Num):
        return str(node.value)
    if isinstance(node, Str):
        return repr(node.value)
    if isinstance(node, Bool):
        return "true" if node.value else "false"
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Call):
        return f"{node.func}({', '.join(repr(a) for a in node.args)})"
    if isinstance(node, Compare):
        return f"{show(node.left)} {node.op} {show(node.right)}"
    if isinstance(node, Not):
        return f"not {show(node.item)}"
    word = " and " if isinstance(node, And) else " or "
    return word.join(f"({show(i)})" if isinstance(i, And | Or) else show(i) for i in node.items)


def walk(node: Node) -> Iterator[Node]:
    """Yield every node of the tree, depth first."""
    yield node
    if isinstance(node, Compare):
        yield from walk(node.left)
        yield from walk(node.right)
    elif isinstance(node, And | Or):
        for item in node.items:
            yield from walk(item)
    elif isinstance(node, Not):
        yield from walk(node.item)


def reads(node: Node) -> frozenset[str]:
    """What of an environment a tree reads: some of turn, meters, choices, played, queue,
    chosen, flags, phase, resources, fired. The engine caches a condition's value while
    what it reads does not change."""
    out: set[str] = set()
    for n in walk(node):
        if isinstance(n, Name):
            out |= {"turn"} if n.name == "turn" else {"meters", "choices"}
        elif isinstance(n, Call):
            out.add(_CALL_READS[n.func])
    return frozenset(out)


_CALL_READS = {
    "played": "played",
    "queued": "queue",
    "chose": "chosen",
    "band": "meters",
    "flag": "flags",
    "phase": "phase",
    "resource": "resources",
    "fired": "fired",
}
