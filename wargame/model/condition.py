"""The condition language: parsed once at load time, then compiled into closures.

The grammar, its tokenizer and recursive-descent parser live in `condition_syntax` (and are
re-exported here, the one place the rest of the code imports the language from); this module
turns a parsed tree into a function of an environment.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from wargame.model.condition_syntax import (
    CONTROL,
    FORBIDDEN_WORDS,
    FUNCTIONS,
    KEYWORDS,
    MAX_DEPTH,
    MAX_DIGITS,
    MAX_LENGTH,
    QUOTE_CHARS,
    SCHEMA_2_FUNCTIONS,
    And,
    Bool,
    Call,
    Compare,
    CompareOp,
    ConditionError,
    Name,
    Node,
    Not,
    Num,
    Or,
    Str,
    parse,
    quote,
    reads,
    show,
    walk,
)

__all__ = [
    "And",
    "Bool",
    "CONTROL",
    "Call",
    "Compare",
    "CompareOp",
    "ConditionError",
    "Env",
    "FORBIDDEN_WORDS",
    "FUNCTIONS",
    "Fn",
    "KEYWORDS",
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_LENGTH",
    "Name",
    "Node",
    "Not",
    "Num",
    "Or",
    "QUOTE_CHARS",
    "SCHEMA_2_FUNCTIONS",
    "Str",
    "compile_node",
    "parse",
    "quote",
    "reads",
    "show",
    "walk",
]

# --- compiling ---------------------------------------------------------------------------
# A tree is turned into nested Python closures once, so testing a condition is a few calls
# instead of a walk with type checks. Still no eval: each closure does one fixed thing.

# Anything with .turn, .meters, .choices, .played, .queue, .chosen, .flags, .phase,
# .resources, .fired and .band(meter).
Env = Any
Fn = Callable[[Env], Any]

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


def compile_node(node: Node) -> Fn:
    """A function of an environment that evaluates the tree."""
    if isinstance(node, Num | Str | Bool):
        value = node.value
        return lambda env: value
    if isinstance(node, Name):
        name = node.name
        if name == "turn":
            return lambda env: env.turn
        # A meter if the state has one by that name, else a seat's choice on this card.
        # (Meter values are numbers, never None.)
        return lambda env: (
            value if (value := env.meters.get(name)) is not None else env.choices.get(name)
        )
    if isinstance(node, Call):
        return _compile_call(node)
    if isinstance(node, Compare):
        return _compile_compare(node)
    if isinstance(node, And | Or):
        return _compile_chain([compile_node(item) for item in node.items], isinstance(node, And))
    if isinstance(node, Not):
        inner = compile_node(node.item)
        return lambda env: not inner(env)
    raise TypeError(f"unknown condition node {node!r}")


def _compile_compare(node: Compare) -> Fn:
    # Most conditions compare a meter or the turn with a number: those get one closure
    # that reads the value and compares, instead of three calls.
    op = _COMPARE[node.op]
    left, right = node.left, node.right
    if isinstance(right, Num | Str | Bool) and isinstance(left, Name):
        name, value = left.name, right.value
        if name == "turn":
            return lambda env: op(env.turn, value)

        def name_vs_constant(env: Env) -> bool:
            a = env.meters.get(name)
            if a is None:
                a = env.choices.get(name)
            return a is not None and op(a, value)

        return name_vs_constant
    lf, rf = compile_node(left), compile_node(right)

    def compare(env: Env) -> bool:
        a, b = lf(env), rf(env)
        return a is not None and b is not None and op(a, b)

    return compare


def _compile_chain(fns: list[Fn], conjunction: bool) -> Fn:
    """`a and b and ...` (or `or`), with Python's short-circuit and result values."""
    if len(fns) == 1:
        return fns[0]
    if len(fns) == 2:
        a, b = fns
        return (lambda env: a(env) and b(env)) if conjunction else (lambda env: a(env) or b(env))
    items = tuple(fns)
    if conjunction:

        def all_of(env: Env) -> Any:
            value: Any = True
            for fn in items:
                value = fn(env)
                if not value:
                    return value
            return value

        return all_of

    def any_of(env: Env) -> Any:
        value: Any = False
        for fn in items:
            value = fn(env)
            if value:
                return value
        return value

    return any_of


def _compile_call(node: Call) -> Fn:
    args = node.args
    if node.func == "played":
        return lambda env: args[0] in env.played
    if node.func == "queued":
        return lambda env: args[0] in env.queue
    if node.func == "chose":
        pair = (args[0], args[1])
        return lambda env: pair in env.chosen
    if node.func == "band":
        return lambda env: env.band(args[0])
    arg = args[0]
    if node.func == "flag":
        return lambda env: arg in env.flags
    if node.func == "phase":
        return lambda env: env.phase == arg
    if node.func == "resource":
        return lambda env: env.resources.get(arg, 0)
    if node.func == "fired":
        return lambda env: arg in env.fired
    raise TypeError(f"unknown function {node.func!r}")
