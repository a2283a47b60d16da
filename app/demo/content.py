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
