"""Problems about what is booked and what may be booked: pending periods, search rights, refused dates."""

from nmbrs_procountor_plugin.messages import Entry, Kind, Term, entry

ENTRIES: list[Entry] = [
    entry(
        "procountor.period.pending",
        params={"date": Kind.DATE, "start": Kind.DATE, "end": Kind.DATE},
        en=(
            "The date {date} lies in a pending period of Procountor ({start} to {end}); nothing was sent, because Procountor does not say what happens to a receipt booked there.",
            "Ask the accountant to open the tracking period in Procountor (Management > Accounting info > Financial years), then send again.",
        ),
        nl=(
            "De datum {date} valt in een periode die in Procountor in behandeling is ({start} t/m {end}); er is niets verzonden, omdat Procountor niet zegt wat er met een boeking in zo'n periode gebeurt.",
            "Vraag de accountant de periode in Procountor te openen (Beheer > Boekhoudgegevens > Boekjaren) en verzend daarna opnieuw.",
        ),
        sv=(
            "Datumet {date} ligger i en väntande period i Procountor ({start}–{end}); inget skickades, eftersom Procountor inte anger vad som händer med en verifikation i en sådan period.",
            "Be revisorn öppna perioden i Procountor (Hantering > Bokföringsuppgifter > Räkenskapsår) och skicka sedan igen.",
        ),
        fi=(
            "Päivämäärä {date} osuu Procountorissa odottavaan kauteen ({start}–{end}); mitään ei lähetetty, koska Procountor ei kerro, mitä sellaiseen kauteen kirjatulle tositteelle tapahtuu.",
            "Pyydä kirjanpitäjää avaamaan seurantakausi Procountorissa (Hallinta > Kirjanpidon tiedot > Tilikaudet) ja lähetä sitten uudelleen.",
        ),
    ),
    entry(
        "procountor.period.not_open",
        params={"date": Kind.DATE, "period": Kind.PERIOD},
        en=(
            "Procountor refused the date {date} of the receipt for {period}: its period is not open for booking.",
            "Ask the accountant to open the period in Procountor, then send again; periods already booked are not sent twice.",
        ),
        nl=(
            "Procountor weigerde de datum {date} van de boeking voor {period}: die periode is niet open voor boeken.",
            "Vraag de accountant de periode in Procountor te openen en verzend daarna opnieuw; al geboekte perioden worden niet dubbel verzonden.",
        ),
        sv=(
            "Procountor avvisade datumet {date} i verifikationen för {period}: perioden är inte öppen för bokföring.",
            "Be revisorn öppna perioden i Procountor och skicka sedan igen; redan bokförda perioder skickas inte två gånger.",
        ),
        fi=(
            "Procountor hylkäsi kauden {period} tositteen päivämäärän {date}: kausi ei ole avoinna kirjauksille.",
            "Pyydä kirjanpitäjää avaamaan kausi Procountorissa ja lähetä sitten uudelleen; jo kirjattuja kausia ei lähetetä kahdesti.",
        ),
    ),
    entry(
        "procountor.rights.receipt_search",
        params={"level": Term("right_level")},
        en=(
            "The Procountor user of this account may not search journal receipts (right: {level}), so the export cannot check what is already booked.",
            "In Procountor, give the user at least viewing rights to the journal receipt search (Management > Users), then send again.",
        ),
        nl=(
            "De Procountor-gebruiker van dit account mag geen memoriaalboekingen zoeken (recht: {level}), dus de export kan niet nagaan wat al geboekt is.",
            "Geef de gebruiker in Procountor minstens leesrechten voor het zoeken van memoriaalboekingen (Beheer > Gebruikers) en verzend daarna opnieuw.",
        ),
        sv=(
            "Procountor-användaren för detta konto får inte söka memorialverifikationer (rättighet: {level}), så exporten kan inte kontrollera vad som redan är bokfört.",
            "Ge användaren i Procountor minst visningsrätt till sökningen av memorialverifikationer (Hantering > Användare) och skicka sedan igen.",
        ),
        fi=(
            "Tämän tilin Procountor-käyttäjä ei saa hakea muistiotositteita (oikeus: {level}), joten vienti ei voi tarkistaa, mitä on jo kirjattu.",
            "Anna käyttäjälle Procountorissa vähintään katseluoikeus muistiotositteiden hakuun (Hallinta > Käyttäjät) ja lähetä sitten uudelleen.",
        ),
    ),
    entry(
        "procountor.rights.personal_receipts_only",
        en=(
            "The Procountor user of this account sees only their own journal receipts, so a receipt of this journal booked by someone else cannot be found.",
            "Nothing blocks sending. To let the export see every receipt, lift the 'own receipts only' limitation of the user in Procountor (Management > Users).",
        ),
        nl=(
            "De Procountor-gebruiker van dit account ziet alleen de eigen memoriaalboekingen, dus een boeking van deze journaalpost die iemand anders maakte, kan niet worden gevonden.",
            "Verzenden wordt niet geblokkeerd. Hef in Procountor de beperking 'alleen eigen boekingen' van de gebruiker op (Beheer > Gebruikers) zodat de export elke boeking ziet.",
        ),
        sv=(
            "Procountor-användaren för detta konto ser bara sina egna memorialverifikationer, så en verifikation för denna journal som någon annan bokfört kan inte hittas.",
            "Inget hindrar sändningen. Ta bort användarens begränsning 'endast egna verifikationer' i Procountor (Hantering > Användare) så att exporten ser alla verifikationer.",
        ),
        fi=(
            "Tämän tilin Procountor-käyttäjä näkee vain omat muistiotositteensa, joten jonkun muun kirjaamaa tämän kirjauksen tositetta ei löydetä.",
            "Lähettäminen ei esty. Poista käyttäjän 'vain omat tositteet' -rajoitus Procountorissa (Hallinta > Käyttäjät), jotta vienti näkee kaikki tositteet.",
        ),
        severity="warning",
    ),
]
