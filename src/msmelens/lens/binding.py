"""Stage ``binding``: binding (a mandatory obligation with concrete content) or soft (best endeavour).

A provision is binding when at least one modal obligation ("shall" + a concrete verb, "must", Spanish "deberá",
a future-tense obligation such as "publicará", French "doit", "s'engagent à", a future or present-indicative
obligation) is not softened; the softeners are "shall endeavour / seek / cooperate / promote / encourage /
facilitate...", "may", "should", "recognise", "strive" and their Spanish/French equivalents. Boiler-plate
"shall apply / mean / not be subject to dispute settlement" is ignored.
"""

from __future__ import annotations

import re

from msmelens.lens.provision import Provision

_EN_SOFT_VERBS = (
    r"endeavou?r|seek|strive|try|aim|cooperate|co-operate|collaborate|promote|encourage|consider|explore|examine"
    r"|study|facilitate|foster|support|work|make\s+(?:every|best|all)|use\s+(?:its|their)\s+best|recogni[sz]e"
    r"|take\s+into\s+account|bear|identify|enhance|strengthen|develop|pursue|continue|contribute|intensify"
    r"|jointly|mutually|increase|improve|expand|focus|concentrate|involve|cover|include|comprise|consist|have"
    r"|undertake\s+to\s+(?:promote|cooperate|encourage)"
    r"|be\s+(?:encouraged|promoted|extended|aimed|directed|focused|oriented|developed|based|conducted|carried"
    r"|implemented|undertaken|pursued|strengthened|enhanced|expanded|fostered|facilitated|considered"
    r"|explored|guided|to|the|a|an|as|in|of|for)"
)
_EN_IGNORED_VERBS = (
    r"apply|mean|be\s+construed|be\s+deemed|enter|have\s+the\s+meaning|be\s+subject|not\s+apply"
    r"|not\s+be\s+construed|not\s+affect|not\s+prevent|not\s+have\s+recourse|not\s+be\s+subject|prevail"
    r"|be\s+interpreted|not\s+prejudice|be\s+without\s+prejudice|remain|be\s+governed|not\s+be\s+considered"
)
_EN_HEDGE = (
    r"(?:,?\s*(?:where|when|as)\s+appropriate|,?\s*to\s+the\s+(?:greatest\s+)?extent\s+(?:possible|practicable)"
    r"|,?\s*as\s+far\s+as\s+possible|,?\s*if\s+(?:possible|appropriate)|,?\s*subject\s+to\s+(?:available|their)"
    r"\s+[a-z]+)"
)
EN_SHALL = re.compile(
    r"\b(?:shall|must|(?<!may )(?<!can )agree\s+to|undertake\s+to|are\s+required\s+to|is\s+required\s+to)\b"
    rf"(?P<hedge>{_EN_HEDGE}[^,]*,)?(?:\s*,[^,;:]{{1,60}},)?\s*(?::\s*(?:\(?[a-z0-9]{{1,4}}[).]\s*)?)?"
    r"(?:(?:also|further|each|both|promptly|[a-z]+ly)\s+)?"
    rf"(?:(?P<soft>{_EN_SOFT_VERBS})\b|(?P<ignored>{_EN_IGNORED_VERBS})\b|(?P<other>[a-z]+))"
)
_EN_PROHIBITION = re.compile(
    r"\b(?:no\s+(?:party|member|state|contracting\s+party)\s+(?:may|shall)|may\s+not)\b"
    r"(?!\s+(?:have\s+recourse|be\s+subject|be\s+construed))"
)
_EN_SOFT_ONLY = re.compile(r"\b(?:may|should|recogni[sz]e|encourage|promote|strive)\b")


def _binding_en(p: Provision) -> list[tuple[int, int, str]]:
    out = []
    for m in EN_SHALL.finditer(p.norm):
        if m.group("ignored"):
            continue
        kind = "soft" if (m.group("soft") or m.group("hedge")) else "binding"
        out.append((m.start(), m.end(), kind))
    for m in _EN_PROHIBITION.finditer(p.norm):
        out.append((m.start(), m.end(), "binding"))
    for m in _EN_SOFT_ONLY.finditer(p.norm):
        out.append((m.start(), m.end(), "soft"))
    return out


_ES_SOFT_STEMS = (
    r"procurar|podr|promover|fomentar|alentar|estimular|cooperar|colaborar|facilitar|apoyar|impulsar|buscar"
    r"|considerar|esforzar|fortalecer|desarrollar|incentivar|propiciar|contribuir|tratar|examinar"
    r"|explorar|identificar|mejorar|trabajar|reconocer|incrementar|coordinar|realizar|tomar|tener|concentrar"
)
_ES_IGNORED_STEMS = (
    r"aplicar|entrar|significar|incluir|interpretar|entender|regir|prevalecer|afectar|constituir|ser|estar"
)
ES_OBLIG = re.compile(
    r"\b(?:(?P<modal>deber[áa]n?|se\s+comprometen?\s+a|est[áa]n?\s+obligad[ao]s?|no\s+podr[áa]n?)"
    r"|(?P<verb>[a-záéíóúñ]+?)(?:ar|er|ir)(?:á|án)(?:se)?)\b"
)
_ES_BEST_EFFORT = re.compile(r"\s+(?:sus|todos\s+los)\s+(?:mejores\s+)?esfuerzos")
_ES_SOFT = re.compile(rf"^(?:{_ES_SOFT_STEMS})")
_ES_IGNORED = re.compile(rf"^(?:{_ES_IGNORED_STEMS})$")

_FR_SOFT = (
    r"s'efforc|peut|peuvent|pourr|encourag|favoris|promeu|promouv|coopér|reconnai|facilit|appui|soutien|examin"
    r"|explor|renforc|développ|contribu|cherch"
)
FR_OBLIG = re.compile(
    r"\b(?:doi(?:t|vent)|s'engagen?t?\s+à|(?:est|sont)\s+tenue?s?\s+de|veille(?:nt)?\s+à"
    r"|(?P<fut>[a-zéèêàâîôûç']+?)(?:era|eront|ira|iront|ra|ront))\b"
)
_FR_SOFT_RE = re.compile(rf"^(?:{_FR_SOFT})")
# French states obligations in the present indicative: "Chaque Partie publie ...", "Les Parties établissent ...".
_FR_PRESENT = re.compile(
    r"\b(?:chaque partie|les parties|chaque état membre|les états membres|chaque membre|les membres"
    r"|la partie importatrice"
    r"|la partie exportatrice|l'autorité compétente)\s+(?:(?:contractante|concernée)s?\s+)?"
    r"(?:(?P<neg>ne|n')\s*)?"
    r"(?P<verb>publient|publie|établissent|établit|accordent|accorde|mettent|met|rendent|rend|désignent|désigne"
    r"|notifient|notifie|prévoient|prévoit|adoptent|adopte|maintiennent|maintient|assurent|assure|garantissent"
    r"|garantit|autorisent|autorise|acceptent|accepte|exigent|exige|délivrent|délivre|répondent|répond"
    r"|fournissent|fournit|informent|informe|appliquent|applique|prennent|prend|s'abstiennent|s'abstient)\b"
)
_FR_SOFT_ONLY = re.compile(r"\b(?:s'efforcent|s'efforce|s'efforceront|s'efforcera|peuvent|peut|encouragent|reconnaissent|favorisent)\b")
_FR_IGNORED = re.compile(r"^(?:appliqu|entr|s'appliqu|ser|aur|s'entend|signifi|inclu|pr[ée]vaud)")


def _binding_es(p: Provision) -> list[tuple[int, int, str]]:
    out = []
    for m in ES_OBLIG.finditer(p.norm):
        if m.group("modal"):
            out.append((m.start(), m.end(), "binding"))
            continue
        if _ES_BEST_EFFORT.match(p.norm, m.end()):
            out.append((m.start(), m.end(), "soft"))
            continue
        stem = m.group("verb") + m.group(0)[len(m.group("verb")) : len(m.group("verb")) + 2]
        if _ES_IGNORED.match(stem):
            continue
        out.append((m.start(), m.end(), "soft" if _ES_SOFT.match(stem) else "binding"))
    return out


def _binding_fr(p: Provision) -> list[tuple[int, int, str]]:
    out = []
    for m in FR_OBLIG.finditer(p.norm):
        fut = m.group("fut")
        if fut is None:
            out.append((m.start(), m.end(), "binding"))
            continue
        if len(fut) < 3 or _FR_IGNORED.match(fut):
            continue
        out.append((m.start(), m.end(), "soft" if _FR_SOFT_RE.match(fut) else "binding"))
    for m in _FR_PRESENT.finditer(p.norm):
        out.append((m.start("verb"), m.end("verb"), "binding"))
    for m in _FR_SOFT_ONLY.finditer(p.norm):
        out.append((m.start(), m.end(), "soft"))
    return out


_BY_LANG = {"en": _binding_en, "es": _binding_es, "fr": _binding_fr}


def binding(p: Provision) -> None:
    """Set ``p.binding`` for relevant provisions and record the modal spans as evidence."""
    if p.relevance == "none":
        p.binding = None
        return
    finder = _BY_LANG.get(p.language, _binding_en)
    found = finder(p)
    strong = [f for f in found if f[2] == "binding"]
    p.binding = "binding" if strong else "soft"
    for start, end, kind in strong or found:
        p.add_evidence(p.orig(start), p.orig(end), kind)
