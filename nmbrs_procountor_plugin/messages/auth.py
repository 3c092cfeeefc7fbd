"""Problems of the authorization area."""

from nmbrs_procountor_plugin.messages import entry

ENTRIES = [
    entry(
        "procountor.auth.not_authorized",
        en=("The Procountor account '{username}' is not authorized yet.",
            "Click the Procountor icon next to the account, log in at Procountor and choose the company."),
        nl=("Het Procountor-account '{username}' is nog niet geautoriseerd.",
            "Klik op het Procountor-icoon bij het account, log in bij Procountor en kies het bedrijf."),
        sv=("Procountor-kontot '{username}' är inte auktoriserat ännu.",
            "Klicka på Procountor-ikonen vid kontot, logga in i Procountor och välj företaget."),
        fi=("Procountor-tiliä '{username}' ei ole vielä valtuutettu.",
            "Napsauta tilin vieressä olevaa Procountor-kuvaketta, kirjaudu Procountoriin ja valitse yritys."),
    ),
    entry(
        "procountor.auth.expired",
        en=("The authorization of Procountor account '{username}' has expired or was withdrawn in Procountor.",
            "Click the Procountor icon next to the account and log in again to renew the authorization."),
        nl=("De autorisatie van Procountor-account '{username}' is verlopen of in Procountor ingetrokken.",
            "Klik op het Procountor-icoon bij het account en log opnieuw in om de autorisatie te vernieuwen."),
        sv=("Auktoriseringen för Procountor-kontot '{username}' har gått ut eller dragits tillbaka i Procountor.",
            "Klicka på Procountor-ikonen vid kontot och logga in igen för att förnya auktoriseringen."),
        fi=("Procountor-tilin '{username}' valtuutus on vanhentunut tai peruttu Procountorissa.",
            "Napsauta tilin vieressä olevaa Procountor-kuvaketta ja kirjaudu uudelleen valtuutuksen uusimiseksi."),
    ),
]
