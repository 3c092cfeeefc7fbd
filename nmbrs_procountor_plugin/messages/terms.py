"""Translated words that messages take as parameters (:class:`~.kinds.Term`).

A message that names "the ledger account" or "Cost Centers" takes the *key* (``ledger_account``,
``cost_center``) and the renderer puts in the word of the admin's language. Words stand in the
nominative, so templates use them as a subject, an object or a quoted label (Finnish: kenttä
”kirjanpitotili”), never in a case ending of their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

Words = Mapping[str, str]

LISTED_LINES: Final = 20
"""How many line numbers a message lists before it only counts the rest."""

MORE_LINES: Final[Words] = {"en": "{n} more", "nl": "{n} andere", "sv": "{n} till", "fi": "{n} muuta"}
"""The tail of a cut list of line numbers: "3, 4, … and 40 more"."""

TERMS: Final[Mapping[str, Mapping[str, Words]]] = {
    # A journal line's or a Procountor transaction's field, as the admin knows it.
    "field": {
        "ledger_account": {
            "en": "ledger account",
            "nl": "grootboekrekening",
            "sv": "bokföringskonto",
            "fi": "kirjanpitotili",
        },
        "amount": {"en": "amount", "nl": "bedrag", "sv": "belopp", "fi": "summa"},
        "description": {"en": "description", "nl": "omschrijving", "sv": "beskrivning", "fi": "selite"},
        "dimensions": {
            "en": "cost center or cost unit",
            "nl": "kostenplaats of kostendrager",
            "sv": "kostnadsställe eller kostnadsbärare",
            "fi": "kustannuspaikka tai -kohde",
        },
        "period": {"en": "period", "nl": "periode", "sv": "period", "fi": "jakso"},
        "vat_percent": {"en": "VAT percentage", "nl": "btw-percentage", "sv": "momssats", "fi": "ALV-prosentti"},
        "vat_status": {"en": "VAT status", "nl": "btw-status", "sv": "momsstatus", "fi": "ALV-tila"},
        "vat_type": {"en": "VAT type", "nl": "btw-soort", "sv": "momstyp", "fi": "ALV-tyyppi"},
        "receipt_date": {"en": "receipt date", "nl": "boekdatum", "sv": "verifikationsdatum", "fi": "tositepäivä"},
        "name": {
            "en": "receipt name",
            "nl": "naam van de boeking",
            "sv": "verifikationens namn",
            "fi": "tositteen nimi",
        },
        "transaction_description": {
            "en": "receipt description",
            "nl": "omschrijving van de boeking",
            "sv": "verifikationens beskrivning",
            "fi": "tositteen selite",
        },
        "notes": {"en": "notes", "nl": "notities", "sv": "anteckningar", "fi": "muistiinpanot"},
        "line": {"en": "line", "nl": "regel", "sv": "rad", "fi": "rivi"},
    },
    # Procountor's levels of the user right "journal receipts" (GET /users/rights).
    "right_level": {
        "VIEWING_RIGHTS": {"en": "viewing rights", "nl": "alleen inzien", "sv": "visningsrätt", "fi": "katseluoikeus"},
        "NO_ACCESS": {"en": "no access", "nl": "geen toegang", "sv": "ingen åtkomst", "fi": "ei käyttöoikeutta"},
        "NOT_ENABLED": {"en": "not enabled", "nl": "niet ingeschakeld", "sv": "inte aktiverad", "fi": "ei käytössä"},
        "UNKNOWN": {"en": "unknown", "nl": "onbekend", "sv": "okänd", "fi": "tuntematon"},
    },
    # One cost object of a kind: "Cost center 100".
    "cost_object": {
        "cost_center": {"en": "Cost center", "nl": "Kostenplaats", "sv": "Kostnadsställe", "fi": "Kustannuspaikka"},
        "cost_unit": {"en": "Cost unit", "nl": "Kostendrager", "sv": "Kostnadsbärare", "fi": "Kustannusyksikkö"},
    },
    # The host feature of a kind: "Cost Centers are switched on".
    "cost_feature": {
        "cost_center": {"en": "Cost Centers", "nl": "Kostenplaatsen", "sv": "Kostnadsställen", "fi": "Kustannuspaikat"},
        "cost_unit": {"en": "Cost Units", "nl": "Kostendragers", "sv": "Kostnadsbärare", "fi": "Kustannusyksiköt"},
    },
    # What a refused actor was trying to do ("You need ... to {action}").
    "action": {
        "authorize": {
            "en": "authorize this Procountor account",
            "nl": "dit Procountor-account te autoriseren",
            "sv": "auktorisera detta Procountor-konto",
            "fi": "valtuuttaa tämän Procountor-tilin",
        },
        "remove": {
            "en": "remove this Procountor account",
            "nl": "dit Procountor-account te verwijderen",
            "sv": "ta bort detta Procountor-konto",
            "fi": "poistaa tämän Procountor-tilin",
        },
        "send": {
            "en": "send journals to Procountor",
            "nl": "journaalposten naar Procountor te verzenden",
            "sv": "skicka journaler till Procountor",
            "fi": "lähettää kirjauksia Procountoriin",
        },
        "undo": {
            "en": "take back a run sent to Procountor",
            "nl": "een naar Procountor verzonden run ongedaan te maken",
            "sv": "ångra en körning som skickats till Procountor",
            "fi": "perua Procountoriin lähetettyä palkka-ajoa",
        },
    },
    # Why the integration's own configuration is not usable (procountor.config.invalid).
    "config_problem": {
        "redirect_uri_query": {
            "en": "the redirect address must not have a query string",
            "nl": "het terugkeeradres mag geen querystring bevatten",
            "sv": "återvändsadressen får inte ha någon frågesträng",
            "fi": "paluuosoitteessa ei saa olla kyselymerkkijonoa",
        },
        "client_refused": {
            "en": "Procountor refuses the token requests of the integration's client registration",
            "nl": "Procountor weigert de tokenaanvragen van de clientregistratie van de koppeling",
            "sv": "Procountor avvisar tokenbegäranden från integrationens klientregistrering",
            "fi": "Procountor hylkää integraation asiakasrekisteröinnin tunnuspyynnöt",
        },
    },
    # Why Procountor could not be reached (procountor.unavailable); the keys are the client's.
    "unavailable_reason": {
        "connect": {
            "en": "no connection could be made in time",
            "nl": "er kon niet op tijd een verbinding worden gemaakt",
            "sv": "ingen anslutning kunde göras i tid",
            "fi": "yhteyttä ei saatu muodostettua ajoissa",
        },
        "timeout": {
            "en": "no answer came in time",
            "nl": "er kwam niet op tijd een antwoord",
            "sv": "inget svar kom i tid",
            "fi": "vastausta ei tullut ajoissa",
        },
        "connection": {
            "en": "the connection broke off",
            "nl": "de verbinding werd verbroken",
            "sv": "anslutningen bröts",
            "fi": "yhteys katkesi",
        },
        "retries": {
            "en": "several attempts all failed",
            "nl": "meerdere pogingen mislukten allemaal",
            "sv": "flera försök misslyckades",
            "fi": "useat yritykset epäonnistuivat",
        },
        "server": {
            "en": "it answered with a server error",
            "nl": "het antwoordde met een serverfout",
            "sv": "den svarade med ett serverfel",
            "fi": "palvelu vastasi palvelinvirheellä",
        },
        "bad_answer": {
            "en": "its answer could not be read",
            "nl": "het antwoord was onleesbaar",
            "sv": "svaret gick inte att läsa",
            "fi": "vastausta ei voitu lukea",
        },
        "limiter": {
            "en": "the request was not sent, because the limiter the workers share could not be reached",
            "nl": "het verzoek is niet verzonden, omdat de begrenzer die de workers delen niet bereikbaar was",
            "sv": "begäran skickades inte, eftersom begränsaren som arbetarna delar inte gick att nå",
            "fi": "pyyntöä ei lähetetty, koska työprosessien yhteistä rajoitinta ei tavoitettu",
        },
    },
    # Procountor's VAT type as the receipts it applies to, in the form procountor.mapping.
    # vat_status_not_enabled needs (Finnish: adessive, "käytössä ostotositteilla").
    "vat_receipts": {
        "PURCHASE": {
            "en": "purchase receipts",
            "nl": "inkoopboekingen",
            "sv": "inköpsverifikat",
            "fi": "ostotositteilla",
        },
        "SALES": {
            "en": "sales receipts",
            "nl": "verkoopboekingen",
            "sv": "försäljningsverifikat",
            "fi": "myyntitositteilla",
        },
    },
    # What Procountor said about a field it refused (procountor.export.rejected, receipt_rejected).
    "refusal": {
        "not_accepted": {
            "en": "the value was not accepted",
            "nl": "de waarde werd niet geaccepteerd",
            "sv": "värdet godtogs inte",
            "fi": "arvoa ei hyväksytty",
        },
        "blank": {
            "en": "a value is required",
            "nl": "er is een waarde verplicht",
            "sv": "ett värde krävs",
            "fi": "arvo on pakollinen",
        },
        "invalid": {
            "en": "the value is not valid",
            "nl": "de waarde is ongeldig",
            "sv": "värdet är ogiltigt",
            "fi": "arvo on virheellinen",
        },
        "too_long": {
            "en": "the text is too long",
            "nl": "de tekst is te lang",
            "sv": "texten är för lång",
            "fi": "teksti on liian pitkä",
        },
        "decimals": {
            "en": "the amount has more than two decimals",
            "nl": "het bedrag heeft meer dan twee decimalen",
            "sv": "beloppet har fler än två decimaler",
            "fi": "summassa on enemmän kuin kaksi desimaalia",
        },
    },
}
"""Every table of translated words, by name; each word exists in every catalogue language."""
