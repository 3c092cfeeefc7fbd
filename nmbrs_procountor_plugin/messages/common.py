"""Problems shared by every area: rights, configuration, reaching Procountor."""

from nmbrs_procountor_plugin.messages import Kind, Term, entry

ENTRIES = [
    entry(
        "procountor.rights.write_required",
        params={"action": Term("action")},
        en=(
            "You need the Procountor right 'write' to {action}.",
            "Ask an administrator to set Procountor to 'write' in your template.",
        ),
        nl=(
            "U heeft het Procountor-recht 'schrijven' nodig om {action}.",
            "Vraag een beheerder om Procountor op 'schrijven' te zetten in uw template.",
        ),
        sv=(
            "Du behöver Procountor-rättigheten 'skriva' för att {action}.",
            "Be en administratör att sätta Procountor till 'skriva' i din mall.",
        ),
        fi=(
            "Tarvitset Procountor-oikeuden 'kirjoitus', jotta voit {action}.",
            "Pyydä pääkäyttäjää asettamaan Procountor-oikeudeksi 'kirjoitus' mallipohjassasi.",
        ),
    ),
    entry(
        "procountor.rights.read_required",
        en=(
            "You need at least the Procountor right 'read' to see this.",
            "Ask an administrator to set Procountor to 'read' or 'write' in your template.",
        ),
        nl=(
            "U heeft minimaal het Procountor-recht 'lezen' nodig om dit te zien.",
            "Vraag een beheerder om Procountor op 'lezen' of 'schrijven' te zetten in uw template.",
        ),
        sv=(
            "Du behöver minst Procountor-rättigheten 'läsa' för att se detta.",
            "Be en administratör att sätta Procountor till 'läsa' eller 'skriva' i din mall.",
        ),
        fi=(
            "Tarvitset vähintään Procountor-oikeuden 'luku' nähdäksesi tämän.",
            "Pyydä pääkäyttäjää asettamaan Procountor-oikeudeksi 'luku' tai 'kirjoitus'.",
        ),
    ),
    entry(
        "procountor.config.invalid",
        params={"reason": Term("config_problem")},
        en=(
            "The Procountor connection is not configured correctly: {reason}.",
            "Contact your Nmbrs system administrator; the Procountor client settings need fixing.",
        ),
        nl=(
            "De Procountor-koppeling is niet juist geconfigureerd: {reason}.",
            "Neem contact op met uw Nmbrs-systeembeheerder; de Procountor-clientinstellingen moeten worden hersteld.",
        ),
        sv=(
            "Procountor-kopplingen är inte korrekt konfigurerad: {reason}.",
            "Kontakta din Nmbrs-systemadministratör; Procountor-klientinställningarna behöver rättas.",
        ),
        fi=(
            "Procountor-yhteyttä ei ole määritetty oikein: {reason}.",
            "Ota yhteyttä Nmbrs-järjestelmän ylläpitäjään; Procountor-asiakasasetukset on korjattava.",
        ),
    ),
    entry(
        "procountor.config.insecure_url",
        params={"url": Kind.CODE},
        en=(
            "The Procountor address {url} does not use HTTPS.",
            "Use an https:// address; plain http is only allowed for a local test server.",
        ),
        nl=(
            "Het Procountor-adres {url} gebruikt geen HTTPS.",
            "Gebruik een https://-adres; http is alleen toegestaan voor een lokale testserver.",
        ),
        sv=(
            "Procountor-adressen {url} använder inte HTTPS.",
            "Använd en https://-adress; http tillåts bara för en lokal testserver.",
        ),
        fi=(
            "Procountor-osoite {url} ei käytä HTTPS-yhteyttä.",
            "Käytä https://-osoitetta; http on sallittu vain paikalliselle testipalvelimelle.",
        ),
    ),
    entry(
        "procountor.unavailable",
        params={"reason": Term("unavailable_reason"), "call": Kind.TECHNICAL},
        en=(
            "Procountor gave no usable answer: {reason} ({call}).",
            "Wait a few minutes and try again. Nothing was booked twice; a retry finishes what is missing.",
        ),
        nl=(
            "Procountor gaf geen bruikbaar antwoord: {reason} ({call}).",
            "Wacht een paar minuten en probeer het opnieuw. Er is niets dubbel geboekt; opnieuw proberen maakt af wat ontbreekt.",
        ),
        sv=(
            "Procountor gav inget användbart svar: {reason} ({call}).",
            "Vänta några minuter och försök igen. Inget har bokförts två gånger; ett nytt försök slutför det som saknas.",
        ),
        fi=(
            "Procountorilta ei saatu käyttökelpoista vastausta: {reason} ({call}).",
            "Odota muutama minuutti ja yritä uudelleen. Mitään ei kirjattu kahdesti; uusi yritys viimeistelee puuttuvat.",
        ),
    ),
    entry(
        "procountor.rate_limited",
        en=("Procountor is limiting the number of requests right now.", "Wait a minute and try again."),
        nl=("Procountor beperkt op dit moment het aantal verzoeken.", "Wacht een minuut en probeer het opnieuw."),
        sv=("Procountor begränsar antalet anrop just nu.", "Vänta en minut och försök igen."),
        fi=("Procountor rajoittaa pyyntöjen määrää juuri nyt.", "Odota hetki ja yritä uudelleen."),
    ),
    entry(
        "procountor.unexpected_response",
        params={"detail": Kind.TECHNICAL},
        en=(
            "Procountor answered in a way the integration does not understand ({detail}).",
            "Try again later; if it persists, contact Nmbrs support with the time of the attempt.",
        ),
        nl=(
            "Procountor gaf een antwoord dat de koppeling niet begrijpt ({detail}).",
            "Probeer het later opnieuw; blijft het gebeuren, neem dan contact op met Nmbrs support met het tijdstip.",
        ),
        sv=(
            "Procountor svarade på ett sätt som integrationen inte förstår ({detail}).",
            "Försök igen senare; om det kvarstår, kontakta Nmbrs support och ange tidpunkten.",
        ),
        fi=(
            "Procountor vastasi tavalla, jota integraatio ei ymmärrä ({detail}).",
            "Yritä myöhemmin uudelleen; jos ongelma jatkuu, ota yhteyttä Nmbrsin tukeen ja kerro ajankohta.",
        ),
    ),
]
