"""The motion expressions of tt:DeclarativeMotionDetector (Annex C.5): XPath 1.0 over the scene
description of one object, the tt:Object the metadata stream would carry for it.

Each object is described as (world coordinates, see ``simulator.scene_rules``)::

    <tt:Object ObjectId="1">
      <tt:Appearance>
        <tt:Shape><tt:BoundingBox left=".." top=".." right=".." bottom=".."/>
                  <tt:CenterOfGravity x=".." y=".."/></tt:Shape>
        <tt:Class><tt:Type Likelihood="0.9">Human</tt:Type></tt:Class>
      </tt:Appearance>
      <tt:Behaviour><tt:Speed>0.12</tt:Speed></tt:Behaviour>   (or <tt:Idle/> when still)
    </tt:Object>

and is the context node of the expression. Speed is in frame widths (normalised units) per
second. An expression that names ``tt:`` elements is evaluated on the namespaced description;
one without prefixes (``Appearance/Class/Type = 'Human'``) on the same description without
namespaces, so both spellings work. The result is taken as XPath's boolean(): a non-empty
node-set or string, a non-zero number. The MotionExpression's Type attribute is not interpreted:
every expression is XPath 1.0.
"""

from __future__ import annotations

import math
from typing import Any

from lxml import etree

from simulator.soap import NS

MAX_LENGTH = 1024  # characters of an expression the simulator accepts
Box = tuple[float, float, float, float]  # left, top, right, bottom


class ExpressionError(ValueError):
    """An expression that is not XPath 1.0 the simulator can evaluate (the reason in words)."""


class Expression:
    def __init__(self, text: str) -> None:
        text = text.strip()
        if not text:
            raise ExpressionError("MotionExpression needs an Expression")
        if len(text) > MAX_LENGTH:
            raise ExpressionError(f"the Expression is longer than {MAX_LENGTH} characters")
        self.namespaced = "tt:" in text
        try:
            namespaces = {"tt": NS["tt"]} if self.namespaced else None
            self.xpath = etree.XPath(text, namespaces=namespaces, regexp=False, smart_strings=False)
        except etree.XPathSyntaxError as exc:
            raise ExpressionError(f"the Expression is not XPath 1.0 ({exc})") from None

    def matches(self, oid: int, box: Box, kind: str, speed: float) -> bool:
        node = describe(oid, box, kind, speed, self.namespaced)
        try:
            return truth(self.xpath(node))
        except etree.XPathEvalError:
            return False  # an unknown function or prefix at run time: nothing matches


def truth(result: Any) -> bool:
    """XPath's boolean() of an evaluation result."""
    if isinstance(result, bool):
        return result
    if isinstance(result, float):
        return result != 0 and not math.isnan(result)
    if isinstance(result, str | list):
        return len(result) > 0
    return result is not None


def expression_of(element_xml: str) -> str:
    """The Expression of a tt:MotionExpressionConfiguration (or a bare tt:MotionExpression)."""
    try:
        tree = etree.fromstring(element_xml.encode(), etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        raise ExpressionError("MotionExpression is not well-formed XML") from None
    found = tree.find(f".//{{{NS['tt']}}}Expression")
    if found is None:
        raise ExpressionError("MotionExpression has no Expression")
    return found.text or ""


def describe(oid: int, box: Box, kind: str, speed: float, namespaced: bool) -> etree._Element:
    """The tt:Object of the module docstring (without namespaces when not `namespaced`)."""
    tag = (lambda name: f"{{{NS['tt']}}}{name}") if namespaced else (lambda name: name)
    left, top, right, bottom = box
    obj = etree.Element(tag("Object"), ObjectId=str(oid))
    look = etree.SubElement(obj, tag("Appearance"))
    shape = etree.SubElement(look, tag("Shape"))
    etree.SubElement(
        shape, tag("BoundingBox"), left=f"{left:.4f}", top=f"{top:.4f}", right=f"{right:.4f}",
        bottom=f"{bottom:.4f}",
    )  # fmt: skip
    x, y = (left + right) / 2, (top + bottom) / 2
    etree.SubElement(shape, tag("CenterOfGravity"), x=f"{x:.4f}", y=f"{y:.4f}")
    classes = etree.SubElement(look, tag("Class"))
    etree.SubElement(classes, tag("Type"), Likelihood="0.9").text = kind
    behaviour = etree.SubElement(obj, tag("Behaviour"))
    if speed > 0:
        etree.SubElement(behaviour, tag("Speed")).text = f"{speed:.4f}"
    else:
        etree.SubElement(behaviour, tag("Idle"))
    return obj
