"""Each pipeline stage on its own, over the shared ``Provision`` working object."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from msmelens.lens.binding import binding
from msmelens.lens.committees import committees, score
from msmelens.lens.explicit import explicit
from msmelens.lens.language import detect_language
from msmelens.lens.matcher import match
from msmelens.lens.normalize import normalise, offset_map
from msmelens.lens.pipeline import STAGES, run
from msmelens.lens.provision import Provision
from msmelens.lens.topics import categories, relevance, topics


def _through(text: str, last: str, language: str = "en", heading: str = "") -> Provision:
    p = Provision(text=text, language=language, heading=heading)
    for name, stage in STAGES:
        stage(p)
        if name == last:
            break
    return p


def test_stage_order_is_the_documented_pipeline() -> None:
    assert [name for name, _ in STAGES] == [
        "match",
        "explicit",
        "topics",
        "relevance",
        "categories",
        "binding",
        "committees",
        "score",
    ]


def test_normalise_collapses_whitespace_and_unifies_dashes() -> None:
    assert normalise("  Small\u2013and\n\n Medium\tSized ") == "small-and medium sized"


@given(st.text(alphabet="ab \n\t-\u2013XY", max_size=40))
def test_offset_map_points_back_to_the_same_characters(text: str) -> None:
    norm = normalise(text)
    mapping = offset_map(text)
    for i, ch in enumerate(norm):
        j = mapping(i) if mapping else i
        original = text[j]
        assert ch == " " and original.isspace() or normalise(original) == ch


def test_match_finds_a_cue_split_by_a_line_break() -> None:
    p = Provision(text="Each Party shall provide for advance\n   rulings to exporters.", language="en")
    match(p)
    phrases = {c.phrase for c in p.cues}
    assert "advance ruling*" in phrases
    cue = next(c for c in p.cues if c.phrase == "advance ruling*")
    assert p.norm[cue.start : cue.end] == "advance rulings"


def test_match_respects_word_boundaries() -> None:
    p = Provision(text="The smelter's emissions shall be reported.", language="en")
    match(p)
    assert not any(c.kind == "size" for c in p.cues)


def test_match_skips_provisions_without_gate_cues() -> None:
    p = Provision(text="This Agreement shall be open for signature.", language="en")
    match(p)
    assert p.norm == "this agreement shall be open for signature." and p.cues == []


def test_explicit_sets_flag_and_evidence_quotes_the_text() -> None:
    text = "Cooperation shall benefit micro, small and medium-sized enterprises (MSMEs)."
    p = _through(text, "explicit")
    assert p.explicit
    spans = [e for e in p.evidence if e.supports == "explicit"]
    assert spans and all(text[e.start : e.end] == e.text for e in spans)
    assert any("enterprises" in e.text for e in spans)


def test_explicit_ignores_size_word_on_a_trailing_heading_line() -> None:
    p = _through(
        "Each Party shall notify the other Party.\nCHAPTER 12 SMALL AND MEDIUM ENTERPRISES", "explicit"
    )
    assert not p.explicit


def test_topics_sums_strong_and_exclusion_cues() -> None:
    p = _through("Each Party shall provide advance rulings and establish a single window.", "topics")
    assert p.topic_score == 6.0 and p.exclusion_score == 0.0
    q = _through(
        "For the purposes of this Chapter, advance ruling means a written decision.",
        "topics",
        heading="Article 5.1 Definitions",
    )
    assert q.exclusion_score >= 4.0


def test_relevance_implicit_and_none() -> None:
    assert _through("Each Party shall provide advance rulings.", "relevance").relevance == "implicit"
    p = _through(
        "Article 5.1 Definitions: advance ruling means a ruling.", "relevance", heading="Definitions"
    )
    assert p.relevance == "none"


def test_categories_only_for_relevant_provisions() -> None:
    p = _through(
        "Each Party shall establish a single window and accept paperless trade documents.", "categories"
    )
    assert p.relevance == "implicit"
    assert p.categories == ["border_procedures", "digital"]
    q = _through("The tariff schedule is in Annex 2.", "categories")
    assert q.categories == []


def test_binding_records_modal_evidence() -> None:
    text = "Each Party shall publish its customs procedures on the internet."
    p = _through(text, "binding")
    assert p.binding == "binding"
    ev = [e for e in p.evidence if e.supports == "binding"]
    assert ev and text[ev[0].start : ev[0].end] == ev[0].text and ev[0].text.startswith("shall")
    soft = _through("The Parties shall endeavour to publish customs procedures on the internet.", "binding")
    assert soft.binding == "soft"


def test_committees_map_topics_and_explicit() -> None:
    p = _through("Each Party shall provide advance rulings to SMEs.", "committees")
    assert "msme_iwg" in p.committees and "trade_facilitation" in p.committees
    q = _through(
        "Each Party shall adopt a framework for electronic commerce and electronic signatures.", "committees"
    )
    assert q.committees == ["ecommerce"]


def test_score_is_high_for_explicit_and_bounded() -> None:
    p = _through("The Parties shall support SMEs.", "score")
    assert p.score == 0.97
    q = run("Each Party shall publish its laws.", language="en")
    assert 0.0 <= q.score <= 1.0


def test_language_detection_for_text_without_metadata() -> None:
    assert (
        detect_language(normalise("Les Parties et les États membres pour le développement des PME")) == "fr"
    )
    assert detect_language(normalise("Las Partes y los Estados para el desarrollo de las empresas")) == "es"
    assert detect_language(normalise("The Parties shall cooperate with each other")) == "en"
    assert run("Las Partes cooperarán para el desarrollo de las PYMES.").relevance == "explicit"


def test_individual_stage_functions_are_importable() -> None:
    for stage in (match, explicit, topics, relevance, categories, binding, committees, score):
        assert callable(stage)


def test_definitions_article_and_vetoed_heading_are_never_implicit() -> None:
    text = (
        "For the purposes of this Chapter: (a) digital certificate means an electronic document used in "
        "electronic commerce; (b) electronic signature means data in electronic form."
    )
    p = _through(text, "relevance")
    assert p.topic_score >= 3 and p.relevance == "none"
    q = _through(
        "Each Party shall publish its customs procedures on the internet.",
        "relevance",
        heading="Article 1 Preamble",
    )
    assert q.relevance == "none"
    r = _through(
        "Each Party shall publish its customs procedures on the internet.",
        "relevance",
        heading="Article 1 Transparency",
    )
    assert r.relevance == "implicit"


def test_agree_to_binds_the_parties_but_not_a_permission_to_firms() -> None:
    bound = _through("The Parties agree to publish their customs procedures on the internet.", "binding")
    assert bound.binding == "binding"
    permitted = _through(
        "Exporters may agree to any payment terms, and the Parties shall endeavour to promote trade finance.",
        "binding",
    )
    assert permitted.binding == "soft"
    assert not [e for e in permitted.evidence if e.supports == "binding"]
