"""openrosa_xml on its own: instance documents built from the default form's own XForm are read back into
answers by question name (groups flattened, select_multiple split, empty elements unanswered), hostile XML is
refused, and the form list and OpenRosaResponse documents have the shape the OpenRosa specs give."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

import pytest
from tests.feedback.conftest import valid_answers

from msmelens.feedback.answers import check_answers
from msmelens.feedback.formspec import FormSpec
from msmelens.feedback.openrosa_xml import (
    FormListItem,
    InstanceError,
    form_list_xml,
    instance_answers,
    read_instance,
    response_xml,
)
from msmelens.feedback.xlsform import ConvertedForm, convert_xlsform, default_instrument_path

XFORMS_NS = "http://www.w3.org/2002/xforms"
ORX_NS = "http://openrosa.org/xforms"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<data id="msme_trade_obstacles"><firm><country>&lol4;</country></firm>
<meta><instanceID>uuid:laughs</instanceID></meta></data>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE data [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<data id="msme_trade_obstacles"><closing><comment>&secret;</comment></closing>
<meta><instanceID>uuid:xxe</instanceID></meta></data>"""

PLAIN_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE data SYSTEM "http://example.org/evil.dtd">
<data id="msme_trade_obstacles"><meta><instanceID>uuid:dtd</instanceID></meta></data>"""


def build_instance(
    xform: str,
    answers: Mapping[str, Any],
    *,
    instance_id: str,
    deprecated_id: str = "",
    keep_namespace: bool = False,
) -> bytes:
    """An instance document as a data-collection app would submit it: the XForm's primary ``<instance>``
    template with ``answers`` filled in by question name (lists space-separated), ``meta/instanceID`` set,
    and ``meta/deprecatedID`` added for an edit. Without ``keep_namespace`` the elements carry no namespace
    (as ODK Collect sends them); with it they keep the XForms namespace of the template."""
    tree = ET.fromstring(xform)
    model = tree.find(f"{{http://www.w3.org/1999/xhtml}}head/{{{XFORMS_NS}}}model")
    assert model is not None
    primary = next(i for i in model.findall(f"{{{XFORMS_NS}}}instance") if i.get("id") is None)
    root = list(primary)[0]
    for element in root.iter():
        name = element.tag.rpartition("}")[2]
        if not keep_namespace:
            element.tag = name
        if len(element) == 0 and name in answers:
            value = answers[name]
            element.text = " ".join(map(str, value)) if isinstance(value, list) else str(value)
        elif name == "instanceID":
            element.text = instance_id
        elif name == "meta" and deprecated_id:
            tag = f"{{{XFORMS_NS}}}deprecatedID" if keep_namespace else "deprecatedID"
            ET.SubElement(element, tag).text = deprecated_id
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@pytest.fixture(scope="module")
def converted() -> ConvertedForm:
    path = default_instrument_path()
    return convert_xlsform(path.name, path.read_bytes())


@pytest.fixture(scope="module")
def spec(converted: ConvertedForm) -> FormSpec:
    return converted.spec


def test_instance_from_the_xform_reads_back_by_question_name(converted: ConvertedForm, spec: FormSpec) -> None:
    given = valid_answers(comment="Customs took 3 weeks")
    data = build_instance(converted.xform, given, instance_id="uuid:0001")
    instance = read_instance(data)
    assert (instance.form_id, instance.version) == ("msme_trade_obstacles", spec.version)
    assert (instance.instance_id, instance.deprecated_id) == ("uuid:0001", "")
    answers = instance.answers(spec)
    # groups flattened: firm/employees -> employees, trade/markets -> markets, closing/comment -> comment
    assert answers["employees"] == "12"
    assert answers["country"] == "PER"
    assert answers["markets"] == ["KOR", "NPL"]  # select_multiple arrives space-separated
    assert answers["aware_sme_provisions"] == ["sme_website"]
    assert answers["comment"] == "Customs took 3 weeks"
    # empty elements are unanswered, not empty strings: nothing for the untouched items, nor meta
    assert "item_payments" not in answers and "size_class" not in answers and "contact_email" not in answers
    assert "instanceID" not in answers and "instanceName" not in answers
    assert set(answers) == {k for k in given}
    # and the answers pass the same checks as every other channel
    checked = check_answers(spec, answers, strict=False)
    assert checked.ok, checked.problems
    assert checked.answers["employees"] == 12 and checked.answers["size_class"] == "small"


def test_namespaced_instance_and_orx_meta(converted: ConvertedForm, spec: FormSpec) -> None:
    data = build_instance(
        converted.xform, valid_answers(), instance_id="uuid:new", deprecated_id="uuid:old", keep_namespace=True
    )
    assert b'xmlns="http://www.w3.org/2002/xforms"' in data or b"ns0:" in data
    instance = read_instance(data)
    assert (instance.instance_id, instance.deprecated_id) == ("uuid:new", "uuid:old")
    assert instance.answers(spec)["markets"] == ["KOR", "NPL"]

    orx = (
        f'<data xmlns:orx="{ORX_NS}" id="f1" version="3"><a>1</a>'
        "<orx:meta><orx:instanceID>uuid:orx</orx:instanceID><orx:deprecatedID>uuid:before</orx:deprecatedID>"
        "</orx:meta></data>"
    ).encode()
    instance = read_instance(orx)
    assert (instance.form_id, instance.version, instance.instance_id, instance.deprecated_id) == (
        "f1",
        "3",
        "uuid:orx",
        "uuid:before",
    )
    assert instance.answers() == {"a": "1"}


def test_questions_moved_between_groups_are_found_by_name(spec: FormSpec) -> None:
    # an instance of an older layout: employees outside its group, country inside another one
    data = (
        b'<data id="msme_trade_obstacles" version="old"><employees>7</employees>'
        b"<other><country>KEN</country></other><trade><markets>UGA  TZA</markets></trade>"
        b"<meta><instanceID>uuid:moved</instanceID></meta></data>"
    )
    answers = read_instance(data).answers(spec)
    assert answers == {"employees": "7", "country": "KEN", "markets": ["UGA", "TZA"]}


def test_repeats_and_whitespace_only_answers_are_not_read(spec: FormSpec) -> None:
    data = (
        b'<data id="f"><firm><country>  </country><sector>C</sector></firm>'
        b"<visit><sector>A</sector></visit><visit><sector>B</sector></visit>"
        b"<meta><instanceID>uuid:r</instanceID></meta></data>"
    )
    root = read_instance(data).root
    assert instance_answers(root, spec) == {"sector": "C"}
    # without a form, repeated siblings (an undeclared repeat) are left out; the first leaf of a name wins
    assert instance_answers(root) == {"sector": "C"}


def test_instance_id_may_be_a_root_attribute_for_old_clients() -> None:
    instance = read_instance(b'<data id="f" instanceID="uuid:attr"><a>1</a></data>')
    assert instance.instance_id == "uuid:attr"


def test_deeply_nested_document_does_not_exhaust_the_stack() -> None:
    depth = 50_000
    data = b'<data id="f"><meta><instanceID>uuid:deep</instanceID></meta>' + b"<g>" * depth + b"x"
    data += b"</g>" * depth + b"</data>"
    assert read_instance(data).answers() == {"g": "x"}


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (BILLION_LAUGHS, "document type or entities"),
        (EXTERNAL_ENTITY, "document type or entities"),
        (PLAIN_DTD, "document type or entities"),
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not readable XML"),
        (b"name,country\nfirm,PER\n", "not readable XML (line 1, column 1)"),
        (b"<data id='f'><a>1</a>", "not readable XML"),
        (b"<data><meta><instanceID>uuid:1</instanceID></meta></data>", "has no id attribute"),
        (b'<data id="f"><meta><instanceID> </instanceID></meta></data>', "has no instance id"),
        (b'<data id="f"><a>1</a></data>', "has no instance id"),
    ],
)
def test_unusable_documents_are_refused_with_a_readable_message(payload: bytes, expected: str) -> None:
    with pytest.raises(InstanceError) as caught:
        read_instance(payload)
    assert expected in str(caught.value)


def test_form_list_document() -> None:
    items = [
        FormListItem("f1", "First & <best>", "2026120701", "0" * 32, "http://h/openrosa/forms/f1/form.xml"),
        FormListItem("f2", "Second", "1", "a" * 32, "http://h/openrosa/forms/f2/form.xml", "About it"),
    ]
    root = ET.fromstring(form_list_xml(items))
    ns = "{http://openrosa.org/xforms/xformsList}"
    assert root.tag == f"{ns}xforms"
    xforms = root.findall(f"{ns}xform")
    assert [x.findtext(f"{ns}formID") for x in xforms] == ["f1", "f2"]
    assert xforms[0].findtext(f"{ns}name") == "First & <best>"
    assert xforms[0].findtext(f"{ns}version") == "2026120701"
    assert xforms[0].findtext(f"{ns}hash") == "md5:" + "0" * 32
    assert xforms[0].findtext(f"{ns}downloadUrl") == "http://h/openrosa/forms/f1/form.xml"
    assert xforms[0].find(f"{ns}descriptionText") is None
    assert xforms[1].findtext(f"{ns}descriptionText") == "About it"
    assert ET.fromstring(form_list_xml([])).findall(f"{ns}xform") == []


def test_openrosa_response_document() -> None:
    ns = "{http://openrosa.org/http/response}"
    root = ET.fromstring(response_xml("Thank you", nature="submit_success"))
    assert root.tag == f"{ns}OpenRosaResponse"
    message = root.find(f"{ns}message")
    assert message is not None and message.get("nature") == "submit_success" and message.text == "Thank you"
    lines = ET.fromstring(response_xml(["first", "second <b>"])).find(f"{ns}message")
    assert lines is not None and lines.text == "first\nsecond <b>" and lines.get("nature") is None
