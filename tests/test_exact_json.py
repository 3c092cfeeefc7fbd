"""Amounts reach Procountor as exact JSON numbers: never floats, never rounded."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from nmbrs_procountor_plugin.api import exact_json


def test_decimals_are_written_with_exactly_their_digits() -> None:
    payload = {"accountingValue": Decimal("12345678901234.57"), "vatPercent": Decimal("0"), "neg": Decimal("-0.10")}
    text = exact_json.dumps(payload)
    assert '"accountingValue":12345678901234.57' in text
    assert '"neg":-0.10' in text
    assert json.loads(text, parse_float=Decimal)["accountingValue"] == Decimal("12345678901234.57")


def test_floats_and_non_finite_amounts_are_refused() -> None:
    with pytest.raises(TypeError, match=r"float 0\.1"):
        exact_json.dumps({"accountingValue": 0.1})
    with pytest.raises(ValueError, match="non-finite"):
        exact_json.dumps({"accountingValue": Decimal("NaN")})


def test_text_that_looks_like_a_marker_is_left_alone() -> None:
    text = exact_json.dumps({"description": "@deadbeef:0@", "value": Decimal("1.00")})
    assert json.loads(text)["description"] == "@deadbeef:0@"


def test_non_ascii_text_is_kept_as_utf8_text() -> None:
    assert exact_json.dumps({"name": "Järvi €"}) == '{"name":"Järvi €"}'
