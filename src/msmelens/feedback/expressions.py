"""The subset of ODK XPath that XLSForms use in ``relevant``, ``constraint``, ``required`` and ``calculation``.

Forms reach the server in XLSForm syntax (``${employees} >= 0 and . <= 2026``). :func:`parse` turns an
expression into a small tree once, when the form is loaded, so that a form using a function we do not know is
refused with its row; :func:`evaluate` runs the tree against one response's answers. XPath 1.0 semantics where
they matter: an empty answer is the empty string, ``number('')`` is NaN and every comparison with NaN is
false, ``=`` between strings compares text; dates compare as days since 1970 as in JavaRosa.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Value = str | float | bool | dt.date | list[str]


class ExpressionError(ValueError):
    """An expression that cannot be read, or uses something this server does not evaluate."""


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<ref>\$\{(?P<refname>[A-Za-z_][\w.\-]*)\})
      | (?P<number>\d+(?:\.\d*)?|\.\d+)
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,|\|)
      | (?P<dot>\.(?![\w]))
      | (?P<name>[A-Za-z_][\w\-]*(?::[A-Za-z_][\w\-]*)?)
      | (?P<path>/[\w/\-:]+)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Node:
    kind: str  # "num", "str", "ref", "dot", "call", "op", "neg"
    value: Any = None
    args: tuple[Node, ...] = ()


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ExpressionError(f"cannot read the expression near '{text[pos:pos + 15]}'")
        pos = match.end()
        kind = match.lastgroup or ""
        if kind == "ref":
            out.append(("ref", match.group("refname")))
        elif kind == "refname":  # pragma: no cover - inner group
            continue
        else:
            out.append((kind, match.group(kind)))
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


_BINARY = [("or",), ("and",), ("=", "!="), ("<", "<=", ">", ">="), ("+", "-"), ("*", "div", "mod")]


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ExpressionError("the expression ends too early")
        self.pos += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            raise ExpressionError("the expression is empty")
        node = self.binary(0)
        if self.peek() is not None:
            raise ExpressionError(f"unexpected '{self.peek()[1]}'")  # type: ignore[index]
        return node

    def binary(self, level: int) -> Node:
        if level == len(_BINARY):
            return self.unary()
        left = self.binary(level + 1)
        while True:
            token = self.peek()
            if token is None or token[1] not in _BINARY[level] or token[0] not in ("op", "name"):
                return left
            self.take()
            right = self.binary(level + 1)
            left = Node("op", token[1], (left, right))

    def unary(self) -> Node:
        token = self.peek()
        if token == ("op", "-"):
            self.take()
            return Node("neg", None, (self.unary(),))
        return self.primary()

    def primary(self) -> Node:
        kind, text = self.take()
        if kind == "number":
            return Node("num", float(text))
        if kind == "string":
            return Node("str", text[1:-1])
        if kind == "ref":
            return Node("ref", text)
        if kind == "dot":
            return Node("dot")
        if kind == "op" and text == "(":
            node = self.binary(0)
            if self.peek() != ("op", ")"):
                raise ExpressionError("a bracket is not closed")
            self.take()
            return node
        if kind == "name":
            if self.peek() != ("op", "("):
                raise ExpressionError(f"'{text}' is not a question reference: write ${{{text}}}")
            self.take()
            args: list[Node] = []
            if self.peek() != ("op", ")"):
                while True:
                    args.append(self.binary(0))
                    if self.peek() == ("op", ","):
                        self.take()
                        continue
                    break
            if self.take() != ("op", ")"):
                raise ExpressionError(f"the call to {text}() is not closed")
            name = text.split(":", 1)[1] if text.startswith("jr:") else text
            if name not in FUNCTIONS:
                raise ExpressionError(f"the function {text}() is not supported")
            return Node("call", name, tuple(args))
        raise ExpressionError(f"unexpected '{text}'")


def parse(text: str) -> Node:
    """Parse an XLSForm expression; :class:`ExpressionError` says what is wrong in plain words."""
    return _Parser(text).parse()


def references(node: Node) -> set[str]:
    """The question names an expression refers to."""
    found = {node.value} if node.kind == "ref" else set()
    for arg in node.args:
        found |= references(arg)
    return found


# --- values -------------------------------------------------------------------------------------------

_EPOCH = dt.date(1970, 1, 1)


def to_number(value: Value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float | int):
        return float(value)
    if isinstance(value, dt.date):
        return float((value - _EPOCH).days)
    if isinstance(value, list):
        value = " ".join(value)
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return float((dt.date.fromisoformat(text) - _EPOCH).days)
        except ValueError:
            return math.nan
    try:
        return float(text) if text else math.nan
    except ValueError:
        return math.nan


def to_string(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return " ".join(value)
    return value


def to_bool(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    if isinstance(value, list):
        return bool(value)
    return bool(to_string(value))


def _compare(op: str, left: Value, right: Value) -> bool:
    if op in ("=", "!="):
        if isinstance(left, bool) or isinstance(right, bool):
            equal = to_bool(left) == to_bool(right)
        elif isinstance(left, float | dt.date) or isinstance(right, float | dt.date):
            equal = to_number(left) == to_number(right)
        else:
            equal = to_string(left) == to_string(right)
        return equal if op == "=" else not equal
    a, b = to_number(left), to_number(right)
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _selected(items: Value, choice: Value) -> bool:
    names = items if isinstance(items, list) else to_string(items).split()
    return to_string(choice).strip() in names


def _if(cond: Value, a: Value, b: Value) -> Value:
    return a if to_bool(cond) else b


def _regex(value: Value, pattern: Value) -> bool:
    try:
        return re.search(to_string(pattern), to_string(value)) is not None
    except re.error:
        return False


def _round(value: Value, places: Value = 0.0) -> float:
    number, digits = to_number(value), int(to_number(places) or 0)
    if math.isnan(number):
        return number
    factor = 10.0**digits
    return math.floor(number * factor + 0.5) / factor


def _date(value: Value) -> Value:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return ""
    number = to_number(value)
    if math.isnan(number):
        return ""
    return _EPOCH + dt.timedelta(days=int(number))


def _format_date(value: Value, pattern: Value) -> str:
    day = _date(value)
    if not isinstance(day, dt.date):
        return ""
    text = to_string(pattern)
    for code, part in (("%Y", f"{day.year:04d}"), ("%m", f"{day.month:02d}"), ("%d", f"{day.day:02d}"),
                       ("%y", f"{day.year % 100:02d}"), ("%n", str(day.month)), ("%e", str(day.day))):
        text = text.replace(code, part)
    return text


def _int(value: Value) -> float:
    number = to_number(value)
    return number if math.isnan(number) or math.isinf(number) else float(math.trunc(number))


FUNCTIONS: dict[str, Callable[..., Value]] = {
    "selected": _selected,
    "count-selected": lambda items: float(len(items if isinstance(items, list) else to_string(items).split())),
    "selected-at": lambda items, i: (
        (items if isinstance(items, list) else to_string(items).split()) + [""] * 1000
    )[int(to_number(i))],
    "string-length": lambda value: float(len(to_string(value))),
    "regex": _regex,
    "today": lambda: dt.date.today(),
    "now": lambda: dt.date.today(),
    "int": _int,
    "number": to_number,
    "string": to_string,
    "boolean": to_bool,
    "concat": lambda *values: "".join(to_string(v) for v in values),
    "not": lambda value: not to_bool(value),
    "true": lambda: True,
    "false": lambda: False,
    "if": _if,
    "coalesce": lambda a, b: a if to_string(a) else b,
    "contains": lambda a, b: to_string(b) in to_string(a),
    "starts-with": lambda a, b: to_string(a).startswith(to_string(b)),
    "ends-with": lambda a, b: to_string(a).endswith(to_string(b)),
    "substr": lambda s, start, end=None: to_string(s)[
        int(to_number(start)) : (int(to_number(end)) if end is not None else None)
    ],
    "round": _round,
    "abs": lambda v: abs(to_number(v)),
    "min": lambda *values: min((to_number(v) for v in values), default=math.nan),
    "max": lambda *values: max((to_number(v) for v in values), default=math.nan),
    "date": _date,
    "decimal-date-time": to_number,
    "format-date": _format_date,
    "choice-name": lambda value, _name: to_string(value),
    "once": lambda value: value,
}


class Context:
    """What an expression can see: the answers so far, and the current question's value for ``.``."""

    __slots__ = ("answers", "current")

    def __init__(self, answers: Mapping[str, Any], current: Value = "") -> None:
        self.answers = answers
        self.current = current


def as_value(value: Any) -> Value:
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, dt.date):
        return value
    return str(value)


def evaluate(node: Node, context: Context) -> Value:
    """Evaluate a parsed expression. Arithmetic on text gives NaN, as in XPath; nothing raises."""
    kind = node.kind
    if kind == "num" or kind == "str":
        return node.value  # type: ignore[no-any-return]
    if kind == "ref":
        return as_value(context.answers.get(node.value))
    if kind == "dot":
        return context.current
    if kind == "neg":
        return -to_number(evaluate(node.args[0], context))
    if kind == "call":
        args = [evaluate(arg, context) for arg in node.args]
        try:
            return FUNCTIONS[node.value](*args)
        except (TypeError, ValueError, IndexError, OverflowError):
            return ""
    op = node.value
    if op == "or":
        return to_bool(evaluate(node.args[0], context)) or to_bool(evaluate(node.args[1], context))
    if op == "and":
        return to_bool(evaluate(node.args[0], context)) and to_bool(evaluate(node.args[1], context))
    left, right = evaluate(node.args[0], context), evaluate(node.args[1], context)
    if op in ("=", "!=", "<", "<=", ">", ">="):
        return _compare(op, left, right)
    a, b = to_number(left), to_number(right)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "div":
        return a / b if b else (math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a))
    if op == "mod":
        return math.fmod(a, b) if b else math.nan
    raise ExpressionError(f"unknown operator {op}")  # pragma: no cover - the parser only makes known ones


def is_true(node: Node | None, context: Context, *, default: bool = True) -> bool:
    """``relevant``/``constraint``/``required`` as a yes or no; an absent expression gives ``default``."""
    if node is None:
        return default
    return to_bool(evaluate(node, context))
