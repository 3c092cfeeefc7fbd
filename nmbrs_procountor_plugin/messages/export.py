"""Problems of the export area: the journal's own checks (``procountor.journal.*``).

Line numbers in messages are human (the first line is line 1); the problem's ``field`` keeps the
zero-based index (``lines[0].amount``) that tools and Procountor's own errors use.
"""

from nmbrs_procountor_plugin.messages import Entry, Kind, Term, entry

ENTRIES: list[Entry] = [
    entry(
        "procountor.journal.reference_missing",
        en=(
            "The journal has no reference; Procountor needs it as the name of each receipt.",
            "Give the run's journal a reference in Nmbrs and send it again.",
        ),
        nl=(
            "De journaalpost heeft geen referentie; Procountor gebruikt die als naam van elke boeking.",
            "Geef de journaalpost van de run een referentie in Nmbrs en verstuur opnieuw.",
        ),
        sv=(
            "Journalen saknar referens; Procountor behöver den som namn på varje verifikation.",
            "Ge körningens journal en referens i Nmbrs och skicka igen.",
        ),
        fi=(
            "Tiliöinnillä ei ole viitettä; Procountor tarvitsee sen jokaisen tositteen nimeksi.",
            "Anna ajon tiliöinnille viite Nmbrsissä ja lähetä uudelleen.",
        ),
    ),
    entry(
        "procountor.journal.reference_too_long",
        params={"reference": Kind.TEXT, "length": Kind.NUMBER, "limit": Kind.NUMBER},
        en=(
            "The journal reference '{reference}' is {length, plural, one {# character} other {# characters}} long; Procountor allows at most {limit}.",
            "Shorten the reference to {limit} characters or fewer and send again.",
        ),
        nl=(
            "De referentie '{reference}' is {length, plural, one {# teken} other {# tekens}} lang; Procountor staat er maximaal {limit} toe.",
            "Kort de referentie in tot maximaal {limit} tekens en verstuur opnieuw.",
        ),
        sv=(
            "Journalens referens '{reference}' är {length} tecken lång; Procountor tillåter högst {limit}.",
            "Korta referensen till högst {limit} tecken och skicka igen.",
        ),
        fi=(
            "Tiliöinnin viite '{reference}' on {length, plural, one {# merkin} other {# merkkiä}} pitkä; Procountor sallii enintään {limit}.",
            "Lyhennä viite enintään {limit} merkkiin ja lähetä uudelleen.",
        ),
    ),
    entry(
        "procountor.journal.account_missing",
        params={"line": Kind.LINE, "amount": Kind.AMOUNT},
        en=(
            "Line {line} (amount {amount}) has no ledger account.",
            "Map the wage component of this line to a ledger account in the general ledger scheme and recreate the journal.",
        ),
        nl=(
            "Regel {line} (bedrag {amount}) heeft geen grootboekrekening.",
            "Koppel de looncomponent van deze regel aan een grootboekrekening in het grootboekschema en maak de journaalpost opnieuw aan.",
        ),
        sv=(
            "Rad {line} (belopp {amount}) saknar bokföringskonto.",
            "Koppla radens lönekomponent till ett konto i kontoplanen och skapa journalen på nytt.",
        ),
        fi=(
            "Riviltä {line} (summa {amount}) puuttuu kirjanpitotili.",
            "Liitä rivin palkkalaji kirjanpitotiliin tilikartassa ja luo tiliöinti uudelleen.",
        ),
    ),
    entry(
        "procountor.journal.amount_decimals",
        params={"line": Kind.LINE, "amount": Kind.AMOUNT},
        en=(
            "Line {line}: the amount {amount} has more than two decimals.",
            "Procountor books whole cents; correct the amount in the payroll so it has at most two decimals. It is not rounded for you, because rounding could unbalance the journal.",
        ),
        nl=(
            "Regel {line}: het bedrag {amount} heeft meer dan twee decimalen.",
            "Procountor boekt hele centen; corrigeer het bedrag in de salarisadministratie tot maximaal twee decimalen. Er wordt niet automatisch afgerond, omdat afronden de journaalpost uit balans kan brengen.",
        ),
        sv=(
            "Rad {line}: beloppet {amount} har fler än två decimaler.",
            "Procountor bokför hela cent; rätta beloppet i lönen så att det har högst två decimaler. Det avrundas inte automatiskt, eftersom avrundning kan göra journalen obalanserad.",
        ),
        fi=(
            "Rivi {line}: summassa {amount} on enemmän kuin kaksi desimaalia.",
            "Procountor kirjaa kokonaisia senttejä; korjaa summa palkanlaskennassa enintään kahteen desimaaliin. Summaa ei pyöristetä automaattisesti, koska pyöristys voisi viedä tiliöinnin epätasapainoon.",
        ),
    ),
    entry(
        "procountor.journal.amount_too_large",
        params={"line": Kind.LINE, "amount": Kind.AMOUNT, "limit": Kind.AMOUNT},
        en=(
            "Line {line}: the amount {amount} is larger than the {limit} this integration can book.",
            "Check the amount in the payroll; it is almost certainly an error.",
        ),
        nl=(
            "Regel {line}: het bedrag {amount} is groter dan de {limit} die deze koppeling kan boeken.",
            "Controleer het bedrag in de salarisadministratie; het is vrijwel zeker een fout.",
        ),
        sv=(
            "Rad {line}: beloppet {amount} är större än de {limit} som integrationen kan bokföra.",
            "Kontrollera beloppet i lönen; det är nästan säkert ett fel.",
        ),
        fi=(
            "Rivi {line}: summa {amount} on suurempi kuin integraation kirjattavissa oleva {limit}.",
            "Tarkista summa palkanlaskennassa; se on lähes varmasti virhe.",
        ),
    ),
    entry(
        "procountor.journal.period_after_run",
        params={"line": Kind.LINE, "amount": Kind.AMOUNT, "period": Kind.PERIOD, "run_period": Kind.PERIOD},
        en=(
            "Line {line} (amount {amount}) is booked in period {period}, after the run's own period {run_period}.",
            "A run can correct earlier periods but cannot book in later ones; check the line's period in the payroll.",
        ),
        nl=(
            "Regel {line} (bedrag {amount}) wordt geboekt in periode {period}, na de eigen periode van de run {run_period}.",
            "Een run kan eerdere periodes corrigeren, maar niet in latere periodes boeken; controleer de periode van de regel.",
        ),
        sv=(
            "Rad {line} (belopp {amount}) bokförs i period {period}, efter körningens egen period {run_period}.",
            "En körning kan rätta tidigare perioder men inte bokföra i senare; kontrollera radens period i lönen.",
        ),
        fi=(
            "Rivi {line} (summa {amount}) kirjataan jaksolle {period}, joka on ajon oman jakson {run_period} jälkeen.",
            "Ajo voi korjata aiempia jaksoja, mutta ei kirjata myöhemmille; tarkista rivin jakso palkanlaskennassa.",
        ),
    ),
    entry(
        "procountor.journal.line_invalid",
        params={"line": Kind.LINE, "field_name": Term("field", verbatim_unknown=True)},
        en=(
            "Line {line}: the value of '{field_name}' cannot be booked.",
            "Correct the line in the payroll and recreate the journal.",
        ),
        nl=(
            "Regel {line}: de waarde van '{field_name}' kan niet worden geboekt.",
            "Corrigeer de regel in de salarisadministratie en maak de journaalpost opnieuw aan.",
        ),
        sv=(
            "Rad {line}: värdet i '{field_name}' kan inte bokföras.",
            "Rätta raden i lönen och skapa journalen på nytt.",
        ),
        fi=(
            "Rivi {line}: kentän '{field_name}' arvoa ei voi kirjata.",
            "Korjaa rivi palkanlaskennassa ja luo tiliöinti uudelleen.",
        ),
    ),
    entry(
        "procountor.journal.empty",
        en=(
            "The journal has no line with an amount to book.",
            "Check that the payroll run was calculated and that its journal was created.",
        ),
        nl=(
            "De journaalpost heeft geen regel met een bedrag om te boeken.",
            "Controleer of de salarisrun is berekend en de journaalpost is aangemaakt.",
        ),
        sv=(
            "Journalen har ingen rad med ett belopp att bokföra.",
            "Kontrollera att lönekörningen är beräknad och att dess journal har skapats.",
        ),
        fi=(
            "Tiliöinnillä ei ole yhtään kirjattavaa summaa sisältävää riviä.",
            "Tarkista, että palkka-ajo on laskettu ja sen tiliöinti luotu.",
        ),
    ),
    entry(
        "procountor.journal.unbalanced",
        params={"period": Kind.PERIOD, "debit": Kind.AMOUNT, "credit": Kind.AMOUNT, "difference": Kind.AMOUNT},
        en=(
            "The lines booked in period {period} do not balance: debit {debit} and credit {credit} differ by {difference}.",
            "Every receipt must total 0.00. Check the journal's lines for {period} in the payroll.",
        ),
        nl=(
            "De regels in periode {period} zijn niet in balans: debet {debit} en credit {credit} verschillen {difference}.",
            "Elke boeking moet op 0,00 uitkomen. Controleer de regels van {period} in de salarisadministratie.",
        ),
        sv=(
            "Raderna som bokförs i period {period} balanserar inte: debet {debit} och kredit {credit} skiljer sig med {difference}.",
            "Varje verifikation måste summera till 0,00. Kontrollera journalens rader för {period} i lönen.",
        ),
        fi=(
            "Jaksolle {period} kirjattavat rivit eivät täsmää: debet {debit} ja kredit {credit} eroavat {difference}.",
            "Jokaisen tositteen summan on oltava 0,00. Tarkista tiliöinnin jakson {period} rivit palkanlaskennassa.",
        ),
    ),
    entry(
        "procountor.journal.zero_lines_skipped",
        params={"count": Kind.COUNT, "lines": Kind.LINES},
        en=(
            "{count, plural, one {# line with amount 0.00 was left out: line {lines}.} other {# lines with amount 0.00 were left out: lines {lines}.}}",
            "Nothing to do; Procountor receipts only carry rows with an amount.",
        ),
        nl=(
            "{count, plural, one {# regel met bedrag 0,00 is weggelaten: regel {lines}.} other {# regels met bedrag 0,00 zijn weggelaten: regels {lines}.}}",
            "U hoeft niets te doen; Procountor-boekingen bevatten alleen regels met een bedrag.",
        ),
        sv=(
            "{count, plural, one {# rad med beloppet 0,00 utelämnades: rad {lines}.} other {# rader med beloppet 0,00 utelämnades: raderna {lines}.}}",
            "Inget att göra; Procountors verifikationer innehåller bara rader med belopp.",
        ),
        fi=(
            "{count, plural, one {# rivi, jonka summa on 0,00, jätettiin pois: rivi {lines}.} other {# riviä, joiden summa on 0,00, jätettiin pois: rivit {lines}.}}",
            "Ei toimenpiteitä; Procountorin tositteille viedään vain rivit, joilla on summa.",
        ),
        severity="info",
    ),
    entry(
        "procountor.journal.text_adjusted",
        params={"lines": Kind.LINES, "limit": Kind.NUMBER},
        en=(
            "{lines, plural, one {The description of line {lines} was adjusted for Procountor.} other {The descriptions of lines {lines} were adjusted for Procountor.}}",
            "Characters Procountor cannot store (outside Windows-1252, such as emoji) are replaced and text beyond {limit} characters is cut. Nothing else changed.",
        ),
        nl=(
            "{lines, plural, one {De omschrijving van regel {lines} is aangepast voor Procountor.} other {De omschrijvingen van de regels {lines} zijn aangepast voor Procountor.}}",
            "Tekens die Procountor niet kan opslaan (buiten Windows-1252, zoals emoji) worden vervangen en tekst na {limit} tekens wordt afgekapt. Verder is niets veranderd.",
        ),
        sv=(
            "{lines, plural, one {Beskrivningen på rad {lines} anpassades för Procountor.} other {Beskrivningarna på raderna {lines} anpassades för Procountor.}}",
            "Tecken som Procountor inte kan lagra (utanför Windows-1252, t.ex. emoji) ersätts och text efter {limit} tecken kortas bort. Inget annat ändrades.",
        ),
        fi=(
            "{lines, plural, one {Rivin {lines} selite mukautettiin Procountoria varten.} other {Rivien {lines} selitteet mukautettiin Procountoria varten.}}",
            "Merkit, joita Procountor ei voi tallentaa (Windows-1252:n ulkopuoliset, kuten emojit), korvataan ja {limit} merkin ylittävä teksti katkaistaan. Muuta ei muutettu.",
        ),
        severity="info",
    ),
    entry(
        "procountor.journal.reference_adjusted",
        params={"reference": Kind.TEXT, "sent": Kind.TEXT},
        en=(
            "The journal reference '{reference}' is sent to Procountor as '{sent}'.",
            "Procountor cannot store some of its characters (outside Windows-1252); they were replaced.",
        ),
        nl=(
            "De referentie '{reference}' wordt naar Procountor verstuurd als '{sent}'.",
            "Procountor kan sommige tekens niet opslaan (buiten Windows-1252); die zijn vervangen.",
        ),
        sv=(
            "Journalens referens '{reference}' skickas till Procountor som '{sent}'.",
            "Procountor kan inte lagra vissa av tecknen (utanför Windows-1252); de ersattes.",
        ),
        fi=(
            "Tiliöinnin viite '{reference}' lähetetään Procountoriin muodossa '{sent}'.",
            "Procountor ei voi tallentaa kaikkia sen merkkejä (Windows-1252:n ulkopuolisia); ne korvattiin.",
        ),
        severity="info",
    ),
    entry(
        "procountor.journal.booking_date_outside_period",
        params={"date": Kind.DATE, "period": Kind.PERIOD},
        en=(
            "The run's booking date {date} is not in the run's period {period}.",
            "Correct the booking date of the payroll run so it lies in {period}, then send again.",
        ),
        nl=(
            "De boekdatum {date} van de run valt niet in de periode {period} van de run.",
            "Corrigeer de boekdatum van de verloning zodat die in {period} valt en verzend opnieuw.",
        ),
        sv=(
            "Körningens bokföringsdatum {date} ligger inte i körningens period {period}.",
            "Rätta lönekörningens bokföringsdatum så att det ligger i {period} och skicka igen.",
        ),
        fi=(
            "Ajon kirjauspäivä {date} ei ole ajon kaudella {period}.",
            "Korjaa palkka-ajon kirjauspäivä kaudelle {period} ja lähetä uudelleen.",
        ),
    ),
]
