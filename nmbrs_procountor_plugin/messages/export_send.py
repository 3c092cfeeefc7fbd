"""Problems of the export's gates, pre-flight checks and sending ("Errors Procountor").

Procountor's own answers each have an entry with the fix (see ``export/refusals.py`` and
``docs/procountor-answers.md``): ``ERROR_LEDGERACCOUNT_VATPERCENTAGE_COMBINATION``
(``procountor.account.rejected``), ``CLOSED_FISCAL_PERIOD`` (``procountor.period.refused_closed``),
``DIMENSION_OR_DIMENSION_ITEM_IDENTIFIERS_DOES_NOT_MATCH_THOSE_STORED_IN_DATABASE``
(``procountor.dimension.item_rejected``), ``ERROR_VATSTATUS_VATPERC``
(``procountor.export.vat_rejected``), 403 "Insufficient user rights"
(``procountor.rights.insufficient``); any other refusal is ``procountor.export.rejected`` (a
line) or ``procountor.export.receipt_rejected`` (the receipt), naming the field.
"""

from typing import Final

from nmbrs_procountor_plugin.messages import Entry, Kind, Term, entry

_FIELD: Final = Term("field", verbatim_unknown=True)

ENTRIES: list[Entry] = [
    entry(
        "procountor.export.test_company",
        params={"company": Kind.TEXT},
        en=(
            "Journals of '{company}' cannot be sent: the company is marked as 'Test company'.",
            "Remove the 'Test company' mark in the company settings if this is a real company.",
        ),
        nl=(
            "Journaalposten van '{company}' kunnen niet worden verzonden: het bedrijf is gemarkeerd als 'testbedrijf'.",
            "Verwijder de markering 'testbedrijf' in de bedrijfsinstellingen als dit een echt bedrijf is.",
        ),
        sv=(
            "Journaler för '{company}' kan inte skickas: företaget är markerat som testföretag.",
            "Ta bort markeringen 'testföretag' i företagsinställningarna om detta är ett riktigt företag.",
        ),
        fi=(
            "Yrityksen '{company}' kirjauksia ei voi lähettää: yritys on merkitty testiyritykseksi.",
            "Poista testiyritys-merkintä yrityksen asetuksista, jos kyseessä on oikea yritys.",
        ),
    ),
    entry(
        "procountor.export.debtor_blocked",
        params={"company": Kind.TEXT},
        en=(
            "Journals of '{company}' cannot be sent: the debtor is blocked.",
            "Contact Nmbrs to unblock the debtor, then send the journal again.",
        ),
        nl=(
            "Journaalposten van '{company}' kunnen niet worden verzonden: de debiteur is geblokkeerd.",
            "Neem contact op met Nmbrs om de debiteur te deblokkeren en verzend de journaalposten daarna opnieuw.",
        ),
        sv=(
            "Journaler för '{company}' kan inte skickas: koncernen är blockerad.",
            "Kontakta Nmbrs för att häva blockeringen och skicka sedan journalen igen.",
        ),
        fi=(
            "Yrityksen '{company}' kirjauksia ei voi lähettää: asiakas on estetty.",
            "Ota yhteyttä Nmbrsiin eston poistamiseksi ja lähetä kirjaukset sitten uudelleen.",
        ),
    ),
    entry(
        "procountor.export.not_mapped",
        params={"company": Kind.TEXT},
        en=(
            "'{company}' is not mapped to the Procountor company of this account.",
            "Open the Administrations tab, choose 'New mapping' and map the company to this account's Procountor company.",
        ),
        nl=(
            "'{company}' is niet gekoppeld aan het Procountor-bedrijf van dit account.",
            "Open het tabblad Administraties, kies 'Nieuwe koppeling' en koppel het bedrijf aan het Procountor-bedrijf van dit account.",
        ),
        sv=(
            "'{company}' är inte mappat till det här kontots Procountor-företag.",
            "Öppna fliken Administrationer, välj 'Ny mappning' och mappa företaget till kontots Procountor-företag.",
        ),
        fi=(
            "'{company}' ei ole liitetty tämän tilin Procountor-yritykseen.",
            "Avaa Hallinnot-välilehti, valitse 'Uusi liitos' ja liitä yritys tämän tilin Procountor-yritykseen.",
        ),
    ),
    entry(
        "procountor.rights.journal_receipts",
        params={"level": Term("right_level")},
        en=(
            "The Procountor user of this account may not create journal receipts (right: {level}).",
            "In Procountor, give the user 'All rights' for journal receipts (Management > Users), then send again.",
        ),
        nl=(
            "De Procountor-gebruiker van dit account mag geen memoriaalboekingen maken (recht: {level}).",
            "Geef de gebruiker in Procountor 'Alle rechten' voor memoriaalboekingen (Beheer > Gebruikers) en verzend opnieuw.",
        ),
        sv=(
            "Procountor-användaren för kontot får inte skapa verifikationer (rättighet: {level}).",
            "Ge användaren 'Alla rättigheter' för verifikationer i Procountor (Hantering > Användare) och skicka igen.",
        ),
        fi=(
            "Tilin Procountor-käyttäjä ei saa luoda muistiotositteita (oikeus: {level}).",
            "Anna käyttäjälle Procountorissa muistiotositteiden 'Kaikki oikeudet' (Hallinta > Käyttäjät) ja lähetä uudelleen.",
        ),
    ),
    entry(
        "procountor.account.unknown",
        params={"account": Kind.CODE, "lines": Kind.LINES},
        en=(
            "Ledger account {account} ({lines, plural, one {line {lines}} other {lines {lines}}}) does not exist in Procountor's chart of accounts.",
            "Add account {account} in Procountor, or correct the general ledger scheme in Nmbrs and regenerate the journal.",
        ),
        nl=(
            "Grootboekrekening {account} ({lines, plural, one {regel {lines}} other {regels {lines}}}) bestaat niet in het rekeningschema van Procountor.",
            "Voeg rekening {account} toe in Procountor, of corrigeer het grootboekschema in Nmbrs en genereer de journaalposten opnieuw.",
        ),
        sv=(
            "Konto {account} ({lines, plural, one {rad {lines}} other {raderna {lines}}}) finns inte i Procountors kontoplan.",
            "Lägg till konto {account} i Procountor, eller rätta kontoplanen i Nmbrs och skapa journalen på nytt.",
        ),
        fi=(
            "Tiliä {account} ({lines, plural, one {rivi {lines}} other {rivit {lines}}}) ei ole Procountorin tilikartassa.",
            "Lisää tili {account} Procountoriin tai korjaa Nmbrsin tilikaavio ja muodosta kirjaukset uudelleen.",
        ),
    ),
    entry(
        "procountor.account.inactive",
        params={"account": Kind.CODE, "lines": Kind.LINES},
        en=(
            "Ledger account {account} ({lines, plural, one {line {lines}} other {lines {lines}}}) is not in use in Procountor.",
            "Take account {account} into use in Procountor's chart of accounts, or book these lines to another account.",
        ),
        nl=(
            "Grootboekrekening {account} ({lines, plural, one {regel {lines}} other {regels {lines}}}) is niet in gebruik in Procountor.",
            "Neem rekening {account} in gebruik in het rekeningschema van Procountor, of boek deze regels op een andere rekening.",
        ),
        sv=(
            "Konto {account} ({lines, plural, one {rad {lines}} other {raderna {lines}}}) används inte i Procountor.",
            "Ta konto {account} i bruk i Procountors kontoplan, eller bokför raderna på ett annat konto.",
        ),
        fi=(
            "Tili {account} ({lines, plural, one {rivi {lines}} other {rivit {lines}}}) ei ole käytössä Procountorissa.",
            "Ota tili {account} käyttöön Procountorin tilikartassa tai kirjaa rivit toiselle tilille.",
        ),
    ),
    entry(
        "procountor.rights.insufficient",
        params={"username": Kind.TEXT},
        en=(
            "Procountor refused the request: the Procountor user of account '{username}' lacks a user right it needs.",
            "In Procountor (Management > Users), give that user 'All rights' for journal receipts and the right to see the chart of accounts, financial years and dimensions, then try again.",
        ),
        nl=(
            "Procountor weigerde het verzoek: de Procountor-gebruiker van account '{username}' mist een gebruikersrecht dat daarvoor nodig is.",
            "Geef die gebruiker in Procountor (Beheer > Gebruikers) 'Alle rechten' voor memoriaalboekingen en het recht om het rekeningschema, de boekjaren en de dimensies te zien, en probeer het opnieuw.",
        ),
        sv=(
            "Procountor avvisade begäran: Procountor-användaren för kontot '{username}' saknar en användarrättighet som behövs.",
            "Ge användaren i Procountor (Hantering > Användare) 'Alla rättigheter' för verifikationer och rätt att se kontoplanen, räkenskapsåren och dimensionerna, och försök igen.",
        ),
        fi=(
            "Procountor hylkäsi pyynnön: tilin '{username}' Procountor-käyttäjältä puuttuu tarvittava käyttöoikeus.",
            "Anna käyttäjälle Procountorissa (Hallinta > Käyttäjät) muistiotositteiden 'Kaikki oikeudet' sekä oikeus nähdä tilikartta, tilikaudet ja dimensiot, ja yritä uudelleen.",
        ),
    ),
    entry(
        "procountor.account.rejected",
        params={"account": Kind.CODE, "line": Kind.LINE, "period": Kind.PERIOD},
        en=(
            "Procountor refused ledger account {account} on line {line} of the receipt for {period}: the account is not in its chart of accounts or does not allow this VAT percentage.",
            "Check in Procountor that account {account} exists, is in use and allows bookings without VAT; or correct the general ledger scheme in Nmbrs and regenerate the journal.",
        ),
        nl=(
            "Procountor weigerde grootboekrekening {account} op regel {line} van de boeking voor {period}: de rekening staat niet in het rekeningschema of staat dit btw-percentage niet toe.",
            "Controleer in Procountor of rekening {account} bestaat, in gebruik is en boekingen zonder btw toestaat; of corrigeer het grootboekschema in Nmbrs en genereer de journaalposten opnieuw.",
        ),
        sv=(
            "Procountor avvisade konto {account} på rad {line} i verifikationen för {period}: kontot finns inte i kontoplanen eller tillåter inte denna momssats.",
            "Kontrollera i Procountor att konto {account} finns, används och tillåter bokningar utan moms; eller rätta kontoplanen i Nmbrs och skapa journalen på nytt.",
        ),
        fi=(
            "Procountor hylkäsi tilin {account} kauden {period} tositteen rivillä {line}: tiliä ei ole tilikartassa tai se ei salli tätä ALV-prosenttia.",
            "Tarkista Procountorissa, että tili {account} on olemassa, käytössä ja sallii kirjaukset ilman arvonlisäveroa, tai korjaa Nmbrsin tilikaavio ja muodosta kirjaukset uudelleen.",
        ),
    ),
    entry(
        "procountor.export.vat_rejected",
        params={"line": Kind.LINE, "period": Kind.PERIOD, "vat_status": Kind.CODE},
        en=(
            "Procountor refused the VAT of line {line} in the receipt for {period}: VAT status {vat_status} does not go with the VAT percentage of the line.",
            "Set 'VAT status on journal rows' of the Procountor account to a status enabled in Procountor for 0 % VAT (12 = no VAT handling), then send again.",
        ),
        nl=(
            "Procountor weigerde de btw van regel {line} in de boeking voor {period}: btw-status {vat_status} past niet bij het btw-percentage van de regel.",
            "Zet 'Btw-status op journaalregels' van het Procountor-account op een status die in Procountor is ingeschakeld voor 0 % btw (12 = geen btw-verwerking) en verzend opnieuw.",
        ),
        sv=(
            "Procountor avvisade momsen på rad {line} i verifikationen för {period}: momsstatus {vat_status} passar inte radens momssats.",
            "Ställ in 'Momsstatus på journalrader' för Procountor-kontot på en status som är aktiverad i Procountor för 0 % moms (12 = ingen momshantering) och skicka igen.",
        ),
        fi=(
            "Procountor hylkäsi kauden {period} tositteen rivin {line} arvonlisäveron: ALV-tila {vat_status} ei sovi rivin ALV-prosenttiin.",
            "Aseta Procountor-tilin asetus 'ALV-tila tiliöintiriveillä' tilaan, joka on Procountorissa käytössä 0 %:n arvonlisäverolle (12 = ei ALV-käsittelyä), ja lähetä uudelleen.",
        ),
    ),
    entry(
        "procountor.period.refused_closed",
        params={"period": Kind.PERIOD, "date": Kind.DATE},
        en=(
            "Procountor refused the receipt for {period}: its date {date} lies in a closed financial year or tracking period.",
            "Open the tracking period in Procountor (Management > Accounting info > Financial years), then send again; receipts already booked are not sent twice.",
        ),
        nl=(
            "Procountor weigerde de boeking voor {period}: de datum {date} valt in een afgesloten boekjaar of periode.",
            "Open de periode in Procountor (Beheer > Boekhoudgegevens > Boekjaren) en verzend daarna opnieuw; al geboekte boekingen worden niet dubbel verzonden.",
        ),
        sv=(
            "Procountor avvisade verifikationen för {period}: datumet {date} ligger i ett stängt räkenskapsår eller en stängd period.",
            "Öppna perioden i Procountor (Hantering > Bokföringsuppgifter > Räkenskapsår) och skicka sedan igen; redan bokförda verifikationer skickas inte två gånger.",
        ),
        fi=(
            "Procountor hylkäsi kauden {period} tositteen: sen päivämäärä {date} on suljetulla tilikaudella tai seurantakaudella.",
            "Avaa seurantakausi Procountorissa (Hallinta > Kirjanpidon tiedot > Tilikaudet) ja lähetä uudelleen; jo kirjattuja tositteita ei lähetetä kahdesti.",
        ),
    ),
    entry(
        "procountor.dimension.item_rejected",
        params={"line": Kind.LINE, "period": Kind.PERIOD},
        en=(
            "Procountor refused the cost center or cost unit of line {line} in the receipt for {period}: its dimension item was closed or deleted in Procountor.",
            "Reactivate the item in Procountor or change the cost center/cost unit, then check the mapping and send again.",
        ),
        nl=(
            "Procountor weigerde de kostenplaats of kostendrager van regel {line} in de boeking voor {period}: het dimensie-item is gesloten of verwijderd in Procountor.",
            "Activeer het item opnieuw in Procountor of wijzig de kostenplaats/kostendrager, controleer de koppeling en verzend opnieuw.",
        ),
        sv=(
            "Procountor avvisade kostnadsstället eller kostnadsbäraren på rad {line} i verifikationen för {period}: dimensionsobjektet har stängts eller tagits bort i Procountor.",
            "Återaktivera objektet i Procountor eller ändra kostnadsstället/kostnadsbäraren, kontrollera mappningen och skicka igen.",
        ),
        fi=(
            "Procountor hylkäsi kauden {period} tositteen rivin {line} kustannuspaikan tai -kohteen: dimension nimike on suljettu tai poistettu Procountorissa.",
            "Aktivoi nimike uudelleen Procountorissa tai vaihda kustannuspaikka/-kohde, tarkista liitos ja lähetä uudelleen.",
        ),
    ),
    entry(
        "procountor.export.rejected",
        params={
            "line": Kind.LINE,
            "field_name": _FIELD,
            "period": Kind.PERIOD,
            "reason": Term("refusal"),
            "answer": Kind.TECHNICAL,
        },
        en=(
            "Procountor refused line {line} of the receipt for {period}, field '{field_name}': {reason} (Procountor's answer: {answer}).",
            "Correct the line in the payroll journal or the setting it names, then send again; receipts already booked are not sent twice.",
        ),
        nl=(
            "Procountor weigerde regel {line} van de boeking voor {period}, veld '{field_name}': {reason} (antwoord van Procountor: {answer}).",
            "Corrigeer de regel in de journaalposten of de genoemde instelling en verzend opnieuw; al geboekte boekingen worden niet dubbel verzonden.",
        ),
        sv=(
            "Procountor avvisade rad {line} i verifikationen för {period}, fältet '{field_name}': {reason} (Procountors svar: {answer}).",
            "Rätta raden i journalen eller den nämnda inställningen och skicka igen; redan bokförda verifikationer skickas inte två gånger.",
        ),
        fi=(
            "Procountor hylkäsi kauden {period} tositteen rivin {line}, kenttä '{field_name}': {reason} (Procountorin vastaus: {answer}).",
            "Korjaa rivi palkkakirjauksissa tai mainittu asetus ja lähetä uudelleen; jo kirjattuja tositteita ei lähetetä kahdesti.",
        ),
    ),
    entry(
        "procountor.export.receipt_rejected",
        params={"field_name": _FIELD, "period": Kind.PERIOD, "reason": Term("refusal"), "answer": Kind.TECHNICAL},
        en=(
            "Procountor refused the receipt for {period}, field '{field_name}': {reason} (Procountor's answer: {answer}).",
            "Correct the journal or the Procountor account's setting that the field comes from, then send again; receipts already booked are not sent twice.",
        ),
        nl=(
            "Procountor weigerde de boeking voor {period}, veld '{field_name}': {reason} (antwoord van Procountor: {answer}).",
            "Corrigeer de journaalpost of de instelling van het Procountor-account waar het veld vandaan komt en verzend opnieuw; al geboekte boekingen worden niet dubbel verzonden.",
        ),
        sv=(
            "Procountor avvisade verifikationen för {period}, fältet '{field_name}': {reason} (Procountors svar: {answer}).",
            "Rätta journalen eller den inställning för Procountor-kontot som fältet kommer från och skicka igen; redan bokförda verifikationer skickas inte två gånger.",
        ),
        fi=(
            "Procountor hylkäsi kauden {period} tositteen, kenttä '{field_name}': {reason} (Procountorin vastaus: {answer}).",
            "Korjaa tiliöinti tai se Procountor-tilin asetus, josta kenttä tulee, ja lähetä uudelleen; jo kirjattuja tositteita ei lähetetä kahdesti.",
        ),
    ),
    entry(
        "procountor.period.closed",
        params={"date": Kind.DATE, "start": Kind.DATE, "end": Kind.DATE},
        en=(
            "{date} lies in a closed period of Procountor ({start} to {end}).",
            "Open the tracking period in Procountor (Management > Accounting info > Financial years), then send again.",
        ),
        nl=(
            "{date} valt in een afgesloten periode in Procountor ({start} t/m {end}).",
            "Open de periode in Procountor (Beheer > Boekhoudgegevens > Boekjaren) en verzend daarna opnieuw.",
        ),
        sv=(
            "{date} ligger i en stängd period i Procountor ({start} till {end}).",
            "Öppna perioden i Procountor (Hantering > Bokföringsuppgifter > Räkenskapsår) och skicka sedan igen.",
        ),
        fi=(
            "{date} osuu Procountorissa suljetulle kaudelle ({start}–{end}).",
            "Avaa seurantakausi Procountorissa (Hallinta > Kirjanpidon tiedot > Tilikaudet) ja lähetä uudelleen.",
        ),
    ),
    entry(
        "procountor.period.no_fiscal_year",
        params={"date": Kind.DATE},
        en=(
            "Procountor has no financial year that contains {date}.",
            "Create the financial year in Procountor (Management > Accounting info > Financial years), then send again.",
        ),
        nl=(
            "Procountor heeft geen boekjaar waarin {date} valt.",
            "Maak het boekjaar aan in Procountor (Beheer > Boekhoudgegevens > Boekjaren) en verzend daarna opnieuw.",
        ),
        sv=(
            "Procountor har inget räkenskapsår som innehåller {date}.",
            "Skapa räkenskapsåret i Procountor (Hantering > Bokföringsuppgifter > Räkenskapsår) och skicka sedan igen.",
        ),
        fi=(
            "Procountorissa ei ole tilikautta, johon {date} kuuluu.",
            "Luo tilikausi Procountorissa (Hallinta > Kirjanpidon tiedot > Tilikaudet) ja lähetä uudelleen.",
        ),
    ),
    entry(
        "procountor.dimension.not_found",
        params={"name": Kind.TEXT, "closest": Kind.TEXT, "existing": Kind.NAMES},
        en=(
            "The dimension '{name}' does not exist in Procountor. Closest: '{closest}'. Existing: {existing}.",
            "Correct the dimension description in the administration mapping so it matches the name in Procountor.",
        ),
        nl=(
            "De dimensie '{name}' bestaat niet in Procountor. Dichtstbijzijnde: '{closest}'. Aanwezig: {existing}.",
            "Corrigeer de omschrijving van de dimensie in de administratiekoppeling zodat die overeenkomt met de naam in Procountor.",
        ),
        sv=(
            "Dimensionen '{name}' finns inte i Procountor. Närmast: '{closest}'. Befintliga: {existing}.",
            "Rätta dimensionens beskrivning i administrationsmappningen så att den stämmer med namnet i Procountor.",
        ),
        fi=(
            "Dimensiota '{name}' ei ole Procountorissa. Lähin: '{closest}'. Olemassa: {existing}.",
            "Korjaa dimension kuvaus hallinnon liitoksessa vastaamaan Procountorin nimeä.",
        ),
    ),
    entry(
        "procountor.dimension.item_missing",
        params={"item_code": Kind.CODE, "lines": Kind.LINES, "dimension": Kind.TEXT},
        en=(
            "'{item_code}' ({lines, plural, one {line {lines}} other {lines {lines}}}) has no item in the Procountor dimension '{dimension}'.",
            "Add an item with code '{item_code}' to '{dimension}' in Procountor, or turn on 'Create missing dimension items' for the account.",
        ),
        nl=(
            "'{item_code}' ({lines, plural, one {regel {lines}} other {regels {lines}}}) heeft geen item in de Procountor-dimensie '{dimension}'.",
            "Voeg in Procountor een item met code '{item_code}' toe aan '{dimension}', of zet 'Ontbrekende dimensie-items aanmaken' aan voor het account.",
        ),
        sv=(
            "'{item_code}' ({lines, plural, one {rad {lines}} other {raderna {lines}}}) saknar objekt i Procountor-dimensionen '{dimension}'.",
            "Lägg till ett objekt med kod '{item_code}' i '{dimension}' i Procountor, eller slå på 'Skapa saknade dimensionsobjekt' för kontot.",
        ),
        fi=(
            "Kohteella '{item_code}' ({lines, plural, one {rivi {lines}} other {rivit {lines}}}) ei ole nimikettä Procountorin dimensiossa '{dimension}'.",
            "Lisää dimensioon '{dimension}' nimike koodilla '{item_code}' Procountorissa tai ota tilin asetus 'Luo puuttuvat dimension nimikkeet' käyttöön.",
        ),
    ),
    entry(
        "procountor.dimension.item_inactive",
        params={"item_code": Kind.CODE, "lines": Kind.LINES, "dimension": Kind.TEXT},
        en=(
            "The item for '{item_code}' ({lines, plural, one {line {lines}} other {lines {lines}}}) in the Procountor dimension '{dimension}' is inactive.",
            "Activate the item in Procountor, or move these lines to an active cost center or cost unit.",
        ),
        nl=(
            "Het item voor '{item_code}' ({lines, plural, one {regel {lines}} other {regels {lines}}}) in de Procountor-dimensie '{dimension}' is inactief.",
            "Activeer het item in Procountor, of boek deze regels op een actieve kostenplaats of kostendrager.",
        ),
        sv=(
            "Objektet för '{item_code}' ({lines, plural, one {rad {lines}} other {raderna {lines}}}) i Procountor-dimensionen '{dimension}' är inaktivt.",
            "Aktivera objektet i Procountor, eller flytta raderna till ett aktivt kostnadsställe eller en aktiv kostnadsbärare.",
        ),
        fi=(
            "Kohteen '{item_code}' ({lines, plural, one {rivi {lines}} other {rivit {lines}}}) nimike Procountorin dimensiossa '{dimension}' ei ole aktiivinen.",
            "Aktivoi nimike Procountorissa tai siirrä rivit aktiiviselle kustannuspaikalle tai -kohteelle.",
        ),
    ),
    entry(
        "procountor.dimension.item_will_be_created",
        params={"item_code": Kind.CODE, "dimension": Kind.TEXT},
        en=(
            "'{item_code}' has no item in '{dimension}'; the export will create it first.",
            "Nothing to do; untick 'Create missing dimension items' if you prefer to create items yourself.",
        ),
        nl=(
            "'{item_code}' heeft geen item in '{dimension}'; de export maakt het eerst aan.",
            "Niets te doen; zet 'Ontbrekende dimensie-items aanmaken' uit als u items liever zelf aanmaakt.",
        ),
        sv=(
            "'{item_code}' saknar objekt i '{dimension}'; exporten skapar det först.",
            "Inget att göra; avmarkera 'Skapa saknade dimensionsobjekt' om du hellre skapar objekt själv.",
        ),
        fi=(
            "Kohteella '{item_code}' ei ole nimikettä dimensiossa '{dimension}'; vienti luo sen ensin.",
            "Ei toimenpiteitä; poista asetus 'Luo puuttuvat dimension nimikkeet', jos haluat luoda nimikkeet itse.",
        ),
        severity="info",
    ),
    entry(
        "procountor.dimension.item_created",
        params={"item_code": Kind.CODE, "dimension": Kind.TEXT},
        en=(
            "Created the item '{item_code}' in the Procountor dimension '{dimension}'.",
            "Check its description in Procountor if needed.",
        ),
        nl=(
            "Item '{item_code}' is aangemaakt in de Procountor-dimensie '{dimension}'.",
            "Controleer zo nodig de omschrijving in Procountor.",
        ),
        sv=(
            "Objektet '{item_code}' skapades i Procountor-dimensionen '{dimension}'.",
            "Kontrollera vid behov beskrivningen i Procountor.",
        ),
        fi=(
            "Nimike '{item_code}' luotiin Procountorin dimensioon '{dimension}'.",
            "Tarkista tarvittaessa kuvaus Procountorissa.",
        ),
        severity="info",
    ),
    entry(
        "procountor.export.changed_after_send",
        params={"period": Kind.PERIOD, "number": Kind.CODE, "id": Kind.CODE},
        en=(
            "The journal for {period} was already booked in Procountor (receipt {number}, id {id}) with different lines.",
            "Invalidate receipt {number} in Procountor, then send the journal again to book the new version; "
            "or leave it and book the difference in a new run. The other periods are left alone.",
        ),
        nl=(
            "De journaalpost voor {period} is al in Procountor geboekt (boeking {number}, id {id}) met andere regels.",
            "Maak boeking {number} ongeldig in Procountor en verzend de journaalposten daarna opnieuw om de nieuwe "
            "versie te boeken, of laat hem staan en boek het verschil in een nieuwe run. De andere perioden blijven "
            "ongemoeid.",
        ),
        sv=(
            "Journalen för {period} är redan bokförd i Procountor (verifikation {number}, id {id}) med andra rader.",
            "Ogiltigförklara verifikation {number} i Procountor och skicka sedan journalen igen för att bokföra den "
            "nya versionen, eller låt den stå och bokför skillnaden i en ny körning. De andra perioderna lämnas orörda.",
        ),
        fi=(
            "Kauden {period} kirjaus on jo Procountorissa (tosite {number}, id {id}) eri riveillä.",
            "Mitätöi tosite {number} Procountorissa ja lähetä kirjaukset sitten uudelleen uuden version "
            "kirjaamiseksi, tai jätä se ja kirjaa erotus uudessa ajossa. Muihin kausiin ei kosketa.",
        ),
    ),
    entry(
        "procountor.export.in_progress",
        en=(
            "This journal is being sent to Procountor by another session right now.",
            "Wait a minute and look at the sent status; send again only if it is not sent.",
        ),
        nl=(
            "Deze journaalpost wordt op dit moment door een andere sessie naar Procountor verzonden.",
            "Wacht een minuut en bekijk de verzendstatus; verzend alleen opnieuw als hij niet verzonden is.",
        ),
        sv=(
            "Journalen skickas till Procountor av en annan session just nu.",
            "Vänta en minut och titta på sändstatusen; skicka igen bara om den inte är skickad.",
        ),
        fi=(
            "Toinen istunto lähettää näitä kirjauksia Procountoriin juuri nyt.",
            "Odota hetki ja tarkista lähetystila; lähetä uudelleen vain, jos kirjauksia ei ole lähetetty.",
        ),
    ),
    entry(
        "procountor.export.approve_failed",
        params={"period": Kind.PERIOD, "id": Kind.CODE, "detail": Kind.TECHNICAL},
        en=(
            "The receipt for {period} (id {id}) was booked but could not be approved (Procountor's answer: {detail}).",
            "Approve the receipt in Procountor yourself, or check the user's rights; it is booked as 'Unfinished'.",
        ),
        nl=(
            "De boeking voor {period} (id {id}) is geboekt maar kon niet worden goedgekeurd (antwoord van Procountor: {detail}).",
            "Keur de boeking zelf goed in Procountor of controleer de rechten van de gebruiker; hij staat als 'Onvoltooid'.",
        ),
        sv=(
            "Verifikationen för {period} (id {id}) bokfördes men kunde inte godkännas (Procountors svar: {detail}).",
            "Godkänn verifikationen själv i Procountor eller kontrollera användarens rättigheter; den står som 'Ofullständig'.",
        ),
        fi=(
            "Kauden {period} tosite (id {id}) kirjattiin, mutta sitä ei voitu hyväksyä (Procountorin vastaus: {detail}).",
            "Hyväksy tosite itse Procountorissa tai tarkista käyttäjän oikeudet; tosite on tilassa 'Keskeneräinen'.",
        ),
        severity="warning",
    ),
    entry(
        "procountor.export.outcome_unknown",
        params={"period": Kind.PERIOD},
        en=(
            "Procountor did not answer in time when the receipt for {period} was sent, and it is not visible yet.",
            "Send the journal again in a few minutes: a receipt that did land is recognised and not booked twice.",
        ),
        nl=(
            "Procountor antwoordde niet op tijd toen de boeking voor {period} werd verzonden, en ze is nog niet zichtbaar.",
            "Verzend de journaalposten over een paar minuten opnieuw: een boeking die wel is aangekomen wordt herkend en niet dubbel geboekt.",
        ),
        sv=(
            "Procountor svarade inte i tid när verifikationen för {period} skickades, och den syns inte ännu.",
            "Skicka journalen igen om några minuter: en verifikation som kom fram känns igen och bokförs inte två gånger.",
        ),
        fi=(
            "Procountor ei vastannut ajoissa, kun kauden {period} tosite lähetettiin, eikä tosite näy vielä.",
            "Lähetä kirjaukset uudelleen muutaman minuutin kuluttua: perille mennyt tosite tunnistetaan eikä sitä kirjata kahdesti.",
        ),
    ),
    entry(
        "procountor.export.already_booked",
        params={"period": Kind.PERIOD, "number": Kind.CODE, "id": Kind.CODE},
        en=(
            "The journal for {period} is already booked in Procountor (receipt {number}, id {id}); sending skips it.",
            "Nothing to do.",
        ),
        nl=(
            "De journaalpost voor {period} is al geboekt in Procountor (boeking {number}, id {id}); verzenden slaat hem over.",
            "Niets te doen.",
        ),
        sv=(
            "Journalen för {period} är redan bokförd i Procountor (verifikation {number}, id {id}); sändningen hoppar över den.",
            "Inget att göra.",
        ),
        fi=(
            "Kauden {period} kirjaus on jo Procountorissa (tosite {number}, id {id}); lähetys ohittaa sen.",
            "Ei toimenpiteitä.",
        ),
        severity="info",
    ),
]
