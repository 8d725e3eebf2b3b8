"""Write the default instrument, msme-trade-obstacles, as an XLSForm (English, French, Spanish).

The workbook ``src/msmelens/feedback/instrument/msme_trade_obstacles.xlsx`` is what ships and what pyxform
converts; this script is its readable source. Run it after changing a question; a test checks that the
shipped workbook matches this source.

    python scripts/build_default_instrument.py [OUTPUT.xlsx]

Question names are a contract (exports, the API and the results rely on them): add, never rename.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pycountry
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from msmelens.countries.names import country_name  # noqa: E402  (pure Python, no Django)

OUTPUT = ROOT / "src" / "msmelens" / "feedback" / "instrument" / "msme_trade_obstacles.xlsx"
LANGS = ("English (en)", "Français (fr)", "Español (es)")
VERSION = "2026120702"
TITLES = ("Obstacles to trade for small businesses", "Obstacles au commerce des petites entreprises",
          "Obstáculos al comercio de las pequeñas empresas")

# (list_name, name, en, fr, es)
CHOICES: list[tuple[str, str, str, str, str]] = []


def choices(list_name: str, rows: list[tuple[str, str, str, str]]) -> None:
    CHOICES.extend((list_name, *row) for row in rows)


choices("yes_no", [("yes", "Yes", "Oui", "Sí"), ("no", "No", "Non", "No")])
choices("yes_partly_no", [
    ("yes", "Yes", "Oui", "Sí"),
    ("partly", "Partly", "En partie", "En parte"),
    ("no", "No", "Non", "No"),
    ("dont_know", "I don't know", "Je ne sais pas", "No lo sé"),
])
choices("gender", [
    ("female", "Female", "Femme", "Mujer"),
    ("male", "Male", "Homme", "Hombre"),
    ("other", "Other", "Autre", "Otro"),
    ("no_answer", "Prefer not to say", "Je préfère ne pas répondre", "Prefiero no responder"),
])
choices("location", [("urban", "Urban", "Urbaine", "Urbana"), ("rural", "Rural", "Rurale", "Rural")])
choices("severity", [
    ("0", "0 – No obstacle", "0 – Aucun obstacle", "0 – Ningún obstáculo"),
    ("1", "1 – Minor obstacle", "1 – Obstacle mineur", "1 – Obstáculo menor"),
    ("2", "2 – Moderate obstacle", "2 – Obstacle modéré", "2 – Obstáculo moderado"),
    ("3", "3 – Major obstacle", "3 – Obstacle majeur", "3 – Obstáculo grave"),
    ("4", "4 – Very severe obstacle", "4 – Obstacle très sévère", "4 – Obstáculo muy grave"),
    ("dk", "Don't know / does not apply", "Ne sait pas / sans objet", "No sabe / no aplica"),
])
choices("level", [
    ("none", "None", "Aucune", "Ninguna"),
    ("basic", "Basic", "De base", "Básica"),
    ("good", "Good", "Bonne", "Buena"),
])
CATEGORY_LABELS = {
    "skills": ("Skills and know-how", "Compétences et savoir-faire", "Habilidades y conocimientos"),
    "market_information": ("Information on foreign markets and their rules",
                           "Information sur les marchés étrangers et leurs règles",
                           "Información sobre mercados extranjeros y sus reglas"),
    "border_procedures": ("Customs and border procedures", "Douane et procédures à la frontière",
                          "Aduanas y procedimientos en frontera"),
    "finance": ("Access to finance and payments", "Accès au financement et aux paiements",
                "Acceso a financiamiento y pagos"),
    "digital": ("Digital trade and e-commerce", "Commerce numérique et électronique",
                "Comercio digital y electrónico"),
    "infrastructure": ("Transport and infrastructure", "Transport et infrastructures",
                       "Transporte e infraestructura"),
    "regulatory_framework": ("Regulations, standards and licences", "Réglementations, normes et licences",
                             "Reglamentos, normas y licencias"),
    "dialogue_and_data": ("Being heard by government", "Être entendu par les pouvoirs publics",
                          "Ser escuchado por el gobierno"),
}
choices("category", [(key, *labels) for key, labels in CATEGORY_LABELS.items()])
choices("sme_provisions", [
    ("sme_chapter", "A chapter on small businesses", "Un chapitre sur les petites entreprises",
     "Un capítulo sobre pequeñas empresas"),
    ("sme_website", "A website with information for small businesses",
     "Un site web d'information pour les petites entreprises",
     "Un sitio web con información para pequeñas empresas"),
    ("contact_point", "A contact point for small businesses", "Un point de contact pour les petites entreprises",
     "Un punto de contacto para pequeñas empresas"),
    ("advance_rulings", "Advance rulings from customs", "Des décisions anticipées de la douane",
     "Resoluciones anticipadas de aduanas"),
    ("de_minimis", "No duties on low-value shipments", "Pas de droits sur les envois de faible valeur",
     "Sin aranceles para envíos de bajo valor"),
    ("none", "None of these", "Aucune de celles-ci", "Ninguna de estas"),
])
ISIC = [
    ("A", "Agriculture, forestry and fishing", "Agriculture, sylviculture et pêche",
     "Agricultura, silvicultura y pesca"),
    ("B", "Mining and quarrying", "Industries extractives", "Explotación de minas y canteras"),
    ("C", "Manufacturing", "Industrie manufacturière", "Industrias manufactureras"),
    ("D", "Electricity, gas, steam and air conditioning", "Électricité, gaz, vapeur et climatisation",
     "Suministro de electricidad, gas, vapor y aire acondicionado"),
    ("E", "Water supply, sewerage and waste", "Eau, assainissement et déchets",
     "Suministro de agua, alcantarillado y desechos"),
    ("F", "Construction", "Construction", "Construcción"),
    ("G", "Wholesale and retail trade", "Commerce de gros et de détail", "Comercio al por mayor y al por menor"),
    ("H", "Transportation and storage", "Transport et entreposage", "Transporte y almacenamiento"),
    ("I", "Accommodation and food services", "Hébergement et restauration",
     "Alojamiento y servicios de comidas"),
    ("J", "Information and communication", "Information et communication", "Información y comunicaciones"),
    ("K", "Financial and insurance activities", "Activités financières et d'assurance",
     "Actividades financieras y de seguros"),
    ("L", "Real estate activities", "Activités immobilières", "Actividades inmobiliarias"),
    ("M", "Professional, scientific and technical activities", "Activités spécialisées, scientifiques et techniques",
     "Actividades profesionales, científicas y técnicas"),
    ("N", "Administrative and support services", "Activités de services administratifs et d'appui",
     "Actividades de servicios administrativos y de apoyo"),
    ("O", "Public administration and defence", "Administration publique et défense",
     "Administración pública y defensa"),
    ("P", "Education", "Enseignement", "Enseñanza"),
    ("Q", "Human health and social work", "Santé humaine et action sociale",
     "Atención de la salud humana y asistencia social"),
    ("R", "Arts, entertainment and recreation", "Arts, spectacles et loisirs",
     "Actividades artísticas, de entretenimiento y recreativas"),
    ("S", "Other service activities", "Autres activités de services", "Otras actividades de servicios"),
    ("T", "Households as employers", "Ménages en tant qu'employeurs", "Hogares como empleadores"),
    ("U", "Extraterritorial organizations", "Organisations extraterritoriales",
     "Organizaciones extraterritoriales"),
]
choices("isic_section", [(code, f"{code} – {en}", f"{code} – {fr}", f"{code} – {es}") for code, en, fr, es in ISIC])
COUNTRIES = sorted(
    (c.alpha_3 for c in pycountry.countries), key=lambda code: country_name(code, "en").casefold()
)
choices("country", [(code, country_name(code, "en"), country_name(code, "fr"), country_name(code, "es"))
                    for code in COUNTRIES])

# specific items under each category: (name, en, fr, es)
ITEMS: dict[str, list[tuple[str, str, str, str]]] = {
    "skills": [
        ("item_skills_staff", "Finding staff with the skills to export",
         "Trouver du personnel ayant les compétences pour exporter",
         "Encontrar personal con habilidades para exportar"),
        ("item_skills_training", "Access to training on exporting", "Accès à des formations à l'exportation",
         "Acceso a capacitación para exportar"),
    ],
    "market_information": [
        ("item_info_requirements", "Finding the requirements of foreign markets",
         "Connaître les exigences des marchés étrangers", "Conocer los requisitos de los mercados extranjeros"),
        ("item_info_buyers", "Finding foreign buyers", "Trouver des acheteurs étrangers",
         "Encontrar compradores extranjeros"),
    ],
    "border_procedures": [
        ("item_customs_time", "Time to clear customs", "Délais de dédouanement", "Tiempo de despacho aduanero"),
        ("item_customs_documents", "Documents and fees at the border", "Documents et frais à la frontière",
         "Documentos y tasas en frontera"),
        ("item_rules_of_origin", "Proving the origin of goods", "Prouver l'origine des marchandises",
         "Demostrar el origen de las mercancías"),
    ],
    "finance": [
        ("item_trade_finance", "Getting trade finance (credit, guarantees, insurance)",
         "Obtenir un financement du commerce (crédit, garanties, assurance)",
         "Obtener financiamiento del comercio (crédito, garantías, seguros)"),
        ("item_payments", "Receiving and making cross-border payments",
         "Recevoir et effectuer des paiements transfrontaliers", "Recibir y hacer pagos transfronterizos"),
    ],
    "digital": [
        ("item_internet_quality", "Quality and cost of the internet", "Qualité et coût d'internet",
         "Calidad y costo de internet"),
        ("item_online_selling", "Selling online abroad (platforms, e-signatures, consumer rules)",
         "Vendre en ligne à l'étranger (plateformes, signatures électroniques, règles de consommation)",
         "Vender en línea en el extranjero (plataformas, firmas electrónicas, reglas de consumo)"),
    ],
    "infrastructure": [
        ("item_transport_costs", "Transport costs", "Coûts de transport", "Costos de transporte"),
        ("item_logistics", "Reliable logistics and storage", "Logistique et stockage fiables",
         "Logística y almacenamiento confiables"),
    ],
    "regulatory_framework": [
        ("item_certification_costs", "Costs of testing and certification", "Coûts des essais et de la certification",
         "Costos de ensayos y certificación"),
        ("item_licensing", "Getting licences and permits", "Obtenir licences et permis",
         "Obtener licencias y permisos"),
    ],
    "dialogue_and_data": [
        ("item_consultation", "Being consulted on new trade rules", "Être consulté sur les nouvelles règles commerciales",
         "Ser consultado sobre nuevas reglas comerciales"),
        ("item_government_answers", "Getting answers from government offices",
         "Obtenir des réponses des administrations", "Obtener respuestas de las oficinas de gobierno"),
    ],
}

# survey rows: dicts with keys type, name, label (3-tuple), hint, required, relevant, constraint,
# constraint_message (3-tuple), calculation, appearance
ROWS: list[dict[str, object]] = []


def row(type_: str, name: str = "", label: tuple[str, str, str] | None = None, **extra: object) -> None:
    ROWS.append({"type": type_, "name": name, "label": label, **extra})


def group(name: str, label: tuple[str, str, str], relevant: str = "") -> None:
    row("begin_group", name, label, appearance="field-list", relevant=relevant)


def end() -> None:
    row("end_group")


RATED = "${{{0}}} != '' and ${{{0}}} != '0' and ${{{0}}} != 'dk'"

row("start", "start")
row("end", "end")

group("firm", ("About your firm", "Votre entreprise", "Su empresa"))
row("select_one country", "country", ("In which country is your firm based?",
    "Dans quel pays votre entreprise est-elle établie ?", "¿En qué país está su empresa?"),
    required="yes", appearance="minimal")
row("select_one isic_section", "sector", ("What is your firm's main activity?",
    "Quelle est l'activité principale de votre entreprise ?", "¿Cuál es la actividad principal de su empresa?"),
    required="yes", appearance="minimal")
row("integer", "employees", ("How many people work in your firm, including you?",
    "Combien de personnes travaillent dans votre entreprise, vous compris ?",
    "¿Cuántas personas trabajan en su empresa, incluido usted?"),
    required="yes", constraint=". >= 0 and . <= 1000000",
    constraint_message=("Enter a whole number of people, 0 or more.", "Indiquez un nombre entier de personnes, 0 ou plus.",
                        "Indique un número entero de personas, 0 o más."))
row("calculate", "size_class", calculation=(
    "if(${employees} = '', '', if(${employees} < 10, 'micro', if(${employees} < 50, 'small', "
    "if(${employees} < 250, 'medium', 'large'))))"))
row("integer", "year_started", ("In which year did your firm start?", "En quelle année votre entreprise a-t-elle démarré ?",
    "¿En qué año comenzó su empresa?"),
    constraint=". >= 1800 and . <= int(format-date(today(), '%Y'))",
    constraint_message=("Enter a year between 1800 and this year.", "Indiquez une année entre 1800 et cette année.",
                        "Indique un año entre 1800 y este año."))
end()

group("people", ("Who runs the firm", "Qui dirige l'entreprise", "Quién dirige la empresa"))
row("select_one gender", "owner_gender", ("The owner (or main owner) is:", "Le ou la propriétaire principal(e) est :",
    "El propietario (o principal propietario) es:"), required="yes")
row("select_one gender", "manager_gender", ("The top manager is:", "La personne qui dirige est :",
    "La persona que dirige es:"), required="yes")
row("select_one location", "location", ("Is your firm in a town or in the countryside?",
    "Votre entreprise est-elle en ville ou à la campagne ?", "¿Su empresa está en una ciudad o en el campo?"),
    required="yes")
end()

group("trade", ("Your trade", "Vos échanges", "Su comercio"))
row("select_one yes_no", "exporter", ("Does your firm sell goods or services abroad?",
    "Votre entreprise vend-elle des biens ou des services à l'étranger ?",
    "¿Su empresa vende bienes o servicios en el extranjero?"), required="yes")
row("select_one yes_no", "importer", ("Does your firm buy goods or services from abroad?",
    "Votre entreprise achète-t-elle des biens ou des services à l'étranger ?",
    "¿Su empresa compra bienes o servicios del extranjero?"), required="yes")
row("select_one yes_no", "online_sales", ("Does your firm sell online?", "Votre entreprise vend-elle en ligne ?",
    "¿Su empresa vende en línea?"), required="yes")
row("select_multiple country", "markets", ("Which foreign markets do you sell to, or want to reach?",
    "Sur quels marchés étrangers vendez-vous, ou voulez-vous vendre ?",
    "¿A qué mercados extranjeros vende o quiere llegar?"),
    hint=("Choose up to 10 countries.", "Choisissez jusqu'à 10 pays.", "Elija hasta 10 países."),
    constraint="count-selected(.) <= 10",
    constraint_message=("Choose at most 10 countries.", "Choisissez au plus 10 pays.", "Elija como máximo 10 países."),
    appearance="minimal")
end()

group("obstacles", ("How much does each of these hold back your trade?",
    "Dans quelle mesure chacun de ces points freine-t-il vos échanges ?",
    "¿Cuánto frena cada uno de estos puntos su comercio?"))
for key, labels in CATEGORY_LABELS.items():
    row("select_one severity", f"obstacle_{key}", labels, required="yes", appearance="minimal")
end()

for key, items in ITEMS.items():
    en, fr, es = CATEGORY_LABELS[key]
    group(f"items_{key}", (f"More about: {en}", f"Précisions : {fr}", f"Más detalles: {es}"),
          relevant=RATED.format(f"obstacle_{key}"))
    for name, ien, ifr, ies in items:
        row("select_one severity", name, (ien, ifr, ies), appearance="minimal")
    end()

group("biggest", ("The biggest obstacle", "Le principal obstacle", "El mayor obstáculo"))
row("select_one category", "biggest_obstacle", ("Which ONE of these is the biggest obstacle to your trade?",
    "Lequel de ces points est le PRINCIPAL obstacle à vos échanges ?",
    "¿Cuál de estos es el MAYOR obstáculo para su comercio?"), required="yes")
end()

group("agreements", ("Trade agreements", "Accords commerciaux", "Acuerdos comerciales"))
row("select_one yes_partly_no", "aware_agreements", (
    "Do you know which trade agreements your country has with your markets?",
    "Savez-vous quels accords commerciaux votre pays a conclus avec vos marchés ?",
    "¿Sabe qué acuerdos comerciales tiene su país con sus mercados?"), required="yes")
row("select_multiple sme_provisions", "aware_sme_provisions", (
    "Which of these provisions for small firms in those agreements do you know of?",
    "Lesquelles de ces dispositions pour les petites entreprises connaissez-vous dans ces accords ?",
    "¿Cuáles de estas disposiciones para pequeñas empresas conoce en esos acuerdos?"),
    relevant="${aware_agreements} = 'yes' or ${aware_agreements} = 'partly'",
    constraint="not(selected(., 'none') and count-selected(.) > 1)",
    constraint_message=("'None of these' cannot be combined with another answer.",
                        "« Aucune de celles-ci » ne peut pas être combinée avec une autre réponse.",
                        "«Ninguna de estas» no puede combinarse con otra respuesta."))
end()

group("digital_path", ("Your path into digital trade", "Votre parcours vers le commerce numérique",
      "Su camino hacia el comercio digital"))
row("select_one level", "digital_awareness", ("How well do you know what e-commerce and foreign online markets offer you?",
    "Connaissez-vous ce que le commerce électronique et les marchés en ligne étrangers peuvent vous apporter ?",
    "¿Conoce lo que el comercio electrónico y los mercados en línea extranjeros pueden ofrecerle?"), required="yes")
for name, en, fr, es in [
    ("skill_literacy", "Reading and writing in your work", "Lecture et écriture dans votre travail",
     "Lectura y escritura en su trabajo"),
    ("skill_ict", "Using computers, phones and the internet", "Utilisation d'ordinateurs, de téléphones et d'internet",
     "Uso de computadoras, teléfonos e internet"),
    ("skill_language", "Foreign languages", "Langues étrangères", "Idiomas extranjeros"),
    ("skill_business", "Business skills (pricing, contracts, marketing)",
     "Compétences commerciales (prix, contrats, marketing)", "Habilidades empresariales (precios, contratos, marketing)"),
    ("skill_social", "Networks and contacts abroad", "Réseaux et contacts à l'étranger", "Redes y contactos en el extranjero"),
]:
    row("select_one level", name, (f"Your firm's skills: {en}", f"Compétences de l'entreprise : {fr}",
        f"Habilidades de su empresa: {es}"), appearance="minimal")
row("select_one yes_partly_no", "digital_infrastructure", ("Is your internet access good enough to sell online?",
    "Votre accès à internet suffit-il pour vendre en ligne ?", "¿Su acceso a internet es suficiente para vender en línea?"))
row("select_one yes_partly_no", "digital_legal", (
    "Do the laws where you work support online trade (e-signatures, e-payments, consumer protection)?",
    "Les lois de votre pays permettent-elles le commerce en ligne (signature électronique, paiement électronique, "
    "protection des consommateurs) ?",
    "¿Las leyes de su país apoyan el comercio en línea (firma electrónica, pagos electrónicos, protección del "
    "consumidor)?"))
end()

group("closing", ("Last questions", "Dernières questions", "Últimas preguntas"))
row("text", "comment", ("Anything else you want policymakers to know?",
    "Autre chose que les décideurs devraient savoir ?", "¿Algo más que los responsables políticos deban saber?"),
    hint=("Please do not name people or firms.", "Merci de ne nommer ni personnes ni entreprises.",
          "Por favor no nombre personas ni empresas."), appearance="multiline",
    constraint="string-length(.) <= 2000",
    constraint_message=("Please keep it under 2,000 characters.", "Merci de rester sous 2 000 caractères.",
                        "Por favor, menos de 2.000 caracteres."))
row("select_one yes_no", "consent_followup", ("May we contact you to tell you what was done with your answers?",
    "Pouvons-nous vous recontacter pour vous dire ce qui a été fait de vos réponses ?",
    "¿Podemos contactarle para contarle qué se hizo con sus respuestas?"), required="yes")
row("text", "contact_email", ("Your e-mail address", "Votre adresse électronique", "Su correo electrónico"),
    relevant="${consent_followup} = 'yes'",
    constraint="regex(., '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$')",
    constraint_message=("This does not look like an e-mail address.", "Cette adresse électronique semble incorrecte.",
                        "Este correo electrónico no parece válido."))
row("text", "contact_phone", ("Your phone number (optional)", "Votre numéro de téléphone (facultatif)",
    "Su número de teléfono (opcional)"),
    relevant="${consent_followup} = 'yes'",
    constraint="regex(., '^[+0-9 ()-]{6,20}$')",
    constraint_message=("Use digits, spaces and + only.", "Utilisez des chiffres, des espaces et + seulement.",
                        "Use solo dígitos, espacios y +."))
end()

SURVEY_COLUMNS = ["type", "name", *[f"label::{lang}" for lang in LANGS], *[f"hint::{lang}" for lang in LANGS],
                  "required", "relevant", "constraint", *[f"constraint_message::{lang}" for lang in LANGS],
                  "calculation", "appearance"]


def survey_rows() -> list[list[str]]:
    out = []
    for item in ROWS:
        label = item.get("label") or ("", "", "")
        hint = item.get("hint") or ("", "", "")
        message = item.get("constraint_message") or ("", "", "")
        out.append([
            str(item["type"]), str(item.get("name", "")), *label, *hint,  # type: ignore[misc]
            str(item.get("required", "")), str(item.get("relevant", "")), str(item.get("constraint", "")),
            *message, str(item.get("calculation", "")), str(item.get("appearance", "")),  # type: ignore[misc]
        ])
    return out


def build(output: Path = OUTPUT) -> Path:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(SURVEY_COLUMNS)
    for values in survey_rows():
        survey.append(values)
    sheet = book.create_sheet("choices")
    sheet.append(["list_name", "name", *[f"label::{lang}" for lang in LANGS]])
    for values in CHOICES:
        sheet.append(list(values))
    settings = book.create_sheet("settings")
    # msmelens_title::<language> is MSME Lens's own column: pyxform has no translated title and leaves it
    settings.append(["form_id", "form_title", *[f"msmelens_title::{lang}" for lang in LANGS], "version",
                     "default_language", "instance_name"])
    settings.append(["msme_trade_obstacles", TITLES[0], *TITLES, VERSION, LANGS[0],
                     "concat(${country}, '-', ${sector}, '-', ${size_class})"])
    output.parent.mkdir(parents=True, exist_ok=True)
    # fixed timestamps so the same source gives the same bytes
    import datetime as dt

    book.properties.created = book.properties.modified = dt.datetime(2026, 12, 7)
    book.save(output)
    return output


if __name__ == "__main__":
    target = build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT)
    print(f"wrote {target}")
