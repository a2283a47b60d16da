"""Texts for the demo workshop that the fixture does not hold: short summaries, in Norwegian,
of what the 2019 report says about the action plan's measures, the three worked-out ideas and
the follow-up survey. They are condensed in our own words, to make the demo look like the day."""

COMMENTS = [
    # (measure index, text, starred)
    (0, "Felles utlysninger må gi rom for nye samarbeidsformer mellom helsetjeneste og næringsliv.", False),
    (0, "Genpaneltester: RHF-ene skal etablere NGS-baserte tester i klinisk praksis i 2019 – takstene må på plass.", True),
    (1, "Nordic PerMed og NordForsk gir norske miljøer en vei inn i europeisk samarbeid.", False),
    (1, "Horisont 2020 prioriterer persontilpasset medisin; vi må mobilisere flere søknader.", False),
    (2, "Utnytt biobankene i kliniske studier, og ta med humaniora og jus fra starten.", False),
    (2, "Varig IKT-infrastruktur krever kompetanse, styring og finansiering – ikke bare prosjektmidler.", True),
    (3, "Helseregistre, biobanker og en tillitsfull befolkning er nasjonale fortrinn vi bør bygge på.", False),
    (4, "Man kan ikke vedta innovasjon. Let etter lavthengende frukter, vis resultater tidlig og utløs nye midler.", True),
    (4, "Ulike kulturer og usikkerhet om hverandres motiver hindrer offentlig-privat samarbeid.", False),
    (5, "Ansvarlig forskning og innovasjon (RRI) må gjelde hele kjeden, også hos industrien.", False),
]

#: Each worked-out idea's fields by key; the first steps are a table's rows (actor, contribution, when).
WORKSHEETS = [
    {
        "challenge": "Informasjonssystemene rundt pasienten har vokst fram uten koordinering. Data er fragmenterte, lite "
                     "tilgjengelige og lite sporbare for helsepersonell, forskere og pasienter, og det hindrer både god "
                     "behandling og forskning, kvalitetssikring og statistikk.",
        "idea": "Hent inspirasjon fra pakkeforløpene for kreft og lag en standard informasjonsmodell for produksjon, lagring, "
                "flyt, bruk og deling av data langs pasientens forløp – et digitalt pakkeforløp, med tilgang til utfallsdata "
                "og infrastruktur for klinisk beslutningsstøtte.",
        "first_steps": [
            ["Aktørene som produserer, lagrer og bruker pasientdata", "Utdype konseptet sammen", "Først"],
            ["De samme aktørene", "Identifisere konkrete hindre for flyt og deling av data", "Deretter"],
            ["De samme aktørene", "Beskrive gevinstene for pasienter, helsetjeneste og næringsliv", "Til slutt"],
        ],
    },
    {
        "challenge": "Helsesektoren sliter med å få til praktisk samarbeid mellom akademia, klinikk, brukere og næringsliv: "
                     "regelverk, finansiering og manglende infrastruktur for datadeling, men også ulike kulturer og usikkerhet "
                     "om hverandres motiver.",
        "idea": "En pre-kompetitiv arena der aktørene løser konkrete problemer med felles nytte, for eksempel med en "
                "«horizon scanning» av industriens pipeline. Forbilder: Nordic Alliance for Clinical Genomics og Digital "
                "Samhandling Offentlig–Privat.",
        "first_steps": [
            ["Initiativtakerne til workshopen", "Starte som et grasrotinitiativ: kartlegge tema, interessenter og bidrag",
             "Først"],
            ["Initiativtakerne og interessentene", "Lete etter lavthengende frukter", "Deretter"],
            ["Initiativtakerne", "Beskrive mål, finansiering og organisering", "Til slutt"],
        ],
    },
    {
        "challenge": "Strategien og handlingsplanen peker ut satsingsområder, men har lite friske midler. Norge må bruke "
                     "eksisterende midler klokt og gjøre tydelige valg for å tiltrekke internasjonal finansiering og industri.",
        "idea": "Et nasjonalt pådrivermiljø som samler aktørene, definerer nasjonale fortrinn og gir felles eierskap til "
                "ambisiøse mål – og som bryter ned barrierer mellom sektorene.",
        "first_steps": [
            ["En mindre arbeidsgruppe med brukere, industri, forskning og helsetjeneste",
             "Lage forslag til mandat, med et nordisk perspektiv", "Først"],
            ["HelseOmsorg21, Helsedirektoratet og RHF-enes styringsgrupper", "Forankre mandatet", "Deretter"],
        ],
    },
]

SURVEY = {
    "title": "Evaluering av workshopen",
    "intro": "Takk for at du deltok! Svarene er anonyme.",
    "questions": [
        {"kind": "scale", "text": "Hvor nyttig var workshopen for deg?", "scale_min": 1, "scale_max": 5, "required": True},
        {"kind": "multi", "text": "Hva ønsker du deg videre?", "choices": [
            "Oppfølgingsfora for tverrsektorielt samarbeid",
            "Videre og mer konkret oppfølging for realisering av idéene",
            "Mer informasjon om handlingsplanen",
        ]},
        {"kind": "text", "text": "Andre kommentarer?"},
    ],
}

#: The report's written sections, condensed in our own words from what the 2019 report says: the
#: executive page's text, introduction and goals, a few lines per talk (keyed by the agenda item's
#: start), what the comment round and the brainstorm were about, a synthesis for each measure
#: without a starred comment (keyed by its index), the conclusion, and next steps with owners and dates.
REPORT = {
    "summary": (
        "Workshopen samlet aktører fra helsetjenesten, forvaltningen, næringslivet, akademia, finansiører og "
        "pasientorganisasjoner for å drøfte hvordan handlingsplanen for persontilpasset medisin kan følges opp "
        "sammen med næringslivet.\n\n"
        "Tverrsektorielle grupper gikk gjennom planens tiltak og kom fram til ideer som krever nye former for "
        "samarbeid. Deltakerne prioriterte ideene i to avstemninger, og de tre øverste ble arbeidet videre med "
        "i grupper."
    ),
    "introduction": (
        "Handlingsplanen for forskning og innovasjon innenfor persontilpasset medisin ble laget på oppdrag fra "
        "Helse- og omsorgsdepartementet, i samarbeid mellom Forskningsrådet og de regionale helseforetakene. "
        "Planen har ingen egne midler: den peker på tiltak som skal få mer ut av eksisterende ordninger og på "
        "tettere samarbeid mellom sektorene.\n\n"
        "Arrangørene inviterte til workshopen for å gjøre planen kjent og for å finne konkrete måter å "
        "gjennomføre den på sammen med næringslivet.\n\n"
        "Mål for workshopen:\n"
        "- gjøre handlingsplanen kjent og gi deltakerne eierskap til den\n"
        "- bygge en felles forståelse av tiltakene, og finne tiltak som mangler\n"
        "- finne konkrete områder og ideer som viser hvordan tiltakene kan gjennomføres i praksis\n\n"
        "Dagen hadde tre deler: innlegg som ga rammer og inspirasjon, gruppearbeid om planens tiltak, og "
        "gruppearbeid om ideer som krever nye samarbeidsformer."
    ),
    "talks": {
        "09:00": (
            "Velkomsten satte handlingsplanen inn i sammenhengen med den nasjonale strategien for persontilpasset "
            "medisin. Helseinnovasjon og næringsutvikling er satsingsområder, og feltet trenger bred deltakelse fra "
            "mange aktører. Uten egne midler må eksisterende nasjonale og internasjonale ordninger brukes best mulig."
        ),
        "09:10": (
            "Innlegget gikk gjennom hvordan planen ble til i en felles arbeidsgruppe med de regionale "
            "helseforetakene, og hvilke tiltaksområder den foreslår. Planen skal få mest mulig ut av midlene som "
            "allerede finnes."
        ),
        "09:20": (
            "Innlegget forklarte hvorfor næringslivet bør være med fra starten. Samarbeidet mellom helsetjenesten "
            "og industrien har bedret seg de siste årene, og en workshop med så ulike deltakere er et godt "
            "utgangspunkt for nye samarbeidsmodeller."
        ),
        "09:30": (
            "Erfaringer fra offentlig-privat samarbeid om digitale tjenester viste at det fungerer best når man "
            "begynner med det som er enklest å få til og gir verdi for alle parter. Deltakerne ble utfordret til å "
            "gå utenfor oppdragsbrevene og ta mer risiko."
        ),
        "09:50": (
            "Innlegget løftet fram eksempler der tidlig samarbeid mellom industri, sykehus og myndigheter har gitt "
            "kliniske studier i Norge. Flere studier og tilgang til egnede pasientgrupper og diagnostikk ble pekt "
            "ut som viktige, sammen med vurderings- og finansieringsordninger som passer persontilpasset medisin."
        ),
        "13:30": (
            "Avslutningen trakk trådene fra dagen og oppfordret deltakerne til å fortsette å utfordre "
            "Forskningsrådet på hvordan handlingsplanen kan bli handling, og til å inngå samarbeid på tvers av "
            "sektorene der interessene møtes."
        ),
    },
    "measures": (
        "Deltakerne ble delt i tverrsektorielle grupper og gikk gjennom planens tiltak. Det var bred enighet om "
        "at tiltakene er dekkende og godt formulert; diskusjonen handlet mest om hvordan de kan bli til konkrete "
        "og samordnede aktiviteter."
    ),
    "syntheses": {
        1: "Gruppene pekte på nordiske og europeiske programmer som en vei til mer samarbeid og finansiering, og "
           "på behovet for å mobilisere flere søknader.",
        3: "Helseregistre, biobanker og en befolkning som stiller opp i forskning ble trukket fram som fortrinn "
           "Norge bør bygge videre på.",
        5: "Det var enighet om at ansvarlig forskning og innovasjon må gjelde hele kjeden, også i samarbeid med "
           "næringslivet.",
    },
    "ideas": (
        "I siste del av dagen lette deltakerne etter store utfordringer der nye samarbeidsformer trengs. Ideene "
        "kom fra idémyldring individuelt og i grupper, og ble deretter prioritert."
    ),
    "conclusion": (
        "Innspillene fra dagen og svarene på spørreundersøkelsen etterpå viser et tydelig ønske om å arbeide "
        "videre med temaet. Deltakerne ønsket seg særlig:\n"
        "- faste møteplasser for samarbeid på tvers av sektorene\n"
        "- mer konkret oppfølging av ideene som ble drøftet"
    ),
    "next_steps": (
        "De tre ideene må utvikles videre i dialog mellom aktørene. Arrangørene mener de har nok potensial til å "
        "følges opp, og tar initiativ til egne workshoper for hver av dem."
    ),
    "next_steps_rows": [
        {"action": "Egne workshoper for hver av de tre ideene", "owner": "Arrangørene", "when": "Høsten 2019"},
        {"action": "Utdype det digitale pakkeforløpet med aktørene som produserer og bruker pasientdata",
         "owner": "Gruppen bak idé 1", "when": "Oktober 2019"},
        {"action": "Kartlegge tema, interessenter og bidrag for en pre-kompetitiv arena",
         "owner": "Initiativtakerne til workshopen", "when": "September 2019"},
        {"action": "Utkast til mandat for et nasjonalt pådrivermiljø",
         "owner": "En liten arbeidsgruppe fra alle sektorene", "when": "Desember 2019"},
    ],
}
