"""Problems after a run is booked: the journal document on each receipt, and undoing a sent run."""

from typing import Final

from nmbrs_procountor_plugin.messages import Entry, Kind, Term, entry
from nmbrs_procountor_plugin.messages.kinds import ParamKind

_RECEIPT: Final[dict[str, ParamKind]] = {"period": Kind.PERIOD, "id": Kind.CODE}
"""A booked receipt of the run: its period and Procountor's id of it."""

ENTRIES: list[Entry] = [
    entry(
        "procountor.attachment.missing",
        params={**_RECEIPT, "detail": Kind.TECHNICAL},
        en=(
            "The receipt for {period} is booked (Procountor id {id}), but its journal document could not be attached ({detail}).",
            "Send the journal again: nothing is booked twice, and only the missing document is attached.",
        ),
        nl=(
            "De boeking voor {period} staat in Procountor (id {id}), maar het journaaldocument kon niet worden bijgevoegd ({detail}).",
            "Verzend de journaalpost opnieuw: er wordt niets dubbel geboekt en alleen het ontbrekende document wordt bijgevoegd.",
        ),
        sv=(
            "Verifikationen för {period} är bokförd (Procountor-id {id}), men journaldokumentet kunde inte bifogas ({detail}).",
            "Skicka journalen igen: inget bokförs två gånger och bara det saknade dokumentet bifogas.",
        ),
        fi=(
            "Kauden {period} tosite on kirjattu (Procountor-tunnus {id}), mutta kirjausaineistoa ei voitu liittää siihen ({detail}).",
            "Lähetä kirjaukset uudelleen: mitään ei kirjata kahdesti, ja vain puuttuva liite lisätään.",
        ),
        severity="warning",
    ),
    entry(
        "procountor.attachment.too_large",
        params={"period": Kind.PERIOD, "size": Kind.NUMBER, "limit": Kind.NUMBER},
        en=(
            "The journal document for {period} would be {size, plural, one {# byte} other {# bytes}}, and Procountor accepts attachments of at most {limit, plural, one {# byte} other {# bytes}}. Nothing was sent.",
            "Split the run into smaller journals, or turn off 'Attach the journal lines to each receipt' in the account's settings.",
        ),
        nl=(
            "Het journaaldocument voor {period} zou {size, plural, one {# byte} other {# bytes}} groot zijn, en Procountor accepteert bijlagen van hoogstens {limit, plural, one {# byte} other {# bytes}}. Er is niets verzonden.",
            "Splits de run in kleinere journaalposten, of zet 'Journaalregels bij elke boeking voegen' uit in de instellingen van het account.",
        ),
        sv=(
            "Journaldokumentet för {period} skulle bli {size} byte, och Procountor tar emot bilagor på högst {limit} byte. Inget har skickats.",
            "Dela upp körningen i mindre journaler, eller stäng av 'Bifoga journalraderna till varje verifikation' i kontots inställningar.",
        ),
        fi=(
            "Kauden {period} kirjausaineistosta tulisi {size} tavun kokoinen, ja Procountor hyväksyy enintään {limit} tavun liitteitä. Mitään ei lähetetty.",
            "Jaa palkka-ajo pienempiin kirjauksiin tai poista tilin asetuksista valinta 'Liitä kirjausrivit jokaiseen tositteeseen'.",
        ),
    ),
    entry(
        "procountor.undo.nothing_booked",
        en=(
            "Nothing of this run is booked in Procountor, so there is nothing to undo.",
            "Send the journal when it is ready.",
        ),
        nl=(
            "Niets van deze run is in Procountor geboekt, dus er valt niets ongedaan te maken.",
            "Verzend de journaalpost wanneer die klaar is.",
        ),
        sv=(
            "Inget av den här körningen är bokfört i Procountor, så det finns inget att ångra.",
            "Skicka journalen när den är klar.",
        ),
        fi=(
            "Tästä palkka-ajosta ei ole kirjattu mitään Procountoriin, joten perumista ei ole.",
            "Lähetä kirjaukset, kun ne ovat valmiit.",
        ),
        severity="info",
    ),
    entry(
        "procountor.undo.already_invalidated",
        params=_RECEIPT,
        en=(
            "The receipt for {period} (Procountor id {id}) is already invalidated in Procountor; it counts as undone.",
            "Nothing to do for this receipt.",
        ),
        nl=(
            "De boeking voor {period} (Procountor-id {id}) is in Procountor al ongeldig gemaakt; die telt als ongedaan gemaakt.",
            "Voor deze boeking hoeft u niets te doen.",
        ),
        sv=(
            "Verifikationen för {period} (Procountor-id {id}) är redan makulerad i Procountor; den räknas som ångrad.",
            "Inget behöver göras för den här verifikationen.",
        ),
        fi=(
            "Kauden {period} tosite (Procountor-tunnus {id}) on jo mitätöity Procountorissa, joten se lasketaan perutuksi.",
            "Tälle tositteelle ei tarvitse tehdä mitään.",
        ),
        severity="info",
    ),
    entry(
        "procountor.undo.period_closed",
        params=_RECEIPT,
        en=(
            "The receipt for {period} (Procountor id {id}) lies in a closed period, and Procountor does not let it be invalidated. Nothing was invalidated.",
            "Book a correction for {period} in a new run instead, or ask the accountant to reopen {period} in Procountor and undo again.",
        ),
        nl=(
            "De boeking voor {period} (Procountor-id {id}) valt in een afgesloten periode, en Procountor laat die niet ongeldig maken. Er is niets ongeldig gemaakt.",
            "Boek in plaats daarvan een correctie voor {period} in een nieuwe run, of vraag de boekhouder om {period} in Procountor te heropenen en maak het daarna opnieuw ongedaan.",
        ),
        sv=(
            "Verifikationen för {period} (Procountor-id {id}) ligger i en stängd period, och Procountor låter den inte makuleras. Inget har makulerats.",
            "Bokför i stället en rättelse för {period} i en ny körning, eller be redovisaren att öppna {period} igen i Procountor och ångra sedan på nytt.",
        ),
        fi=(
            "Kauden {period} tosite (Procountor-tunnus {id}) on suljetulla kaudella, eikä Procountor salli sen mitätöintiä. Mitään ei mitätöity.",
            "Kirjaa sen sijaan kauden {period} korjaus uudessa palkka-ajossa, tai pyydä kirjanpitäjää avaamaan kausi {period} Procountorissa ja peru sitten uudelleen.",
        ),
    ),
    entry(
        "procountor.undo.period_pending",
        params=_RECEIPT,
        en=(
            "The receipt for {period} (Procountor id {id}) lies in a period that is pending closing in Procountor, which does not let it be invalidated. Nothing was invalidated.",
            "Ask the accountant to set {period} back to open in Procountor and undo again, or book a correction for {period} in a new run.",
        ),
        nl=(
            "De boeking voor {period} (Procountor-id {id}) valt in een periode die in Procountor op afsluiten staat, en daarin kan die niet ongeldig worden gemaakt. Er is niets ongeldig gemaakt.",
            "Vraag de boekhouder om {period} in Procountor weer open te zetten en maak het daarna opnieuw ongedaan, of boek een correctie voor {period} in een nieuwe run.",
        ),
        sv=(
            "Verifikationen för {period} (Procountor-id {id}) ligger i en period som väntar på att stängas i Procountor, och där kan den inte makuleras. Inget har makulerats.",
            "Be redovisaren att öppna {period} igen i Procountor och ångra sedan på nytt, eller bokför en rättelse för {period} i en ny körning.",
        ),
        fi=(
            "Kauden {period} tosite (Procountor-tunnus {id}) on kaudella, joka odottaa sulkemista Procountorissa, eikä sitä siksi voi mitätöidä. Mitään ei mitätöity.",
            "Pyydä kirjanpitäjää avaamaan kausi {period} uudelleen Procountorissa ja peru sitten uudelleen, tai kirjaa kauden {period} korjaus uudessa palkka-ajossa.",
        ),
    ),
    entry(
        "procountor.undo.receipt_missing",
        params=_RECEIPT,
        en=(
            "The receipt {id} that was booked for {period} is not in Procountor's company of this account. Nothing was invalidated.",
            "Check in Procountor that the account is authorized for the company the run was sent to, then undo again.",
        ),
        nl=(
            "De boeking {id} die voor {period} is gemaakt, staat niet in het Procountor-bedrijf van dit account. Er is niets ongeldig gemaakt.",
            "Controleer in Procountor dat het account gemachtigd is voor het bedrijf waarnaar de run is verzonden, en maak het daarna opnieuw ongedaan.",
        ),
        sv=(
            "Verifikationen {id} som bokfördes för {period} finns inte i kontots Procountor-företag. Inget har makulerats.",
            "Kontrollera i Procountor att kontot är auktoriserat för företaget som körningen skickades till, och ångra sedan på nytt.",
        ),
        fi=(
            "Kaudelle {period} kirjattua tositetta {id} ei ole tämän tilin Procountor-yrityksessä. Mitään ei mitätöity.",
            "Tarkista Procountorissa, että tili on valtuutettu siihen yritykseen, johon palkka-ajo lähetettiin, ja peru sitten uudelleen.",
        ),
    ),
    entry(
        "procountor.undo.rights",
        params={"level": Term("right_level")},
        en=(
            "The Procountor user of this account may not invalidate journal receipts (right: {level}). Nothing was invalidated.",
            "In Procountor, give the user 'All rights' for journal receipts (Management > Users), then undo again.",
        ),
        nl=(
            "De Procountor-gebruiker van dit account mag geen memoriaalboekingen ongeldig maken (recht: {level}). Er is niets ongeldig gemaakt.",
            "Geef de gebruiker in Procountor 'Alle rechten' voor memoriaalboekingen (Beheer > Gebruikers) en maak het daarna opnieuw ongedaan.",
        ),
        sv=(
            "Procountor-användaren för kontot får inte makulera verifikationer (rättighet: {level}). Inget har makulerats.",
            "Ge användaren 'Alla rättigheter' för verifikationer i Procountor (Hantering > Användare) och ångra sedan på nytt.",
        ),
        fi=(
            "Tilin Procountor-käyttäjä ei saa mitätöidä muistiotositteita (oikeus: {level}). Mitään ei mitätöity.",
            "Anna käyttäjälle Procountorissa muistiotositteiden 'Kaikki oikeudet' (Hallinta > Käyttäjät) ja peru sitten uudelleen.",
        ),
    ),
    entry(
        "procountor.undo.refused",
        params={**_RECEIPT, "detail": Kind.TECHNICAL},
        en=(
            "Procountor refused to invalidate the receipt for {period} (Procountor id {id}; its answer: {detail}).",
            "Check the period's status and the Procountor user's rights, then undo again; receipts already invalidated are left alone.",
        ),
        nl=(
            "Procountor weigerde de boeking voor {period} ongeldig te maken (Procountor-id {id}; antwoord van Procountor: {detail}).",
            "Controleer de status van de periode en de rechten van de Procountor-gebruiker en maak het daarna opnieuw ongedaan; al ongeldig gemaakte boekingen blijven zoals ze zijn.",
        ),
        sv=(
            "Procountor vägrade makulera verifikationen för {period} (Procountor-id {id}; Procountors svar: {detail}).",
            "Kontrollera periodens status och Procountor-användarens rättigheter och ångra sedan på nytt; redan makulerade verifikationer lämnas som de är.",
        ),
        fi=(
            "Procountor ei suostunut mitätöimään kauden {period} tositetta (Procountor-tunnus {id}; Procountorin vastaus: {detail}).",
            "Tarkista kauden tila ja Procountor-käyttäjän oikeudet ja peru sitten uudelleen; jo mitätöidyt tositteet jätetään ennalleen.",
        ),
    ),
    entry(
        "procountor.undo.incomplete",
        params={"done": Kind.COUNT, "total": Kind.COUNT},
        en=(
            "Of the {total, plural, one {# receipt} other {# receipts}} of this run, {done, plural, one {# is invalidated} other {# are invalidated}}; the others are still booked in Procountor.",
            "Undo again: the receipts already invalidated are left alone and the rest are invalidated.",
        ),
        nl=(
            "Van de {total, plural, one {# boeking} other {# boekingen}} van deze run {done, plural, one {is er # ongeldig gemaakt} other {zijn er # ongeldig gemaakt}}; de andere staan nog geboekt in Procountor.",
            "Maak het opnieuw ongedaan: de al ongeldig gemaakte boekingen blijven zoals ze zijn en de rest wordt ongeldig gemaakt.",
        ),
        sv=(
            "Av körningens {total, plural, one {# verifikation} other {# verifikationer}} är {done, plural, one {# makulerad} other {# makulerade}}; de andra är fortfarande bokförda i Procountor.",
            "Ångra igen: redan makulerade verifikationer lämnas som de är och resten makuleras.",
        ),
        fi=(
            "Palkka-ajon {total} tositteesta {done} on mitätöity; muut ovat yhä kirjattuina Procountorissa.",
            "Peru uudelleen: jo mitätöidyt tositteet jätetään ennalleen ja loput mitätöidään.",
        ),
    ),
    entry(
        "procountor.undo.in_progress",
        en=(
            "This run is being sent or undone by another session right now.",
            "Wait a minute and look at the sent status, then undo again if it is still needed.",
        ),
        nl=(
            "Deze run wordt op dit moment door een andere sessie verzonden of ongedaan gemaakt.",
            "Wacht een minuut en bekijk de verzendstatus; maak het daarna opnieuw ongedaan als dat nog nodig is.",
        ),
        sv=(
            "Körningen skickas eller ångras av en annan session just nu.",
            "Vänta en minut och titta på sändstatusen, och ångra sedan igen om det fortfarande behövs.",
        ),
        fi=(
            "Toinen istunto lähettää tai peruu tätä palkka-ajoa juuri nyt.",
            "Odota hetki ja katso lähetyksen tila; peru sitten uudelleen, jos se on yhä tarpeen.",
        ),
    ),
]
