"""The XML of the OpenRosa channel, as pure functions: the form list, the OpenRosaResponse acknowledgement, and
the reading of a submitted instance document.

No database and no Django here, so that the views stay thin and the parsing can be tested on its own.
Submitted XML is untrusted: it is parsed with ``defusedxml`` with DTDs, entities and external references
forbidden (no billion laughs, no external entity reads), and walked without recursion so that a deeply
nested document cannot exhaust the stack. Element names are compared without their namespace: ODK Collect
submits the instance without one, Enketo may keep the XForms namespace, and older clients use ``orx:meta``.

Specs: OpenRosa Form List API (https://docs.getodk.org/openrosa-form-list/), Form Submission API
(https://docs.getodk.org/openrosa-form-submission/) and Metadata Schema (https://docs.getodk.org/openrosa-metadata/).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, ParseError, SubElement, tostring

import defusedxml
import defusedxml.ElementTree as safe_tree

from msmelens.feedback.formspec import FormSpec

FORM_LIST_NS = "http://openrosa.org/xforms/xformsList"
RESPONSE_NS = "http://openrosa.org/http/response"
META = "meta"


class InstanceError(ValueError):
    """A submitted document that is not a usable instance, with a message for the person submitting it."""


@dataclass(frozen=True, slots=True)
class FormListItem:
    """One ``<xform>`` of the form list."""

    form_id: str
    name: str
    version: str
    md5: str  # hex digest of the XForm; listed as "md5:<digest>"
    download_url: str  # absolute
    description: str = ""


@dataclass(slots=True)
class Instance:
    """A parsed instance document: its identity, and the element tree to read answers from."""

    form_id: str
    version: str
    instance_id: str
    deprecated_id: str
    root: Element = field(repr=False)

    def answers(self, spec: FormSpec | None = None) -> dict[str, Any]:
        """The answers by question name (see :func:`instance_answers`)."""
        return instance_answers(self.root, spec)


# --- building ---------------------------------------------------------------------------------------------


def _document(root: Element) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(
        root, encoding="utf-8", xml_declaration=False
    )


def form_list_xml(items: Iterable[FormListItem]) -> bytes:
    """``<xforms xmlns="http://openrosa.org/xforms/xformsList">`` with one ``<xform>`` per item, UTF-8."""
    root = Element("xforms", {"xmlns": FORM_LIST_NS})
    for item in items:
        xform = SubElement(root, "xform")
        SubElement(xform, "formID").text = item.form_id
        SubElement(xform, "name").text = item.name
        SubElement(xform, "version").text = item.version
        SubElement(xform, "hash").text = f"md5:{item.md5}"
        if item.description:
            SubElement(xform, "descriptionText").text = item.description
        SubElement(xform, "downloadUrl").text = item.download_url
    return _document(root)


def response_xml(messages: str | Iterable[str], *, nature: str = "") -> bytes:
    """``<OpenRosaResponse>`` with one ``<message>`` (lines joined by newlines): what ODK Collect shows the
    person who submitted. ``nature`` is "submit_success" for an accepted submission, else left out."""
    text = messages if isinstance(messages, str) else "\n".join(messages)
    root = Element("OpenRosaResponse", {"xmlns": RESPONSE_NS})
    message = SubElement(root, "message", {"nature": nature} if nature else {})
    message.text = text
    return _document(root)


# --- reading ----------------------------------------------------------------------------------------------


def local_name(tag: Any) -> str:
    """``{http://www.w3.org/2002/xforms}data`` → ``data``; comments and processing instructions → ""."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def _child(element: Element, name: str) -> Element | None:
    for child in element:
        if local_name(child.tag) == name:
            return child
    return None


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def read_instance(data: bytes) -> Instance:
    """Parse a submitted instance document and read its identity.

    The root element's ``id`` attribute is the form id (its namespace for very old forms without one),
    ``version`` the form version; ``meta/instanceID`` (``orx:meta`` too, or an ``instanceID`` attribute on
    the root for old clients) the submission's id, ``meta/deprecatedID`` the id of the submission it
    replaces (an edit). Raises :class:`InstanceError` for anything else."""
    if not data or not data.strip():
        raise InstanceError(
            "The submission is empty: it should be the form's XML file (xml_submission_file)."
        )
    try:
        root = safe_tree.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException:
        raise InstanceError(
            "The submitted XML declares a document type or entities, which are not accepted. Send the form's "
            "XML as the data-collection app produced it."
        ) from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise InstanceError(
            f"The submitted file is not readable XML (line {line}, column {column + 1}). Send the form's XML "
            "as the data-collection app produced it."
        ) from None
    except (ValueError, UnicodeError, RecursionError):
        raise InstanceError("The submitted file is not readable XML.") from None
    form_id = (root.get("id") or "").strip()
    if not form_id and str(root.tag).startswith("{"):
        form_id = str(root.tag)[1:].partition("}")[0].strip()
    if not form_id:
        raise InstanceError(
            f"The submitted XML does not say which form it answers: its first element <{local_name(root.tag)}> "
            "has no id attribute."
        )
    meta = _child(root, META)
    instance_id = _text(_child(meta, "instanceID")) if meta is not None else ""
    deprecated_id = _text(_child(meta, "deprecatedID")) if meta is not None else ""
    instance_id = instance_id or (root.get("instanceID") or "").strip()
    if not instance_id:
        raise InstanceError(
            f"The submission for form '{form_id[:100]}' has no instance id: the XML needs "
            "<meta><instanceID>uuid:…</instanceID></meta>."
        )
    return Instance(
        form_id=form_id,
        version=(root.get("version") or "").strip(),
        instance_id=instance_id,
        deprecated_id=deprecated_id,
        root=root,
    )


def _walk(root: Element, skip: frozenset[str]) -> Iterator[tuple[str, Element]]:
    """Every element below ``root`` with its path of local names ("grp/name"), depth first, in document
    order, without recursion. Subtrees named in ``skip`` (meta, repeats) are not entered."""
    stack: list[tuple[str, Element]] = [("", child) for child in reversed(list(root))]
    while stack:
        prefix, element = stack.pop()
        name = local_name(element.tag)
        if not name or name in skip:
            continue
        path = f"{prefix}/{name}" if prefix else name
        yield path, element
        stack.extend((path, child) for child in reversed(list(element)))


def _leaves(root: Element, skip: frozenset[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Leaf values by path and by name, in document order (the first path of a name wins). A path that
    occurs more than once is a repeat the form does not declare: left out of both."""
    values: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for path, element in _walk(root, skip):
        if len(element):
            continue
        counts[path] += 1
        values.setdefault(path, element.text or "")
    by_path = {path: value for path, value in values.items() if counts[path] == 1}
    by_name: dict[str, str] = {}
    for path, value in by_path.items():
        by_name.setdefault(path.rpartition("/")[2], value)
    return by_path, by_name


def instance_answers(root: Element, spec: FormSpec | None = None) -> dict[str, Any]:
    """The answers of an instance by question name, groups flattened.

    With ``spec`` each question is read at its own path (``firm/employees``), else by its name anywhere
    (an instance of another version of the form, with questions moved between groups); select_multiple
    answers become lists of choice names (they arrive space-separated). Empty elements are unanswered and
    left out. ``meta`` and repeats are not read: they stay in the raw XML kept with the response. Without
    ``spec`` every leaf is returned by its name, as text."""
    if spec is None:
        _by_path, by_name = _leaves(root, frozenset({META}))
        return {name: value for name, value in by_name.items() if value.strip()}
    repeats = frozenset(q.repeat for q in spec.questions if q.repeat)
    by_path, by_name = _leaves(root, frozenset({META}) | repeats)
    answers: dict[str, Any] = {}
    for question in spec.questions:
        if question.repeat:
            continue
        value = by_path.get(question.path) if question.path else None
        if value is None:
            value = by_name.get(question.name)
        if value is None or not value.strip():
            continue
        answers[question.name] = value.split() if question.type == "select_multiple" else value
    return answers
