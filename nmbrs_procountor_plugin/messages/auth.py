"""Problems of the authorization area.

Messages never carry a token, code, state or key: the only parameters are names the admin
already sees (the account's username, a company) and short, sanitised provider error words.
"""

from nmbrs_procountor_plugin.messages import Kind, entry

ENTRIES = [
    entry(
        "procountor.auth.not_authorized",
        params={"username": Kind.TEXT},
        en=(
            "The Procountor account '{username}' is not authorized yet.",
            "Click the Procountor icon next to the account, log in at Procountor and choose the company.",
        ),
        nl=(
            "Het Procountor-account '{username}' is nog niet geautoriseerd.",
            "Klik op het Procountor-icoon bij het account, log in bij Procountor en kies het bedrijf.",
        ),
        sv=(
            "Procountor-kontot '{username}' är inte auktoriserat ännu.",
            "Klicka på Procountor-ikonen vid kontot, logga in i Procountor och välj företaget.",
        ),
        fi=(
            "Procountor-tiliä '{username}' ei ole vielä valtuutettu.",
            "Napsauta tilin vieressä olevaa Procountor-kuvaketta, kirjaudu Procountoriin ja valitse yritys.",
        ),
    ),
    entry(
        "procountor.auth.expired",
        params={"username": Kind.TEXT},
        en=(
            "The authorization of Procountor account '{username}' has expired or was withdrawn in Procountor.",
            "Click the Procountor icon next to the account and log in again to renew the authorization.",
        ),
        nl=(
            "De autorisatie van Procountor-account '{username}' is verlopen of in Procountor ingetrokken.",
            "Klik op het Procountor-icoon bij het account en log opnieuw in om de autorisatie te vernieuwen.",
        ),
        sv=(
            "Auktoriseringen för Procountor-kontot '{username}' har gått ut eller dragits tillbaka i Procountor.",
            "Klicka på Procountor-ikonen vid kontot och logga in igen för att förnya auktoriseringen.",
        ),
        fi=(
            "Procountor-tilin '{username}' valtuutus on vanhentunut tai peruttu Procountorissa.",
            "Napsauta tilin vieressä olevaa Procountor-kuvaketta ja kirjaudu uudelleen valtuutuksen uusimiseksi.",
        ),
    ),
    entry(
        "procountor.auth.authorized",
        params={"username": Kind.TEXT, "company_name": Kind.TEXT, "company_id": Kind.CODE},
        en=(
            "The Procountor account '{username}' is authorized for {company_name} ({company_id}).",
            "Map your companies to this administration on the Administrations tab.",
        ),
        nl=(
            "Het Procountor-account '{username}' is geautoriseerd voor {company_name} ({company_id}).",
            "Koppel uw bedrijven aan deze administratie op het tabblad Administraties.",
        ),
        sv=(
            "Procountor-kontot '{username}' är auktoriserat för {company_name} ({company_id}).",
            "Koppla dina företag till denna administration på fliken Administrationer.",
        ),
        fi=(
            "Procountor-tili '{username}' on valtuutettu yritykselle {company_name} ({company_id}).",
            "Yhdistä yrityksesi tähän kirjanpitoon Kirjanpidot-välilehdellä.",
        ),
        severity="info",
    ),
    entry(
        "procountor.auth.api_key_refused",
        params={"username": Kind.TEXT},
        en=(
            "Procountor refused the API key of account '{username}': it is mistyped, was revoked in Procountor, or its user lost access to the company.",
            "Create a new API key in Procountor (API client keys), enter it in the account settings and click the Procountor icon.",
        ),
        nl=(
            "Procountor heeft de API-sleutel van account '{username}' geweigerd: hij is verkeerd ingevoerd, in Procountor ingetrokken, of de gebruiker heeft geen toegang meer tot het bedrijf.",
            "Maak een nieuwe API-sleutel aan in Procountor (API client keys), vul hem in bij de accountinstellingen en klik op het Procountor-icoon.",
        ),
        sv=(
            "Procountor nekade API-nyckeln för kontot '{username}': den är felskriven, har återkallats i Procountor eller användaren har inte längre åtkomst till företaget.",
            "Skapa en ny API-nyckel i Procountor (API client keys), ange den i kontoinställningarna och klicka på Procountor-ikonen.",
        ),
        fi=(
            "Procountor hylkäsi tilin '{username}' API-avaimen: se on kirjoitettu väärin, peruttu Procountorissa tai sen käyttäjällä ei ole enää pääsyä yritykseen.",
            "Luo Procountorissa uusi API-avain (API client keys), syötä se tilin asetuksiin ja napsauta Procountor-kuvaketta.",
        ),
    ),
    entry(
        "procountor.auth.state_invalid",
        en=(
            "This Procountor authorization link is not valid: it is unknown, was already used, has expired or was started for another account.",
            "Start again by clicking the Procountor icon next to the account; complete the login within 10 minutes.",
        ),
        nl=(
            "Deze Procountor-autorisatielink is ongeldig: hij is onbekend, al gebruikt, verlopen of gestart voor een ander account.",
            "Begin opnieuw door op het Procountor-icoon bij het account te klikken; rond het inloggen binnen 10 minuten af.",
        ),
        sv=(
            "Denna Procountor-auktoriseringslänk är ogiltig: den är okänd, redan använd, har gått ut eller startades för ett annat konto.",
            "Börja om genom att klicka på Procountor-ikonen vid kontot; slutför inloggningen inom 10 minuter.",
        ),
        fi=(
            "Tämä Procountor-valtuutuslinkki ei ole kelvollinen: se on tuntematon, jo käytetty, vanhentunut tai aloitettu toiselle tilille.",
            "Aloita alusta napsauttamalla tilin vieressä olevaa Procountor-kuvaketta; viimeistele kirjautuminen 10 minuutin kuluessa.",
        ),
    ),
    entry(
        "procountor.auth.denied",
        en=(
            "The login at Procountor was cancelled or access was refused; nothing was changed.",
            "Click the Procountor icon again and complete the login if you want to connect the account.",
        ),
        nl=(
            "Het inloggen bij Procountor is geannuleerd of de toegang is geweigerd; er is niets gewijzigd.",
            "Klik opnieuw op het Procountor-icoon en rond het inloggen af als u het account wilt koppelen.",
        ),
        sv=(
            "Inloggningen i Procountor avbröts eller åtkomst nekades; inget ändrades.",
            "Klicka på Procountor-ikonen igen och slutför inloggningen om du vill koppla kontot.",
        ),
        fi=(
            "Kirjautuminen Procountoriin peruttiin tai pääsy evättiin; mitään ei muutettu.",
            "Napsauta Procountor-kuvaketta uudelleen ja viimeistele kirjautuminen, jos haluat yhdistää tilin.",
        ),
    ),
    entry(
        "procountor.auth.provider_error",
        params={"error": Kind.TECHNICAL},
        en=(
            "Procountor refused the authorization request ({error}); nothing was changed.",
            "Try again by clicking the Procountor icon. If it keeps failing, contact your Nmbrs system administrator: the Procountor client registration may be wrong.",
        ),
        nl=(
            "Procountor heeft het autorisatieverzoek geweigerd ({error}); er is niets gewijzigd.",
            "Probeer het opnieuw via het Procountor-icoon. Blijft het mislukken, neem dan contact op met uw Nmbrs-systeembeheerder: de Procountor-clientregistratie is mogelijk onjuist.",
        ),
        sv=(
            "Procountor nekade auktoriseringsbegäran ({error}); inget ändrades.",
            "Försök igen genom att klicka på Procountor-ikonen. Om det fortsätter att misslyckas, kontakta din Nmbrs-systemadministratör: Procountor-klientregistreringen kan vara fel.",
        ),
        fi=(
            "Procountor hylkäsi valtuutuspyynnön ({error}); mitään ei muutettu.",
            "Yritä uudelleen napsauttamalla Procountor-kuvaketta. Jos virhe toistuu, ota yhteyttä Nmbrs-järjestelmän ylläpitäjään: Procountor-asiakasrekisteröinti voi olla virheellinen.",
        ),
    ),
    entry(
        "procountor.auth.code_missing",
        en=(
            "Procountor sent the login back without an authorization code; nothing was changed.",
            "Click the Procountor icon and log in again.",
        ),
        nl=(
            "Procountor stuurde de login terug zonder autorisatiecode; er is niets gewijzigd.",
            "Klik op het Procountor-icoon en log opnieuw in.",
        ),
        sv=(
            "Procountor skickade tillbaka inloggningen utan auktoriseringskod; inget ändrades.",
            "Klicka på Procountor-ikonen och logga in igen.",
        ),
        fi=(
            "Procountor palautti kirjautumisen ilman valtuutuskoodia; mitään ei muutettu.",
            "Napsauta Procountor-kuvaketta ja kirjaudu uudelleen.",
        ),
    ),
    entry(
        "procountor.auth.exchange_failed",
        params={"detail": Kind.TECHNICAL},
        en=(
            "Procountor did not accept the login result ({detail}); nothing was stored.",
            "Click the Procountor icon and log in again; a login result can be used only once and only for a few minutes.",
        ),
        nl=(
            "Procountor accepteerde het inlogresultaat niet ({detail}); er is niets opgeslagen.",
            "Klik op het Procountor-icoon en log opnieuw in; een inlogresultaat is maar één keer en een paar minuten bruikbaar.",
        ),
        sv=(
            "Procountor godtog inte inloggningsresultatet ({detail}); inget sparades.",
            "Klicka på Procountor-ikonen och logga in igen; ett inloggningsresultat kan bara användas en gång och bara i några minuter.",
        ),
        fi=(
            "Procountor ei hyväksynyt kirjautumisen tulosta ({detail}); mitään ei tallennettu.",
            "Napsauta Procountor-kuvaketta ja kirjaudu uudelleen; kirjautumisen tulosta voi käyttää vain kerran ja vain muutaman minuutin ajan.",
        ),
    ),
    entry(
        "procountor.auth.api_key_missing",
        params={"username": Kind.TEXT},
        en=(
            "The Procountor account '{username}' uses the API key method but no API key is entered.",
            "Create an API key in Procountor (API client keys), enter it in the account settings and click the Procountor icon again.",
        ),
        nl=(
            "Het Procountor-account '{username}' gebruikt de API-sleutelmethode, maar er is geen API-sleutel ingevuld.",
            "Maak een API-sleutel aan in Procountor (API client keys), vul hem in bij de accountinstellingen en klik opnieuw op het Procountor-icoon.",
        ),
        sv=(
            "Procountor-kontot '{username}' använder API-nyckelmetoden men ingen API-nyckel är angiven.",
            "Skapa en API-nyckel i Procountor (API client keys), ange den i kontoinställningarna och klicka på Procountor-ikonen igen.",
        ),
        fi=(
            "Procountor-tili '{username}' käyttää API-avainmenetelmää, mutta API-avainta ei ole syötetty.",
            "Luo Procountorissa API-avain (API client keys), syötä se tilin asetuksiin ja napsauta Procountor-kuvaketta uudelleen.",
        ),
    ),
    entry(
        "procountor.auth.refresh_busy",
        params={"username": Kind.TEXT},
        en=(
            "Another task is renewing the Procountor authorization of '{username}' and did not finish in time.",
            "Try again in a minute; the authorization itself is not affected.",
        ),
        nl=(
            "Een andere taak vernieuwt de Procountor-autorisatie van '{username}' en was niet op tijd klaar.",
            "Probeer het over een minuut opnieuw; de autorisatie zelf blijft geldig.",
        ),
        sv=(
            "En annan uppgift förnyar Procountor-auktoriseringen för '{username}' och blev inte klar i tid.",
            "Försök igen om en minut; själva auktoriseringen påverkas inte.",
        ),
        fi=(
            "Toinen tehtävä uusii tilin '{username}' Procountor-valtuutusta eikä valmistunut ajoissa.",
            "Yritä uudelleen minuutin kuluttua; valtuutus itsessään ei muutu.",
        ),
    ),
    entry(
        "procountor.auth.logout_failed",
        params={"username": Kind.TEXT, "detail": Kind.TECHNICAL},
        en=(
            "The authorization of Procountor account '{username}' could not be ended at Procountor ({detail}); it may still work there.",
            "End the session in Procountor (or revoke the API key there) so that nobody can use the old authorization.",
        ),
        nl=(
            "De autorisatie van Procountor-account '{username}' kon niet bij Procountor worden beëindigd ({detail}); mogelijk werkt die daar nog.",
            "Beëindig de sessie in Procountor (of trek daar de API-sleutel in), zodat niemand de oude autorisatie kan gebruiken.",
        ),
        sv=(
            "Auktoriseringen för Procountor-kontot '{username}' kunde inte avslutas i Procountor ({detail}); den kan fortfarande fungera där.",
            "Avsluta sessionen i Procountor (eller återkalla API-nyckeln där) så att ingen kan använda den gamla auktoriseringen.",
        ),
        fi=(
            "Procountor-tilin '{username}' valtuutusta ei voitu päättää Procountorissa ({detail}); se voi edelleen toimia siellä.",
            "Päätä istunto Procountorissa (tai peru API-avain siellä), jotta kukaan ei voi käyttää vanhaa valtuutusta.",
        ),
        severity="warning",
    ),
    entry(
        "procountor.auth.token_not_accepted",
        params={"username": Kind.TEXT},
        en=(
            "Procountor did not accept a token it had just issued for account '{username}'; the authorization itself still works.",
            "Try again in a few minutes. If it keeps happening, contact Procountor support.",
        ),
        nl=(
            "Procountor accepteerde een token dat het zojuist voor account '{username}' had uitgegeven niet; de autorisatie zelf werkt nog.",
            "Probeer het over een paar minuten opnieuw. Blijft het gebeuren, neem dan contact op met de ondersteuning van Procountor.",
        ),
        sv=(
            "Procountor godtog inte en token som nyss utfärdats för kontot '{username}'; själva auktoriseringen fungerar fortfarande.",
            "Försök igen om några minuter. Om det fortsätter, kontakta Procountors support.",
        ),
        fi=(
            "Procountor ei hyväksynyt tilille '{username}' juuri myöntämäänsä tunnistetta; valtuutus itsessään toimii edelleen.",
            "Yritä uudelleen muutaman minuutin kuluttua. Jos tämä toistuu, ota yhteyttä Procountorin tukeen.",
        ),
    ),
    entry(
        "procountor.auth.company_changed",
        params={"chosen_name": Kind.TEXT, "chosen_id": Kind.CODE, "username": Kind.TEXT, "mapped": Kind.NAMES},
        en=(
            "You chose {chosen_name} ({chosen_id}) in Procountor, but the account '{username}' is mapped to {mapped, plural, one {Procountor company {mapped}} other {Procountor companies {mapped}}}.",
            "Authorize again and choose the mapped company; to book into another company, create another Procountor account.",
        ),
        nl=(
            "U koos {chosen_name} ({chosen_id}) in Procountor, maar het account '{username}' is gekoppeld aan {mapped, plural, one {Procountor-bedrijf {mapped}} other {de Procountor-bedrijven {mapped}}}.",
            "Autoriseer opnieuw en kies het gekoppelde bedrijf; maak een ander Procountor-account aan om in een ander bedrijf te boeken.",
        ),
        sv=(
            "Du valde {chosen_name} ({chosen_id}) i Procountor, men kontot '{username}' är mappat till {mapped, plural, one {Procountor-företaget {mapped}} other {Procountor-företagen {mapped}}}.",
            "Auktorisera igen och välj det mappade företaget; skapa ett annat Procountor-konto för att bokföra i ett annat företag.",
        ),
        fi=(
            "Valitsit Procountorissa yrityksen {chosen_name} ({chosen_id}), mutta tili '{username}' on liitetty {mapped, plural, one {Procountor-yritykseen {mapped}} other {Procountor-yrityksiin {mapped}}}.",
            "Valtuuta uudelleen ja valitse liitetty yritys; luo toinen Procountor-tili, jos haluat kirjata toiseen yritykseen.",
        ),
    ),
]
