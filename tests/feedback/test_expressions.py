"""The ODK XPath subset: parsing errors in plain words, and XPath 1.0 / JavaRosa semantics."""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest

from msmelens.feedback.expressions import Context, ExpressionError, evaluate, is_true, parse, references

ANSWERS = {"employees": 12, "markets": ["KOR", "NPL"], "empty": "", "country": "PER", "started": "2015-03-01"}


def run(text: str, current: object = "") -> object:
    return evaluate(parse(text), Context(ANSWERS, current))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${employees} >= 10 and ${employees} < 50", True),
        ("${employees} = 12", True),
        ("${employees} != 12", False),
        ("${country} = 'PER'", True),
        ("${country} = \"CHL\"", False),
        ("selected(${markets}, 'KOR')", True),
        ("selected(${markets}, 'PER')", False),
        ("count-selected(${markets})", 2.0),
        ("${empty} = ''", True),
        ("${empty} > 3", False),  # number('') is NaN: every comparison is false
        ("${empty} < 3", False),
        ("not(${employees} > 100)", True),
        ("${employees} div 4", 3.0),
        ("${employees} mod 5", 2.0),
        ("-${employees} + 2 * 3", -6.0),
        ("(1 + 2) * 3", 9.0),
        ("if(${employees} < 10, 'micro', 'bigger')", "bigger"),
        ("string-length(${country})", 3.0),
        ("regex(${country}, '^[A-Z]{3}$')", True),
        ("concat(${country}, '-', ${employees})", "PER-12"),
        ("coalesce(${empty}, 'x')", "x"),
        ("${started} < '2016-01-01'", True),  # dates compare as days, as in JavaRosa
        ("int(format-date(date('2026-12-07'), '%Y'))", 2026.0),
        ("${missing} = ''", True),  # a question never answered is empty
        ("1 div 0 > 1000000", True),
    ],
)
def test_evaluates_like_odk(text: str, expected: object) -> None:
    assert run(text) == expected


def test_dot_is_the_current_answer() -> None:
    assert run(". >= 1800 and . <= 2100", 2015.0) is True
    assert run(". >= 1800 and . <= 2100", 3000.0) is False
    assert run("count-selected(.) <= 1", ["A", "B"]) is False


def test_today_is_a_date() -> None:
    assert run("today()") == dt.date.today()
    assert run("today() > '2020-01-01'") is True


def test_nan_arithmetic_does_not_raise() -> None:
    assert math.isnan(run("${country} + 1"))  # type: ignore[arg-type]
    assert run("0 div 0 = 0 div 0") is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("unknownfn(1)", "unknownfn() is not supported"),
        ("${a} >", "ends too early"),
        ("employees > 1", "write ${employees}"),
        ("(1 + 2", "not closed"),
        ("", "empty"),
        ("1 ~ 2", "cannot read"),
    ],
)
def test_errors_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=re.escape(message)):
        parse(text)


def test_references_lists_question_names() -> None:
    assert references(parse("${a} > 1 and selected(${b}, 'x') or ${a} = 2")) == {"a", "b"}


def test_is_true_defaults_when_there_is_no_expression() -> None:
    assert is_true(None, Context({}), default=True) is True
    assert is_true(None, Context({}), default=False) is False
