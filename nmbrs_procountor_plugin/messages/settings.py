"""Problems with an account's own settings, one code per setting so each is a whole sentence."""

from nmbrs_procountor_plugin.messages import Kind, entry

ENTRIES = [
    entry(
        "procountor.settings.authorization_method",
        params={"value": Kind.TEXT},
        en=(
            "The account's authorization method '{value}' is not one Procountor offers.",
            "Open the account on the Integration page and choose 'login' or 'api_key' as authorization method.",
        ),
        nl=(
            "De autorisatiemethode '{value}' van het account wordt door Procountor niet aangeboden.",
            "Open het account op de pagina Integratie en kies 'login' of 'api_key' als autorisatiemethode.",
        ),
        sv=(
            "Kontots auktoriseringsmetod '{value}' erbjuds inte av Procountor.",
            "Öppna kontot på sidan Integration och välj 'login' eller 'api_key' som auktoriseringsmetod.",
        ),
        fi=(
            "Tilin valtuutustapaa '{value}' ei ole Procountorissa.",
            "Avaa tili Integraatio-sivulla ja valitse valtuutustavaksi 'login' tai 'api_key'.",
        ),
    ),
    entry(
        "procountor.settings.vat_type",
        params={"value": Kind.TEXT},
        en=(
            "The account's VAT type '{value}' is not one Procountor accepts on journal rows.",
            "Open the account on the Integration page and choose PURCHASE or SALES as VAT type.",
        ),
        nl=(
            "Het btw-type '{value}' van het account wordt door Procountor niet geaccepteerd op journaalregels.",
            "Open het account op de pagina Integratie en kies PURCHASE of SALES als btw-type.",
        ),
        sv=(
            "Kontots momstyp '{value}' accepteras inte av Procountor på verifikationsrader.",
            "Öppna kontot på sidan Integration och välj PURCHASE eller SALES som momstyp.",
        ),
        fi=(
            "Tilin ALV-tyyppiä '{value}' Procountor ei hyväksy muistiotositteen riveillä.",
            "Avaa tili Integraatio-sivulla ja valitse ALV-tyypiksi PURCHASE tai SALES.",
        ),
    ),
    entry(
        "procountor.settings.vat_status",
        params={"value": Kind.TEXT},
        en=(
            "The account's VAT status '{value}' is not a VAT status code.",
            "Open the account on the Integration page and enter a whole number such as 12 ('No VAT handling').",
        ),
        nl=(
            "De btw-status '{value}' van het account is geen btw-statuscode.",
            "Open het account op de pagina Integratie en vul een geheel getal in, zoals 12 ('geen btw-behandeling').",
        ),
        sv=(
            "Kontots momsstatus '{value}' är ingen momsstatuskod.",
            "Öppna kontot på sidan Integration och ange ett heltal, till exempel 12 ('ingen momshantering').",
        ),
        fi=(
            "Tilin ALV-tila '{value}' ei ole ALV-tilan koodi.",
            "Avaa tili Integraatio-sivulla ja anna kokonaisluku, esimerkiksi 12 ('ei ALV-käsittelyä').",
        ),
    ),
]
