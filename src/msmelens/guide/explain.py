"""One plain sentence per provision: what it does for a small firm.

A provision's heading, then its text, is matched against :data:`FEATURES`, an ordered table of what agreements commonly do for small
firms (an SME website, a contact point, advance rulings, low-value shipments, electronic signatures...), each
with the words that announce it in English, Spanish and French (accents and case folded). The first feature
found gives the sentence; a provision matching none gets a sentence made from its labels (names small firms
or not, and its obstacle category). Binding or best endeavour is said in a second, short phrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from msmelens.corpus.stemming import fold
from msmelens.guide.assessment import OBSTACLE_LABELS


@dataclass(frozen=True, slots=True)
class Feature:
    key: str
    pattern: re.Pattern[str]
    sentence: Promise


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")")


FEATURES: tuple[Feature, ...] = (
    Feature("advance_rulings", _words(r"advance rulings?", r"resoluci\w* anticipad", r"decisions? anticipee"),
            gettext_lazy("Customs must give you, before you ship, a written answer on how your goods will be "
                         "classified, valued or treated for origin, and keep to it.")),
    Feature("de_minimis", _words(r"de minimis", r"low[- ]value (?:shipments?|goods|consignments?)",
                                 r"express (?:shipments?|consignments?)", r"envios? (?:de bajo valor|de entrega "
                                 r"rapida|urgentes?)", r"envois? (?:de faible valeur|express)"),
            gettext_lazy("Low-value and express shipments get simpler customs treatment: fewer documents and, "
                         "below a threshold, no duties.")),
    Feature("sme_website", _words(r"(?:publicly accessible )?website", r"sitio (?:web|de internet)",
                                  r"pagina (?:web|electronica)", r"site (?:web|internet)"),
            gettext_lazy("The countries must put the rules and information that firms need on a website, "
                         "free to consult.")),
    Feature("contact_point", _words(r"contact points?", r"puntos? de contacto", r"points? de contact",
                                    r"enquiry points?", r"puntos? de (?:informacion|consulta)",
                                    r"points? d'information"),
            gettext_lazy("Each country names a contact point that firms can ask about the agreement.")),
    Feature("e_signatures", _words(r"electronic (?:signatures?|authentication)", r"firmas? electronicas?",
                                   r"autenticacion electronica", r"signatures? electroniques?",
                                   r"authentification electronique"),
            gettext_lazy("Electronic signatures and online authentication are recognised, so you can sign "
                         "contracts and documents online.")),
    Feature("paperless", _words(r"paperless", r"single window", r"sin papel", r"ventanilla unica",
                                r"sans papier", r"guichet unique", r"electronic (?:form|copies|versions?) of"),
            gettext_lazy("Trade documents can be sent electronically, through one window, instead of on paper "
                         "to several offices.")),
    Feature("consumers", _words(r"consumer protection", r"proteccion (?:de los |al |del )?consumidor",
                                r"protection des consommateurs"),
            gettext_lazy("Buyers who order online are protected by clear rules, which helps them trust a "
                         "foreign seller like you.")),
    Feature("release", _words(r"release of goods", r"levante de (?:las )?mercancias", r"mainlevee"),
            gettext_lazy("Customs must release goods quickly, often within 48 hours of arrival.")),
    Feature("publication", _words(r"publication", r"publish", r"publicacion", r"publicar", r"publier"),
            gettext_lazy("The rules and procedures for trading must be published, so you can find them before "
                         "you ship.")),
    Feature("conformity", _words(r"conformity assessment", r"mutual recognition", r"evaluacion de la "
                                 r"conformidad", r"reconocimiento mutuo", r"evaluation de la conformite",
                                 r"reconnaissance mutuelle"),
            gettext_lazy("Tests and certificates from one country can be accepted by the other, so you may not "
                         "have to certify your product twice.")),
    Feature("procurement", _words(r"government procurement", r"public procurement", r"contratacion publica",
                                  r"compras publicas", r"marches publics"),
            gettext_lazy("Firms from the other country may bid for public contracts, with rules that make it "
                         "easier for small suppliers.")),
    Feature("finance", _words(r"access to (?:finance|credit|capital)", r"acceso al? (?:financiamiento|"
                              r"credito|capital)", r"acces au (?:financement|credit)", r"trade finance"),
            gettext_lazy("The countries will work to make credit and finance easier to get for small firms.")),
    Feature("committee", _words(r"committee", r"comite", r"dialogue", r"dialogo"),
            gettext_lazy("A committee or dialogue follows how the agreement works for small firms and can hear "
                         "from them.")),
    Feature("cooperation", _words(r"cooperat", r"training", r"capacitacion", r"formation", r"technical "
                                  r"assistance", r"asistencia tecnica", r"assistance technique"),
            gettext_lazy("The countries will cooperate to help firms like yours, for example through training, "
                         "information and trade promotion.")),
)


def feature_of(text: str) -> Feature | None:
    """The first feature of :data:`FEATURES` whose words occur in ``text`` (accents and case ignored), or None."""
    folded = fold(text or "")
    return next((f for f in FEATURES if f.pattern.search(folded)), None)


def explain(*, text: str, relevance: str, categories: list[str], title: str = "") -> tuple[str | None, str]:
    """``(feature key or None, one plain sentence)`` for a provision; its heading (``title``), when it names
    a feature, decides before the text does."""
    feature = feature_of(title) or feature_of(text)
    if feature is not None:
        return feature.key, str(feature.sentence)
    topic = str(OBSTACLE_LABELS.get(categories[0], "")) if categories else ""
    if relevance == "explicit":
        return None, _("It names small firms directly and deals with: %(topic)s.") % {"topic": topic.lower()}
    return None, _("It does not name small firms but eases an obstacle that weighs on them: %(topic)s.") % {
        "topic": topic.lower()
    }


def binding_text(binding: str | None) -> str:
    """Binding or best endeavour, in plain words."""
    if binding == "binding":
        return _("Binding: the countries must do it.")
    if binding == "soft":
        return _("Best endeavour: the countries promise to try.")
    return ""
