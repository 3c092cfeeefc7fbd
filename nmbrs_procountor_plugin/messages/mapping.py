"""Problems of the administration-mapping area.

The cost object kinds ("Cost Centers", "Kostenplaatsen", ...) are :class:`~.kinds.Term`
parameters (tables ``cost_feature`` and ``cost_object``) rather than separate entries: one code
per problem, whichever kind it is about, is what hosts and support key on. Nmbrs calls them Cost
Centers and Cost Units; Procountor calls the thing they go to a dimension.
"""

from __future__ import annotations

from typing import Final

from nmbrs_procountor_plugin.messages import Entry, Kind, Term, entry

_FEATURE: Final = Term("cost_feature")
_OBJECT: Final = Term("cost_object")

ENTRIES: list[Entry] = [
    entry(
        "procountor.mapping.one_per_account",
        params={"username": Kind.TEXT, "mapped_company": Kind.NAMES, "company_id": Kind.CODE},
        en=(
            "Procountor account '{username}' is already mapped to {mapped_company, plural, one {company {mapped_company}} other {companies {mapped_company}}}; an account can be mapped to one administration only.",
            "To map company {company_id} as well, create another Procountor account on the Integration page, authorize it and map the company there.",
        ),
        nl=(
            "Procountor-account '{username}' is al gekoppeld aan {mapped_company, plural, one {bedrijf {mapped_company}} other {de bedrijven {mapped_company}}}; een account kan aan slechts één administratie worden gekoppeld.",
            "Wilt u ook bedrijf {company_id} koppelen, maak dan een ander Procountor-account aan op de pagina Integratie, autoriseer het en koppel het bedrijf daar.",
        ),
        sv=(
            "Procountor-kontot '{username}' är redan kopplat till {mapped_company, plural, one {företaget {mapped_company}} other {företagen {mapped_company}}}; ett konto kan bara kopplas till en administration.",
            "För att även koppla företaget {company_id}, skapa ett annat Procountor-konto på sidan Integration, auktorisera det och koppla företaget där.",
        ),
        fi=(
            "Procountor-tili '{username}' on jo liitetty {mapped_company, plural, one {yritykseen {mapped_company}} other {yrityksiin {mapped_company}}}; tilin voi liittää vain yhteen Procountor-yritykseen.",
            "Jos haluat liittää myös yrityksen {company_id}, luo Integraatio-sivulla toinen Procountor-tili, valtuuta se ja liitä yritys siellä.",
        ),
    ),
    entry(
        "procountor.mapping.administration_mismatch",
        params={
            "administration_id": Kind.CODE,
            "username": Kind.TEXT,
            "authorized_name": Kind.TEXT,
            "authorized_id": Kind.CODE,
        },
        en=(
            "Administration {administration_id} is not the Procountor company that account '{username}' is authorized for: {authorized_name} ({authorized_id}).",
            "Choose {authorized_name} as the administration, or authorize the account again and choose company {administration_id} when logging in at Procountor.",
        ),
        nl=(
            "Administratie {administration_id} is niet het Procountor-bedrijf waarvoor account '{username}' geautoriseerd is: {authorized_name} ({authorized_id}).",
            "Kies {authorized_name} als administratie, of autoriseer het account opnieuw en kies bedrijf {administration_id} bij het inloggen in Procountor.",
        ),
        sv=(
            "Administrationen {administration_id} är inte det Procountor-företag som kontot '{username}' är auktoriserat för: {authorized_name} ({authorized_id}).",
            "Välj {authorized_name} som administration, eller auktorisera kontot igen och välj företaget {administration_id} när du loggar in i Procountor.",
        ),
        fi=(
            "Valittu yritys {administration_id} ei ole se Procountor-yritys, johon tili '{username}' on valtuutettu: {authorized_name} ({authorized_id}).",
            "Valitse yritykseksi {authorized_name}, tai valtuuta tili uudelleen ja valitse yritys {administration_id} Procountoriin kirjautuessasi.",
        ),
    ),
    entry(
        "procountor.mapping.dimension_description_missing",
        params={"kind": _FEATURE},
        en=(
            "{kind} are switched on for this mapping, but the description of their dimension is empty.",
            "Enter the name of the Procountor dimension the {kind} are booked on, written as in Procountor, or switch {kind} off.",
        ),
        nl=(
            "{kind} staan aan voor deze koppeling, maar de omschrijving van hun dimensie is leeg.",
            "Vul de naam in van de Procountor-dimensie waarop de {kind} worden geboekt, geschreven zoals in Procountor, of zet {kind} uit.",
        ),
        sv=(
            "{kind} är påslagna för denna koppling, men beskrivningen av deras dimension är tom.",
            "Ange namnet på den Procountor-dimension som {kind} bokförs på, skrivet som i Procountor, eller slå av {kind}.",
        ),
        fi=(
            "{kind} on otettu käyttöön tässä liitoksessa, mutta niiden dimension kuvaus on tyhjä.",
            "Kirjoita sen Procountor-dimension nimi, jolle {kind} kirjataan, samoin kuin se on kirjoitettu Procountorissa, tai poista {kind} käytöstä.",
        ),
    ),
    entry(
        "procountor.mapping.dimension_not_found",
        params={
            "company_name": Kind.TEXT,
            "description": Kind.TEXT,
            "kind": _FEATURE,
            "names": Kind.NAMES,
            "closest": Kind.TEXT,
        },
        en=(
            "Procountor company {company_name} has no dimension '{description}' for the {kind}. Its dimensions are: {names}.",
            "Did you mean '{closest}'? Change the description to the dimension's name as written in Procountor.",
        ),
        nl=(
            "Procountor-bedrijf {company_name} heeft geen dimensie '{description}' voor de {kind}. De dimensies daar zijn: {names}.",
            "Bedoelde u '{closest}'? Wijzig de omschrijving in de naam van de dimensie zoals die in Procountor geschreven is.",
        ),
        sv=(
            "Procountor-företaget {company_name} har ingen dimension '{description}' för {kind}. Dess dimensioner är: {names}.",
            "Menade du '{closest}'? Ändra beskrivningen till dimensionens namn så som det skrivs i Procountor.",
        ),
        fi=(
            "Procountor-yrityksellä {company_name} ei ole dimensiota '{description}' ({kind}). Sen dimensiot ovat: {names}.",
            "Tarkoititko '{closest}'? Muuta kuvaus dimension nimeksi samoin kuin se on kirjoitettu Procountorissa.",
        ),
    ),
    entry(
        "procountor.mapping.no_dimensions",
        params={"company_name": Kind.TEXT, "kind": _FEATURE, "description": Kind.TEXT},
        en=(
            "Procountor company {company_name} has no dimensions at all, so the {kind} cannot be booked on dimension '{description}'.",
            "Create the dimension '{description}' in Procountor (dimensions can only be created in Procountor itself), or switch {kind} off.",
        ),
        nl=(
            "Procountor-bedrijf {company_name} heeft helemaal geen dimensies, dus de {kind} kunnen niet op dimensie '{description}' worden geboekt.",
            "Maak de dimensie '{description}' aan in Procountor (dimensies kunnen alleen in Procountor zelf worden aangemaakt), of zet {kind} uit.",
        ),
        sv=(
            "Procountor-företaget {company_name} har inga dimensioner alls, så {kind} kan inte bokföras på dimensionen '{description}'.",
            "Skapa dimensionen '{description}' i Procountor (dimensioner kan bara skapas i Procountor), eller slå av {kind}.",
        ),
        fi=(
            "Procountor-yrityksellä {company_name} ei ole lainkaan dimensioita, joten dimensiota '{description}' ei voi käyttää ({kind}).",
            "Luo dimensio '{description}' Procountorissa (dimensioita voi luoda vain Procountorissa), tai poista {kind} käytöstä.",
        ),
    ),
    entry(
        "procountor.mapping.dimension_used_twice",
        params={"kind": _FEATURE, "other_kind": _FEATURE, "dimension": Kind.TEXT},
        en=(
            "{kind} and {other_kind} are both mapped to Procountor dimension '{dimension}'.",
            "Map {kind} to another dimension or switch one of them off: a journal row carries one item per dimension, so one of the two would be lost.",
        ),
        nl=(
            "{kind} en {other_kind} zijn allebei gekoppeld aan Procountor-dimensie '{dimension}'.",
            "Koppel {kind} aan een andere dimensie of zet er één uit: een journaalregel draagt één item per dimensie, dus één van de twee zou verloren gaan.",
        ),
        sv=(
            "{kind} och {other_kind} är båda kopplade till Procountor-dimensionen '{dimension}'.",
            "Koppla {kind} till en annan dimension eller slå av en av dem: en verifikationsrad bär ett objekt per dimension, så det ena skulle gå förlorat.",
        ),
        fi=(
            "{kind} ja {other_kind} on molemmat liitetty Procountor-dimensioon '{dimension}'.",
            "Liitä {kind} toiseen dimensioon tai poista toinen käytöstä: tositerivillä on yksi nimike dimensiota kohden, joten toinen katoaisi.",
        ),
    ),
    entry(
        "procountor.mapping.item_missing",
        params={"object": _OBJECT, "cost_code": Kind.CODE, "description": Kind.TEXT, "dimension": Kind.TEXT},
        en=(
            "{object} {cost_code} ({description}) has no item in Procountor dimension '{dimension}'; a journal using it would be refused.",
            "Create an item with code {cost_code} in the dimension in Procountor, or switch on the account setting 'Create missing dimension items' to have the export create it.",
        ),
        nl=(
            "{object} {cost_code} ({description}) heeft geen item in Procountor-dimensie '{dimension}'; een journaal dat deze gebruikt wordt geweigerd.",
            "Maak in Procountor een item met code {cost_code} aan in de dimensie, of zet de accountinstelling 'Ontbrekende dimensie-items aanmaken' aan zodat de export het aanmaakt.",
        ),
        sv=(
            "{object} {cost_code} ({description}) har inget objekt i Procountor-dimensionen '{dimension}'; en verifikation som använder det skulle avvisas.",
            "Skapa ett objekt med koden {cost_code} i dimensionen i Procountor, eller slå på kontoinställningen 'Skapa saknade dimensionsobjekt' så att exporten skapar det.",
        ),
        fi=(
            "{object} {cost_code} ({description}): Procountor-dimensiossa '{dimension}' ei ole sille nimikettä; sitä käyttävä tosite hylättäisiin.",
            "Luo dimensioon Procountorissa nimike koodilla {cost_code}, tai ota käyttöön tilin asetus 'Luo puuttuvat dimension nimikkeet', jolloin vienti luo sen.",
        ),
        severity="warning",
    ),
    entry(
        "procountor.mapping.item_will_be_created",
        params={"object": _OBJECT, "cost_code": Kind.CODE, "description": Kind.TEXT, "dimension": Kind.TEXT},
        en=(
            "{object} {cost_code} ({description}) has no item in Procountor dimension '{dimension}'; the first export that uses it will create one.",
            "Nothing to do: the account setting 'Create missing dimension items' is on. Create the item in Procountor yourself if you want another description.",
        ),
        nl=(
            "{object} {cost_code} ({description}) heeft geen item in Procountor-dimensie '{dimension}'; de eerste export die het gebruikt maakt het aan.",
            "U hoeft niets te doen: de accountinstelling 'Ontbrekende dimensie-items aanmaken' staat aan. Maak het item zelf aan in Procountor als u een andere omschrijving wilt.",
        ),
        sv=(
            "{object} {cost_code} ({description}) har inget objekt i Procountor-dimensionen '{dimension}'; den första exporten som använder det skapar ett.",
            "Inget att göra: kontoinställningen 'Skapa saknade dimensionsobjekt' är påslagen. Skapa objektet själv i Procountor om du vill ha en annan beskrivning.",
        ),
        fi=(
            "{object} {cost_code} ({description}): Procountor-dimensiossa '{dimension}' ei ole sille nimikettä; ensimmäinen sitä käyttävä vienti luo sen.",
            "Ei toimenpiteitä: tilin asetus 'Luo puuttuvat dimension nimikkeet' on käytössä. Luo nimike itse Procountorissa, jos haluat toisen kuvauksen.",
        ),
        severity="info",
    ),
    entry(
        "procountor.mapping.item_inactive",
        params={
            "object": _OBJECT,
            "cost_code": Kind.CODE,
            "description": Kind.TEXT,
            "item_code": Kind.CODE,
            "item_description": Kind.TEXT,
            "dimension": Kind.TEXT,
        },
        en=(
            "{object} {cost_code} ({description}) matches item {item_code} ({item_description}) in Procountor dimension '{dimension}', but that item is inactive; a journal using it would be refused.",
            "Reactivate item {item_code} in Procountor, or change the {object} of the employees concerned in Nmbrs.",
        ),
        nl=(
            "{object} {cost_code} ({description}) hoort bij item {item_code} ({item_description}) in Procountor-dimensie '{dimension}', maar dat item is inactief; een journaal dat het gebruikt wordt geweigerd.",
            "Activeer item {item_code} opnieuw in Procountor, of wijzig in Nmbrs de {object} van de betrokken medewerkers.",
        ),
        sv=(
            "{object} {cost_code} ({description}) motsvarar objektet {item_code} ({item_description}) i Procountor-dimensionen '{dimension}', men objektet är inaktivt; en verifikation som använder det skulle avvisas.",
            "Aktivera objektet {item_code} igen i Procountor, eller ändra {object} för de berörda anställda i Nmbrs.",
        ),
        fi=(
            "{object} {cost_code} ({description}) vastaa Procountor-dimension '{dimension}' nimikettä {item_code} ({item_description}), mutta nimike on passiivinen; sitä käyttävä tosite hylättäisiin.",
            "Aktivoi nimike {item_code} uudelleen Procountorissa, tai vaihda Nmbrsissä asianomaisten työntekijöiden {object}.",
        ),
        severity="warning",
    ),
    entry(
        "procountor.mapping.dimensions_forbidden",
        params={"username": Kind.TEXT},
        en=(
            "The Procountor user of account '{username}' may not read the company's dimensions.",
            "Give that user the right to see dimensions in Procountor's user rights, then check the mapping again.",
        ),
        nl=(
            "De Procountor-gebruiker van account '{username}' mag de dimensies van het bedrijf niet lezen.",
            "Geef die gebruiker in de gebruikersrechten van Procountor het recht om dimensies te zien en controleer de koppeling opnieuw.",
        ),
        sv=(
            "Procountor-användaren för kontot '{username}' får inte läsa företagets dimensioner.",
            "Ge användaren rätt att se dimensioner i Procountors användarrättigheter och kontrollera sedan kopplingen igen.",
        ),
        fi=(
            "Tilin '{username}' Procountor-käyttäjä ei saa lukea yrityksen dimensioita.",
            "Anna käyttäjälle Procountorin käyttöoikeuksissa oikeus nähdä dimensiot ja tarkista liitos sitten uudelleen.",
        ),
    ),
    entry(
        "procountor.mapping.vat_status_not_enabled",
        params={
            "vat_status": Kind.CODE,
            "vat_receipts": Term("vat_receipts"),
            "enabled": Kind.NAMES,
            "company_name": Kind.TEXT,
            "username": Kind.TEXT,
        },
        en=(
            "VAT status {vat_status} is not enabled for {vat_receipts} in Procountor company {company_name}, so Procountor would refuse every journal of account '{username}'.",
            "Set the account's VAT status to one enabled for {vat_receipts} ({enabled}), or enable VAT status {vat_status} in Procountor's VAT defaults, then check the mapping again.",
        ),
        nl=(
            "Btw-status {vat_status} is niet ingeschakeld voor {vat_receipts} in Procountor-bedrijf {company_name}, dus Procountor zou elk journaal van account '{username}' weigeren.",
            "Stel voor het account een btw-status in die voor {vat_receipts} is ingeschakeld ({enabled}), of schakel btw-status {vat_status} in bij de btw-standaarden van Procountor en controleer de koppeling daarna opnieuw.",
        ),
        sv=(
            "Momsstatus {vat_status} är inte aktiverad för {vat_receipts} i Procountor-företaget {company_name}, så Procountor skulle avvisa varje verifikat från kontot '{username}'.",
            "Ange en momsstatus för kontot som är aktiverad för {vat_receipts} ({enabled}), eller aktivera momsstatus {vat_status} i Procountors momsinställningar och kontrollera sedan kopplingen igen.",
        ),
        fi=(
            "ALV-tila {vat_status} ei ole käytössä {vat_receipts} Procountor-yrityksessä {company_name}, joten Procountor hylkäisi jokaisen tilin '{username}' muistiotositteen.",
            "Valitse tilille ALV-tila, joka on käytössä {vat_receipts} ({enabled}), tai ota ALV-tila {vat_status} käyttöön Procountorin ALV-oletuksissa ja tarkista liitos sitten uudelleen.",
        ),
    ),
]
