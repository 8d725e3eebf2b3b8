"""The pure Beyond-the-WTO comparison (msmelens.lens.wto_topics) on a small corpus with known answers, and its
definitions one by one on single provisions. No database."""

from __future__ import annotations

import pytest
from tests.wto.corpus import BASELINE, FINDINGS, REGIONAL_FILES, WTO_DIR

from msmelens.corpus.readers import read_path
from msmelens.corpus.wto_reader import read_wto_file
from msmelens.lens import analyze
from msmelens.lens import wto_topics as w


def _facts(document, wto_key: str = "") -> list[w.ProvisionFacts]:
    return [
        w.ProvisionFacts(
            agreement_id=document.id,
            provision_id=r.provision_id,
            text=r.text,
            language=r.language,
            relevance=r.relevance,
            binding=r.binding,
            wto_key=wto_key,
            year=document.meta.year_signed,
        )
        for r in analyze(document)
    ]


@pytest.fixture(scope="module")
def corpus() -> tuple[list[w.ProvisionFacts], list[w.ProvisionFacts]]:
    wto = _facts(read_wto_file(WTO_DIR / "tfa.en.txt"), "tfa") + _facts(read_wto_file(WTO_DIR / "tbt.en.txt"), "tbt")
    regional = [p for f in REGIONAL_FILES for p in _facts(read_path(f))]
    return wto, regional


def test_the_fixture_corpus_gives_the_hand_checked_answers(corpus) -> None:
    wto, regional = corpus
    results = {c.topic.key: c for c in w.compare(wto, regional, imported={"tfa", "tbt"})}
    assert list(results) == list(w.TOPIC_KEYS)
    assert {k: c.baseline.level for k, c in results.items()} == BASELINE
    for key, expected in FINDINGS.items():
        got = {f.provision.provision_id: (f.reasons, f.new_instruments) for f in results[key].findings}
        assert got == expected, key


def test_baselines_record_their_wto_provisions_and_instruments(corpus) -> None:
    wto, _ = corpus
    by_key = {c.topic.key: c.baseline for c in w.compare(wto, [], imported={"tfa", "tbt"})}
    assert [p.provision_id for p in by_key["authorised_operators"].provisions] == ["wto-tfa-en-c1-a7"]
    assert by_key["authorised_operators"].instruments == ["mutual_recognition"]
    assert by_key["publication"].instruments == ["internet"]
    # publication: the TFA article and the TBT enquiry-point article
    assert {p.wto_key for p in by_key["publication"].provisions} == {"tfa", "tbt"}
    assert not any(b.sme for b in by_key.values())


def test_counts_by_year_and_reason_count_agreements(corpus) -> None:
    wto, regional = corpus
    rulings = next(c for c in w.compare(wto, regional, imported={"tfa", "tbt"}) if c.topic.key == "advance_rulings")
    assert rulings.by_year() == {2015: 1, 2019: 1}
    assert rulings.reason_counts() == {"binding": 1, "sme": 0, "instrument": 2}
    assert rulings.agreements_beyond() == ["tota-9901", "tota-9903"]


def test_without_the_wto_text_nothing_goes_beyond(corpus) -> None:
    _, regional = corpus
    for c in w.compare([], regional, imported=set()):
        assert c.baseline.level == "not_compared"
        assert c.beyond == []


def _regional(text: str, relevance: str = "implicit", binding: str | None = None) -> w.ProvisionFacts:
    return w.ProvisionFacts("r", "r-1", text, language="en", relevance=relevance, binding=binding)


def _wto(text: str, key: str = "tfa", relevance: str = "implicit", binding: str | None = None) -> w.ProvisionFacts:
    return w.ProvisionFacts("wto-tfa-en", "wto-1", text, language="en", relevance=relevance, binding=binding,
                            wto_key=key)


def test_binding_beyond_needs_every_wto_provision_soft() -> None:
    t = w.topic("single_window")
    soft = w.baseline(t, [_wto("Members shall endeavour to establish a single window.")], {"tfa"})
    hard = w.baseline(t, [_wto("Members shall endeavour to establish a single window."),
                          _wto("Each Member shall operate a single window.")], {"tfa"})
    regional = _regional("Each Party shall establish a single window.")
    assert (soft.level, hard.level) == ("soft", "binding")
    assert w.judge(t, soft, regional).reasons == ["binding"]
    assert w.judge(t, hard, regional).reasons == []


def test_sme_beyond_needs_the_wto_silent_on_smes() -> None:
    t = w.topic("advance_rulings")
    silent = w.baseline(t, [_wto("Each Member shall issue an advance ruling.")], {"tfa"})
    naming = w.baseline(t, [_wto("Each Member shall issue an advance ruling, in particular to small and "
                                 "medium-sized enterprises.", relevance="explicit", binding="binding")], {"tfa"})
    regional = _regional("Each Party shall issue advance rulings to SMEs.", relevance="explicit", binding="binding")
    assert w.judge(t, silent, regional).reasons == ["sme"]
    assert w.judge(t, naming, regional).reasons == []


def test_instrument_beyond_and_the_absent_topic() -> None:
    t = w.topic("ecommerce")
    absent = w.baseline(t, [_wto("Each Member shall publish its measures.", key="gats")], {"gats"})
    assert absent.level == "absent"
    finding = w.judge(t, absent, _regional("The Parties shall endeavour to promote paperless trading in "
                                           "electronic commerce."))
    assert finding.reasons == ["instrument"]
    assert finding.new_instruments == [w.TOPIC_ITSELF, "paperless"]


def test_a_wto_provision_of_another_agreement_is_not_the_baseline() -> None:
    t = w.topic("advance_rulings")
    base = w.baseline(t, [_wto("Each Member shall issue an advance ruling.", key="tbt")], {"tfa", "tbt"})
    assert base.compared and not base.present


def test_terms_match_whole_words_in_three_languages() -> None:
    assert w.on_topics("Cada Parte establecerá una ventanilla única.") == ["single_window"]
    assert w.on_topics("Chaque Partie délivre des décisions anticipées.") == ["advance_rulings"]
    assert w.on_topics("the single windowsill") == ["single_window"]  # "single window*" is a prefix term
    assert w.on_topics("an advanced ruling class") == []  # "advance ruling*": "advanced" is another word
    assert w.on_topics("Decisions shall be issued within 30 days.") == []  # an instrument term alone
    assert w.instruments_in("advance rulings within 1,000 days", w.topic("advance_rulings")) == ["deadline"]


def test_definitions_are_on_no_topic() -> None:
    text = ("Article 4 Definitions For the purposes of this Chapter: advance ruling means a decision; single "
            "window means a facility.")
    assert w.on_topics(text) == []
    assert w.on_topics("Each Party shall issue an advance ruling; advance ruling means a decision.") == [
        "advance_rulings"
    ]


def test_binding_of_uses_the_lens_stage_on_any_text() -> None:
    assert w.binding_of("Each Member shall issue an advance ruling.") == "binding"
    assert w.binding_of("Members are encouraged to provide advance rulings.") == "soft"
    assert w.effective_binding(_regional("Each Party shall issue it.", relevance="implicit", binding="soft")) == "soft"


def test_unknown_topic_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="advance_rulings"):
        w.topic("nope")


def test_the_fast_pre_check_never_drops_a_provision_on_a_topic() -> None:
    for t in w.TOPICS:
        for term in t.terms:
            text = "Each Party shall maintain " + term.rstrip("*").replace("<n>", "30") + " for traders."
            assert w.on_topics(text, [t]) == [t.key], term
            assert w.might_be_on_topic(text), term
            assert w.might_be_on_topic(text.upper().replace("'", "’")), term
    assert not w.might_be_on_topic("The Parties shall cooperate on tariffs and quotas.")


def test_bindingness_is_judged_on_the_sentences_on_the_topic() -> None:
    article = ("1. Members shall endeavour to establish or maintain a single window. 2. Each Member shall accept "
               "paper or electronic copies of supporting documents.")
    assert w.segments(article) == [
        "Members shall endeavour to establish or maintain a single window.",
        "Each Member shall accept paper or electronic copies of supporting documents.",
    ]
    mixed = _wto(article, relevance="implicit", binding="binding")  # the lens: binding, for the whole article
    assert w.topic_binding(w.topic("single_window"), mixed) == "soft"
    base = w.baseline(w.topic("single_window"), [mixed], {"tfa"})
    assert base.level == "soft"
    # every sentence on the topic: the provision's own label (a curator's correction included) stands
    whole = _regional("Each Party shall endeavour to run a single window.", relevance="implicit", binding="binding")
    assert w.topic_binding(w.topic("single_window"), whole) == "binding"
