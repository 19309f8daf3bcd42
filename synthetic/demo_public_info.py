"""Synthetic demo content for the public pages: a local introduction and a handful of local offers
for the demo municipalities and hospitals, in bokmål and for some also in nynorsk and English.

The offers are the kinds patients really meet (cancer coordinator, physiotherapy, Frisklivssentral,
Vardesenter, support groups), but every phone number and e-mail address is made up: e-mail goes to
example.test, a domain that never receives mail. Running it again creates nothing twice and keeps
whatever an admin has changed since.
"""

from directory.models import LocalOffer, Organisation, PublicInformation

Kind = LocalOffer.Kind
MUNICIPALITY, HOSPITAL = Organisation.Kind.MUNICIPALITY, Organisation.Kind.HOSPITAL

# (kind of organisation, name): (introduction nb, nn, en)
INTRODUCTIONS = {
    (MUNICIPALITY, "Askøy"): (
        "I Askøy kommune er kreftkoordinatoren ditt faste kontaktpunkt. Du trenger ingen henvisning: "
        "ring eller send e-post, så finner vi et tidspunkt som passer deg. Samtalene kan være hjemme "
        "hos deg, på helsestasjonen på Kleppestø eller på telefon.",
        "",
        "In Askøy the cancer coordinator is your fixed point of contact. You do not need a referral: "
        "call or send an e-mail and we will find a time that suits you. The conversations can be at "
        "your home, at the health centre in Kleppestø or by phone.",
    ),
    (MUNICIPALITY, "Voss"): (
        "Koordinerende enhet i Voss herad tar imot deg som har fått kreft, og dine pårørende. "
        "Kreftsykepleieren har samtalene i pakkeforløpet og hjelper deg videre til andre tjenester.",
        "Koordinerande eining i Voss herad tek imot deg som har fått kreft, og dei pårørande dine. "
        "Kreftsjukepleiaren har samtalane i pakkeforløpet og hjelper deg vidare til andre tenester.",
        "",
    ),
    (MUNICIPALITY, "Ålesund"): (
        "Ålesund kommune har kreftkoordinatorer som følger deg gjennom pakkeforløpet. Vi har samtaler "
        "på Aspøy helsehus eller hjemme hos deg, og vi samarbeider tett med Ålesund sjukehus.",
        "",
        "Ålesund has cancer coordinators who follow you through the pathway. We meet at Aspøy health "
        "centre or in your home, and we work closely with Ålesund hospital.",
    ),
    (MUNICIPALITY, "Molde"): (
        "I Molde kommune treffer du kreftkoordinatoren i Kreftomsorg Molde. Vi hjelper deg og familien "
        "din med det som er viktig for dere, fra trening og ernæring til hjelp hjemme.",
        "",
        "",
    ),
    (MUNICIPALITY, "Bergen"): (
        "Bergen kommune har kreftkoordinatorer i alle bydeler. Ta kontakt med koordinatoren i bydelen "
        "der du bor; du trenger ingen henvisning.",
        "Bergen kommune har kreftkoordinatorar i alle bydelane. Ta kontakt med koordinatoren i bydelen "
        "der du bur; du treng inga tilvising.",
        "Bergen has cancer coordinators in every district. Contact the coordinator in the district "
        "where you live; you do not need a referral.",
    ),
    (HOSPITAL, "Haukeland universitetssjukehus"): (
        "På Haukeland har du den første samtalen i pakkeforløpet, kort tid etter at du har fått "
        "diagnosen. Kreftkoordinatoren ved avdelingen din avtaler tidspunktet med deg.",
        "På Haukeland har du den første samtalen i pakkeforløpet, kort tid etter at du har fått "
        "diagnosen. Kreftkoordinatoren ved avdelinga di avtalar tidspunktet med deg.",
        "At Haukeland you have the first conversation of the pathway, soon after you have been told "
        "the diagnosis. The cancer coordinator of your department agrees the time with you.",
    ),
    (HOSPITAL, "Voss sjukehus"): (
        "Ved Voss sjukehus har kreftsykepleieren den første samtalen med deg, ofte samme dag som du er til behandling.",
        "Ved Voss sjukehus har kreftsjukepleiaren den første samtalen med deg, ofte same dag som du er til behandling.",
        "",
    ),
    (HOSPITAL, "Ålesund sjukehus"): (
        "Ved Ålesund sjukehus får du den første samtalen i kreftpoliklinikken. Vi sender en oppsummering "
        "til kommunen din og fastlegen din hvis du ønsker det.",
        "",
        "",
    ),
    (HOSPITAL, "Molde sjukehus"): (
        "Ved Molde sjukehus har kreftkoordinatoren den første samtalen med deg og hjelper deg å komme i "
        "kontakt med kommunen der du bor.",
        "",
        "",
    ),
}

# (kind of organisation, name): [(kind, name nb, description nb, name nn, description nn, name en,
#  description en, web address)]
OFFERS = {
    (MUNICIPALITY, "Askøy"): [
        (
            Kind.CANCER_COORDINATOR,
            "Kreftkoordinator",
            "Kreftkoordinatoren har samtalene i pakkeforløpet og hjelper deg og familien din med å finne "
            "fram i tjenestene.",
            "",
            "",
            "Cancer coordinator",
            "The cancer coordinator holds the pathway conversations and helps you and your family find "
            "your way to the services you need.",
            "",
        ),
        (
            Kind.PHYSIOTHERAPY,
            "Fysioterapi etter kreft",
            "Individuell oppfølging og treningsgrupper for deg som har eller har hatt kreft.",
            "",
            "",
            "Physiotherapy after cancer",
            "Individual follow-up and exercise groups for people who have or have had cancer.",
            "",
        ),
        (
            Kind.HEALTHY_LIFE_CENTRE,
            "Frisklivssentralen",
            "Hjelp til å komme i gang med fysisk aktivitet, bedre kosthold og søvn. Du kan ta kontakt selv.",
            "",
            "",
            "Healthy life centre",
            "Help to get going with physical activity, healthier food and better sleep. You can contact us yourself.",
            "",
        ),
        (
            Kind.SUPPORT_GROUP,
            "Samtalegruppe for pårørende",
            "En gruppe for deg som er nær noen med kreft. Vi møtes annenhver tirsdag kveld.",
            "",
            "",
            "",
            "",
            "",
        ),
    ],
    (MUNICIPALITY, "Voss"): [
        (
            Kind.CANCER_COORDINATOR,
            "Kreftsykepleier",
            "Kreftsykepleieren har samtalene i pakkeforløpet og kan komme hjem til deg.",
            "Kreftsjukepleiar",
            "Kreftsjukepleiaren har samtalane i pakkeforløpet og kan kome heim til deg.",
            "",
            "",
            "",
        ),
        (
            Kind.REHABILITATION,
            "Hverdagsrehabilitering",
            "Trening i ditt eget hjem, med mål du setter selv, i fire til seks uker.",
            "Kvardagsrehabilitering",
            "Trening i din eigen heim, med mål du set sjølv, i fire til seks veker.",
            "",
            "",
            "",
        ),
        (
            Kind.HEALTHY_LIFE_CENTRE,
            "Frisklivssentralen på Voss",
            "Kurs i bedre søvn, mestring og fysisk aktivitet i grupper.",
            "Frisklivssentralen på Voss",
            "Kurs i betre søvn, meistring og fysisk aktivitet i grupper.",
            "",
            "",
            "",
        ),
    ],
    (MUNICIPALITY, "Ålesund"): [
        (
            Kind.CANCER_COORDINATOR,
            "Kreftkoordinator",
            "Lavterskeltilbud: ta kontakt selv, du trenger ikke henvisning.",
            "",
            "",
            "Cancer coordinator",
            "Low threshold: contact us yourself, you do not need a referral.",
            "",
        ),
        (
            Kind.VARDESENTER,
            "Vardesenteret i Ålesund",
            "Et uformelt møtested for deg som har eller har hatt kreft, og dine pårørende. Kom innom for "
            "en kopp kaffe og en prat.",
            "",
            "",
            "Vardesenter in Ålesund",
            "An informal meeting place for people who have or have had cancer, and their relatives. "
            "Drop in for a coffee and a chat.",
            "https://www.kreftforeningen.no/",
        ),
        (
            Kind.PSYCHOSOCIAL,
            "Samtaler for barn som pårørende",
            "Helsesykepleier og kreftkoordinator snakker med barn og unge som har en forelder med kreft.",
            "",
            "",
            "",
            "",
            "",
        ),
        (
            Kind.PHYSIOTHERAPY,
            "Kommunal fysioterapi",
            "Fysioterapi hjemme eller på Aspøy helsehus.",
            "",
            "",
            "",
            "",
            "",
        ),
    ],
    (MUNICIPALITY, "Molde"): [
        (
            Kind.CANCER_COORDINATOR,
            "Kreftomsorg Molde",
            "Kreftkoordinator og kreftsykepleiere som følger deg og familien din.",
            "",
            "",
            "",
            "",
            "",
        ),
        (
            Kind.HEALTHY_LIFE_CENTRE,
            "Frisklivssentralen i Molde",
            "Treningsgrupper, kostholdskurs og kurs i mestring av belastninger.",
            "",
            "",
            "",
            "",
            "",
        ),
        (
            Kind.SUPPORT_GROUP,
            "Likepersoner",
            "Snakk med noen som selv har hatt kreft. Formidles av kreftkoordinatoren.",
            "",
            "",
            "",
            "",
            "",
        ),
    ],
    (MUNICIPALITY, "Bergen"): [
        (
            Kind.CANCER_COORDINATOR,
            "Kreftkoordinatorer i bydelene",
            "Ring sentralbordet, så setter vi deg over til koordinatoren i din bydel.",
            "Kreftkoordinatorar i bydelane",
            "Ring sentralbordet, så set vi deg over til koordinatoren i bydelen din.",
            "Cancer coordinators in the districts",
            "Call the switchboard and we will put you through to the coordinator in your district.",
            "",
        ),
        (
            Kind.HEALTHY_LIFE_CENTRE,
            "Frisklivssentralen i Bergen",
            "Grupper for fysisk aktivitet og kurs i bedre søvn og kosthold.",
            "",
            "",
            "",
            "",
            "",
        ),
        (
            Kind.PSYCHOSOCIAL,
            "Oppfølging av etterlatte",
            "Samtaler for deg som har mistet en nær person til kreft.",
            "",
            "",
            "Support for the bereaved",
            "Conversations for you who have lost someone close to cancer.",
            "",
        ),
    ],
    (HOSPITAL, "Haukeland universitetssjukehus"): [
        (
            Kind.CANCER_COORDINATOR,
            "Kreftkoordinatorene",
            "Hjelper deg med å holde oversikt over timer og hvem som gjør hva under behandlingen.",
            "Kreftkoordinatorane",
            "Hjelper deg med å halde oversikt over timar og kven som gjer kva under behandlinga.",
            "Cancer coordinators",
            "Help you keep track of appointments and of who does what during your treatment.",
            "",
        ),
        (
            Kind.VARDESENTER,
            "Vardesenteret ved Haukeland",
            "Kreftforeningens møtested i sykehuset: samtaler, kurs og et sted å hvile mellom timer.",
            "Vardesenteret ved Haukeland",
            "Kreftforeininga sin møtestad i sjukehuset: samtalar, kurs og ein stad å kvile mellom timar.",
            "Vardesenter at Haukeland",
            "The Norwegian Cancer Society's meeting place in the hospital: conversations, courses and a "
            "place to rest between appointments.",
            "https://www.kreftforeningen.no/",
        ),
        (
            Kind.REHABILITATION,
            "Kreftrehabilitering",
            "Poliklinikk for fysisk og psykisk rehabilitering under og etter kreftbehandling.",
            "",
            "",
            "",
            "",
            "",
        ),
    ],
    (HOSPITAL, "Voss sjukehus"): [
        (
            Kind.CANCER_COORDINATOR,
            "Kreftsykepleier ved medisinsk poliklinikk",
            "Har den første samtalen i pakkeforløpet med deg.",
            "Kreftsjukepleiar ved medisinsk poliklinikk",
            "Har den første samtalen i pakkeforløpet med deg.",
            "",
            "",
            "",
        ),
        (
            Kind.PSYCHOSOCIAL,
            "Sykehusprest og samtaletilbud",
            "Samtaler for pasienter og pårørende, uansett livssyn.",
            "Sjukehusprest og samtaletilbod",
            "Samtalar for pasientar og pårørande, same kva livssyn du har.",
            "",
            "",
            "",
        ),
        (
            Kind.PHYSIOTHERAPY,
            "Fysioterapi under behandling",
            "Fysioterapeut på sengeposten og i poliklinikken.",
            "",
            "",
            "",
            "",
            "",
        ),
    ],
    (HOSPITAL, "Ålesund sjukehus"): [
        (
            Kind.CANCER_COORDINATOR,
            "Kreftkoordinator",
            "Har den første samtalen med deg og holder kontakt med kommunen din.",
            "",
            "",
            "Cancer coordinator",
            "Holds the first conversation with you and keeps in touch with your municipality.",
            "",
        ),
        (
            Kind.VARDESENTER,
            "Vardesenteret",
            "Kreftforeningens møtested, rett ved inngangen til sykehuset.",
            "",
            "",
            "",
            "",
            "https://www.kreftforeningen.no/",
        ),
        (
            Kind.PSYCHOSOCIAL,
            "Barneansvarlig personell",
            "Hjelper deg å snakke med barna dine om sykdommen.",
            "",
            "",
            "",
            "",
            "",
        ),
    ],
    (HOSPITAL, "Molde sjukehus"): [
        (
            Kind.CANCER_COORDINATOR,
            "Kreftkoordinator",
            "Har den første samtalen med deg og hjelper deg videre til kommunen.",
            "",
            "",
            "",
            "",
            "",
        ),
        (
            Kind.REHABILITATION,
            "Lærings- og mestringssenteret",
            "Kurs for deg som har kreft og for pårørende.",
            "",
            "",
            "",
            "",
            "",
        ),
        (
            Kind.SUPPORT_GROUP,
            "Likepersonstjeneste",
            "Kreftforeningens likepersoner har samtaletid på sykehuset hver onsdag.",
            "",
            "",
            "",
            "",
            "",
        ),
    ],
}


def _slug(name):
    return name.lower().split()[0].replace("å", "a").replace("ø", "o").replace("æ", "ae")


def _organisation(kind, name):
    return Organisation.objects.get(kind=kind, name=name)


def load():
    """Create the demo introductions and offers that are missing; returns how many offers were new."""
    for (kind, name), (intro_nb, intro_nn, intro_en) in INTRODUCTIONS.items():
        PublicInformation.objects.get_or_create(
            organisation=_organisation(kind, name),
            defaults={"intro_nb": intro_nb, "intro_nn": intro_nn, "intro_en": intro_en},
        )
    created = 0
    for number, ((kind, name), offers) in enumerate(OFFERS.items(), start=10):
        organisation = _organisation(kind, name)
        for position, offer in enumerate(offers, start=1):
            offer_kind, name_nb, description_nb, name_nn, description_nn, name_en, description_en, web = offer
            _offer, new = LocalOffer.objects.get_or_create(
                organisation=organisation,
                name_nb=name_nb,
                defaults={
                    "kind": offer_kind,
                    "description_nb": description_nb,
                    "name_nn": name_nn,
                    "description_nn": description_nn,
                    "name_en": name_en,
                    "description_en": description_en,
                    "phone": f"55 {number:02d} {position:02d} 00",
                    "email": f"{offer_kind.replace('_', '-')}.{_slug(name)}@example.test",
                    "web_address": web,
                    "sort_order": position * 10,
                },
            )
            created += new
    return created
