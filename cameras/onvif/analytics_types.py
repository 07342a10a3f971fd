"""Rules and analytics modules (tt:Config, clause 9) as frozen dataclasses, and their
parameters' element items read from and written to XML.

Element items are an xs:any: zeep hands over the elements its schemas know (tt:Polyline,
tt:Polygon) as objects and the others (tt:CellLayout, axt:MotionRegionConfig, vendor
elements) as lxml elements; both are read here. The elements of Annex C, D and E become
their dataclass, any other element a RawElement that is written back as it came. Cameras
are untrusted: a malformed field reads as "not given" (left out), never as an exception.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from cameras.onvif.config_read import num, plain_text, whole
from cameras.onvif.errors import InvalidArgument
from cameras.onvif.plugins import WELL_KNOWN_PREFIXES

TT = "http://www.onvif.org/ver10/schema"
AXT = "http://www.onvif.org/ver20/analytics"  # rules.xsd (Annex E)
SHORT = {TT: "tt", AXT: "axt"}
# Rule types whose Field is a tt:PolygonConfiguration (Annex C.4, C.5), not a tt:Polygon.
POLYGON_CONFIGURATION_TYPES = frozenset({"tt:LoiteringDetector", "tt:DeclarativeMotionDetector"})
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_NCNAME = re.compile(r"[A-Za-z_][\w.\-]*")

Point = tuple[float, float]


@dataclass(frozen=True)
class Polyline:  # tt:Polyline (the Segments of a LineDetector)
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Polygon:  # tt:Polygon, or tt:PolygonConfiguration{Polygon} (a Field)
    points: tuple[Point, ...]


@dataclass(frozen=True)
class PolylineArray:  # tt:PolylineArrayConfiguration (the LineSegments of a CountAggregation)
    lines: tuple[tuple[Point, ...], ...]


@dataclass(frozen=True)
class MotionRegion:  # axt:MotionRegionConfig (Annex E)
    polygon: tuple[Point, ...]
    armed: bool = True
    sensitivity: float | None = None  # 0 least sensitive .. 1 most
    preset: str = ""  # the PTZ preset the region belongs to


@dataclass(frozen=True)
class CellLayout:  # tt:CellLayout of the CellMotionEngine module (Annex D.2)
    columns: int
    rows: int
    translate: Point = (0.0, 0.0)
    scale: Point = (1.0, 1.0)


@dataclass(frozen=True)
class MotionExpression:  # tt:MotionExpressionConfiguration (a DeclarativeMotionDetector, C.5)
    expression: str  # XPath over the scene description of an object
    dialect: str = ""  # the MotionExpression's Type attribute ("" when not given)


@dataclass(frozen=True)
class RawElement:  # any other element item: kept verbatim, written back unchanged
    xml: str


ElementValue = (
    Polyline | Polygon | PolylineArray | MotionRegion | CellLayout | MotionExpression | RawElement
)


@dataclass(frozen=True, kw_only=True)
class AnalyticsItem:
    """A rule or an analytics module (tt:Config). `type` is the type's QName: "tt:<Local>"
    in the ONVIF schema namespace, "axt:<Local>" in the rules.xsd one, "{uri}Local" in any
    other (a prefix the VMS cannot resolve is kept as the camera wrote it)."""

    name: str
    type: str
    simple: dict[str, str] = field(default_factory=dict)  # SimpleItem Name -> Value
    elements: dict[str, ElementValue] = field(default_factory=dict)  # ElementItem Name -> value


@dataclass(frozen=True, kw_only=True)
class ItemDescription:  # Simple/ElementItemDescription
    name: str
    type: str  # a QName as the camera wrote it: "xs:int", "tt:Polyline"
    element: bool


@dataclass(frozen=True, kw_only=True)
class ConfigDescription:  # tt:ConfigDescription of a rule or module type
    type: str  # normalised like AnalyticsItem.type
    parameters: tuple[ItemDescription, ...] = ()
    topics: tuple[str, ...] = ()  # each Messages' ParentTopic
    fixed: bool = False
    max_instances: int | None = None


@dataclass(frozen=True, kw_only=True)
class SupportedTypes:
    descriptions: tuple[ConfigDescription, ...] = ()
    limit: int | None = None


@dataclass(frozen=True, kw_only=True)
class ConfigOption:
    """One tan:ConfigOptions: what a camera allows for one parameter of a rule or module."""

    name: str  # the parameter it constrains
    type: str  # the rule type (RuleType) or module type (AnalyticsModule), normalised
    kind: str  # the option element's local name: "IntRange", "StringList", ... ("" if none)
    minimum: float | None = None  # ranges (a DurationRange in seconds)
    maximum: float | None = None
    values: tuple[str, ...] = ()  # lists
    rectangle_only: bool = False  # PolygonOptions; MotionRegionConfigOptions: no PolygonSupport
    vertex_limits: tuple[int, int] | None = None  # PolygonOptions / PolygonLimits
    extra: dict[str, str] = field(default_factory=dict)  # other flags, as text


@dataclass(frozen=True, kw_only=True)
class AnalyticsCapabilities:
    rules: bool = False
    modules: bool = False
    cell_scene: bool = False
    rule_options: bool = False
    module_options: bool = False
    supported_metadata: bool = False


# -- QNames -------------------------------------------------------------------------------------


def read_qname(value: Any) -> str:
    """A type QName as the camera wrote it, normalised (see AnalyticsItem.type); "" if none.
    zeep gives xs:QName values as their text, so a prefix is resolved with the prefixes
    ONVIF documents always use."""
    text = plain_text(value).strip()
    if text.startswith("{"):
        uri, _, local = text[1:].partition("}")
    else:
        prefix, colon, local = text.rpartition(":")
        if not colon:
            return text if _NCNAME.fullmatch(text) else ""
        uri = WELL_KNOWN_PREFIXES.get(prefix, "")
        if not uri:
            return text if _NCNAME.fullmatch(prefix) and _NCNAME.fullmatch(local) else ""
    if not uri or not _NCNAME.fullmatch(local):
        return ""
    return f"{SHORT[uri]}:{local}" if uri in SHORT else f"{{{uri}}}{local}"


def write_qname(value: str) -> tuple[str, dict[str, str]]:
    """The text of a type QName to send, with the namespace prefixes it needs declared."""
    if value.startswith("{"):
        uri, _, local = value[1:].partition("}")
        if uri in SHORT:
            return f"{SHORT[uri]}:{local}", {SHORT[uri]: uri}
        prefix = "vx" + hashlib.sha1(uri.encode()).hexdigest()[:8]
        return f"{prefix}:{local}", {prefix: uri}
    prefix, colon, _ = value.partition(":")
    if colon and prefix in WELL_KNOWN_PREFIXES:
        return value, {prefix: WELL_KNOWN_PREFIXES[prefix]}
    return value, {}


# -- reading element items ------------------------------------------------------------------------


def is_xml(node: Any) -> bool:
    return isinstance(node, etree._Element)


def kids(node: Any, name: str) -> list[Any]:
    """The child elements `name` of an lxml element, or a zeep object's field as a list."""
    if is_xml(node):
        return [c for c in node if isinstance(c.tag, str) and etree.QName(c).localname == name]
    found = getattr(node, name, None)
    return [] if found is None else found if isinstance(found, list) else [found]


def kid(node: Any, name: str) -> Any:
    found = kids(node, name)
    return found[0] if found else None


def attr(node: Any, name: str) -> Any:
    """An attribute of an lxml element or a zeep object."""
    return node.get(name) if is_xml(node) else getattr(node, name, None)


def leaf(node: Any, name: str) -> Any:
    """The value of a simple child element (its text, for lxml)."""
    found = kid(node, name)
    return found.text if is_xml(found) else found


def flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = plain_text(value).strip()
    return {"true": True, "1": True, "false": False, "0": False}.get(text)


def xml_text(value: Any) -> str | None:
    """An element (lxml, or a zeep object of a schema type) as XML text; None if neither.
    Namespace declarations that neither the names nor a QName-like value use are dropped,
    so the same element reads as the same text from any envelope."""
    if not is_xml(value):
        xsd_type = getattr(value, "_xsd_type", None)
        qname = getattr(xsd_type, "qname", None)
        if xsd_type is None or qname is None:
            return None
        try:
            node = etree.Element(qname, nsmap={SHORT.get(qname.namespace, "ns0"): qname.namespace})
            xsd_type.render(node, value)
        except Exception:  # noqa: BLE001  (an object that lies cannot be written out)
            return None
        value = node
    # a copy with the declarations in scope (a deepcopy keeps only those its names use)
    element = etree.fromstring(etree.tostring(value, with_tail=False), _PARSER)
    words = " ".join(w for e in element.iter("*") for w in [e.text or "", *e.attrib.values()])
    keep = [p for p in element.nsmap if p and f"{p}:" in words]
    etree.cleanup_namespaces(element, keep_ns_prefixes=keep)
    return str(etree.tostring(element, encoding="unicode"))


def element_name(value: Any) -> tuple[str, str]:
    """(namespace, local name) of an lxml element or a zeep object of a schema type."""
    if is_xml(value):
        qname = etree.QName(value)
    else:
        qname = getattr(getattr(value, "_xsd_type", None), "qname", None)
    return str(getattr(qname, "namespace", "") or ""), str(getattr(qname, "localname", "") or "")


def read_points(node: Any, least: int) -> tuple[Point, ...] | None:
    """The tt:Point children of `node` (at least `least`); None if any is malformed."""
    found = []
    for point in kids(node, "Point"):
        x, y = num(attr(point, "x")), num(attr(point, "y"))
        if x is None or y is None:
            return None
        found.append((x, y))
    return tuple(found) if len(found) >= least else None


def _pair(node: Any, default: Point) -> Point:
    x, y = num(attr(node, "x")), num(attr(node, "y"))
    return (x, y) if node is not None and x is not None and y is not None else default


def _cell_layout(node: Any) -> CellLayout | None:
    columns, rows = whole(attr(node, "Columns")), whole(attr(node, "Rows"))
    if not columns or not rows or columns <= 0 or rows <= 0:
        return None
    move = kid(node, "Transformation")
    translate = _pair(kid(move, "Translate"), (0.0, 0.0))
    scale = _pair(kid(move, "Scale"), (1.0, 1.0))
    return CellLayout(columns, rows, translate, scale)


def _motion_region(node: Any) -> MotionRegion | None:
    polygon = kid(node, "Polygon")
    points = () if polygon is None else read_points(polygon, 3)
    if points is None:
        return None
    sensitivity = num(attr(node, "Sensitivity"))
    return MotionRegion(
        points,
        armed=flag(attr(node, "Armed")) is not False,
        sensitivity=sensitivity if sensitivity is not None and 0 <= sensitivity <= 1 else None,
        preset=plain_text(leaf(node, "PresetToken")).strip(),
    )


def _polyline_array(node: Any) -> PolylineArray | None:
    lines = [read_points(s, 2) for s in kids(kid(node, "PolylineArray"), "Segment")]
    if not lines or any(line is None for line in lines):
        return None
    return PolylineArray(tuple(line for line in lines if line is not None))


def _motion_expression(node: Any) -> MotionExpression | None:
    """Typed when it holds only what C.5 names; with vendor additions it stays raw (None)."""
    inner = kid(node, "MotionExpression")
    text = leaf(inner, "Expression")
    if inner is None or not isinstance(text, str) or _has_more(node, 1) or _has_more(inner, 1):
        return None
    return MotionExpression(text.strip(), plain_text(attr(inner, "Type")).strip())


def _has_more(node: Any, children: int) -> bool:
    """Whether an element has more children than `children` (or any xs:any content)."""
    if is_xml(node):
        return len([c for c in node if isinstance(c.tag, str)]) > children
    return bool(getattr(node, "_value_1", None))


def read_element(value: Any) -> ElementValue | None:
    """An element item's value; None if it is malformed or not an element at all."""
    if isinstance(value, list):  # a camera that sent more than the one element
        value = value[0] if value else None
    namespace, local = element_name(value)
    if namespace == TT and local in ("Polyline", "Polygon"):
        points = read_points(value, 2 if local == "Polyline" else 3)
        return None if points is None else (Polyline if local == "Polyline" else Polygon)(points)
    if namespace == TT and local == "PolygonConfiguration":
        points = read_points(kid(value, "Polygon"), 3)
        return None if points is None else Polygon(points)
    if namespace == TT and local == "PolylineArrayConfiguration":
        return _polyline_array(value)
    if namespace == TT and local == "CellLayout":
        return _cell_layout(value)
    if namespace == AXT and local == "MotionRegionConfig":
        return _motion_region(value)
    if (
        namespace == TT
        and local == "MotionExpressionConfiguration"
        and (typed := _motion_expression(value)) is not None
    ):
        return typed
    xml = xml_text(value)
    return None if xml is None else RawElement(xml)


def read_item(node: Any) -> AnalyticsItem | None:
    """A tt:Config; None without a name (the name is how a rule or module is addressed)."""
    name = plain_text(attr(node, "Name")).strip()
    if not name:
        return None
    params = kid(node, "Parameters")
    simple: dict[str, str] = {}
    for item in kids(params, "SimpleItem"):
        key, value = plain_text(attr(item, "Name")), attr(item, "Value")
        if key and value is not None and not isinstance(value, bool):
            simple[key] = plain_text(value)
    elements: dict[str, ElementValue] = {}
    for item in kids(params, "ElementItem"):
        key = plain_text(attr(item, "Name"))
        found = read_element(getattr(item, "_value_1", None))
        if key and found is not None:
            elements[key] = found
    return AnalyticsItem(
        name=name, type=read_qname(attr(node, "Type")), simple=simple, elements=elements
    )


# -- writing --------------------------------------------------------------------------------------


def _number(value: float) -> str:
    if not math.isfinite(value):
        raise InvalidArgument(f"{value} is not a coordinate a camera can take.")
    return repr(float(value))


def _points_into(parent: etree._Element, points: tuple[Point, ...]) -> etree._Element:
    for x, y in points:
        etree.SubElement(parent, f"{{{TT}}}Point", x=_number(x), y=_number(y))
    return parent


def _tt(name: str, **attrs: str) -> etree._Element:
    return etree.Element(f"{{{TT}}}{name}", attrs, nsmap={"tt": TT})


def write_element(value: ElementValue, item_type: str = "") -> etree._Element:
    """`value` as the element of an ElementItem (of a rule or module of `item_type`)."""
    if isinstance(value, Polyline):
        return _points_into(_tt("Polyline"), value.points)
    if isinstance(value, Polygon):
        if item_type in POLYGON_CONFIGURATION_TYPES:
            root = _tt("PolygonConfiguration")
            _points_into(etree.SubElement(root, f"{{{TT}}}Polygon"), value.points)
            return root
        return _points_into(_tt("Polygon"), value.points)
    if isinstance(value, PolylineArray):
        root = _tt("PolylineArrayConfiguration")
        lines = etree.SubElement(root, f"{{{TT}}}PolylineArray")
        for line in value.lines:
            _points_into(etree.SubElement(lines, f"{{{TT}}}Segment"), line)
        return root
    if isinstance(value, CellLayout):
        root = _tt("CellLayout", Columns=str(value.columns), Rows=str(value.rows))
        move = etree.SubElement(root, f"{{{TT}}}Transformation")
        for name, (x, y) in (("Translate", value.translate), ("Scale", value.scale)):
            etree.SubElement(move, f"{{{TT}}}{name}", x=_number(x), y=_number(y))
        return root
    if isinstance(value, MotionRegion):
        root = etree.Element(f"{{{AXT}}}MotionRegionConfig", nsmap={"axt": AXT, "tt": TT})
        root.set("Armed", "true" if value.armed else "false")
        if value.sensitivity is not None:
            root.set("Sensitivity", _number(value.sensitivity))
        if value.polygon:
            _points_into(etree.SubElement(root, f"{{{TT}}}Polygon"), value.polygon)
        if value.preset:
            etree.SubElement(root, f"{{{AXT}}}PresetToken").text = value.preset
        return root
    if isinstance(value, MotionExpression):
        root = _tt("MotionExpressionConfiguration")
        inner = etree.SubElement(root, f"{{{TT}}}MotionExpression")
        try:
            etree.SubElement(inner, f"{{{TT}}}Expression").text = value.expression
            if value.dialect:
                inner.set("Type", value.dialect)
        except ValueError:  # control characters, which XML cannot carry
            raise InvalidArgument(
                "A motion expression holds characters XML cannot carry."
            ) from None
        return root
    try:
        return etree.fromstring(value.xml.encode(), _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        raise InvalidArgument(
            f"A parameter kept as XML is not well-formed XML: {value.xml[:80]!r}."
        ) from None


def write_item(item: AnalyticsItem) -> tuple[dict[str, Any], dict[str, str]]:
    """A tt:Config for zeep (element items as lxml elements), and the namespace prefixes
    its Type needs declared in the envelope."""
    type_text, prefixes = write_qname(item.type)
    parameters = {
        "SimpleItem": [{"Name": k, "Value": str(v)} for k, v in item.simple.items()],
        "ElementItem": [
            {"Name": k, "_value_1": write_element(v, item.type)} for k, v in item.elements.items()
        ],
    }
    return {"Name": item.name, "Type": type_text, "Parameters": parameters}, prefixes
