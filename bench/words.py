"""Word lists for the scale corpus: topics, roles, templates; names and places are generated."""

from __future__ import annotations

OUTLETS = [
    "The Harbour Ledger", "Northern Courier", "Valley Tribune", "Metro Dispatch",
    "The Coastal Observer", "Capital Gazette", "Riverside Herald", "The Plains Sentinel",
    "Eastern Star Daily", "The Frontier Post", "Highland Chronicle", "Lakeside Times",
    "The Evening Register", "Southern Monitor", "City Beacon", "The Weekly Compass",
]  # fmt: skip

# Syllables for generated people and places: thousands of distinct proper nouns per corpus.
ONSETS = ["b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "j", "k", "kl", "l", "m", "n",
          "p", "pr", "r", "s", "sh", "st", "t", "tr", "v", "w", "z", "ol", "am", "er"]  # fmt: skip
NUCLEI = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "ei", "ar", "en", "or", "il"]
CODAS = ["", "", "n", "r", "s", "l", "th", "nd", "rk", "ck", "m", "x", "st", "v"]
PLACE_SUFFIXES = ["ville", "burg", "ford", "haven", "mouth", "field", "stad", "wick", "ton", ""]
PLACE_PREFIXES = ["", "", "", "", "North ", "South ", "Port ", "East ", "Upper ", "New "]
GIVEN = [
    "Amara", "Bilal", "Chen", "Dana", "Elif", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kofi",
    "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tomas", "Uma", "Viktor",
    "Wen", "Ximena", "Yusuf", "Zofia", "Aiko", "Bruno", "Carmen", "Dmitri", "Esther", "Felix",
    "Hana", "Ivan", "Julia", "Kenji", "Leila", "Marco", "Nia", "Oskar", "Paula", "Rafael",
]  # fmt: skip

ORG_KINDS = ["Ministry of {}", "{} Council", "{} Institute", "{} Holdings", "{} University",
             "{} Workers' Union", "{} Port Authority", "{} Hospital Trust", "{} Water Board",
             "{} Football Club", "{} Energy Cooperative", "{} Police Service"]  # fmt: skip

ROLES = [
    "spokesperson", "director", "chief executive", "mayor", "minister", "chair", "treasurer",
    "head coach", "lead researcher", "union leader", "police chief", "chief economist",
    "senior engineer", "commissioner", "editor", "prosecutor", "governor", "analyst",
]  # fmt: skip

# topic -> (plural nouns that can be counted, past-tense verbs, adjectives, subjects)
TOPICS: dict[str, tuple[list[str], list[str], list[str], list[str]]] = {
    "politics": (
        ["voters", "lawmakers", "ballots", "delegates", "protesters", "petitions", "seats"],
        ["approved", "rejected", "counted", "debated", "postponed", "amended", "signed"],
        ["controversial", "bipartisan", "provisional", "sweeping", "narrow", "disputed"],
        ["the budget bill", "the election reform", "the coalition deal", "the referendum"],
    ),
    "business": (
        ["shares", "employees", "contracts", "shipments", "stores", "factories", "loans"],
        ["acquired", "announced", "cut", "expanded", "restructured", "exported", "leased"],
        ["quarterly", "profitable", "volatile", "struggling", "record", "cautious"],
        ["the merger", "the quarterly report", "the takeover bid", "the bond issue"],
    ),
    "sport": (
        ["goals", "fans", "medals", "points", "matches", "players", "tickets"],
        ["scored", "won", "lost", "qualified", "suspended", "transferred", "defended"],
        ["dramatic", "unbeaten", "injured", "relegated", "decisive", "historic"],
        ["the championship final", "the transfer window", "the derby", "the relay"],
    ),
    "science": (
        ["samples", "species", "satellites", "telescopes", "experiments", "genes", "fossils"],
        ["discovered", "measured", "sequenced", "launched", "catalogued", "replicated"],
        ["peer-reviewed", "experimental", "microscopic", "orbital", "unexpected", "rare"],
        ["the survey mission", "the clinical trial", "the excavation", "the field study"],
    ),
    "health": (
        ["patients", "nurses", "vaccines", "beds", "clinics", "cases", "prescriptions"],
        ["treated", "admitted", "vaccinated", "discharged", "screened", "diagnosed"],
        ["chronic", "seasonal", "infectious", "rural", "overcrowded", "preventive"],
        ["the vaccination drive", "the hospital merger", "the outbreak", "the waiting list"],
    ),
    "weather": (
        ["homes", "roads", "flights", "residents", "trees", "bridges", "villages"],
        ["flooded", "evacuated", "cancelled", "damaged", "closed", "restored", "stranded"],
        ["torrential", "freezing", "severe", "unseasonal", "gusty", "prolonged"],
        ["the storm", "the heatwave", "the flood warning", "the snowfall"],
    ),
    "crime": (
        ["suspects", "officers", "witnesses", "vehicles", "raids", "charges", "weapons"],
        ["arrested", "charged", "seized", "questioned", "released", "convicted", "searched"],
        ["armed", "suspected", "undercover", "fraudulent", "unsolved", "violent"],
        ["the investigation", "the trial", "the smuggling case", "the robbery"],
    ),
    "technology": (
        ["users", "servers", "apps", "chips", "engineers", "accounts", "devices"],
        ["released", "patched", "hacked", "upgraded", "deployed", "recalled", "licensed"],
        ["encrypted", "open-source", "wireless", "autonomous", "outdated", "cloud-based"],
        ["the software update", "the data breach", "the product launch", "the network"],
    ),
    "culture": (
        ["visitors", "paintings", "concerts", "books", "films", "artists", "performances"],
        ["exhibited", "premiered", "restored", "published", "cancelled", "toured"],
        ["acclaimed", "experimental", "sold-out", "classical", "independent", "restored"],
        ["the festival", "the museum reopening", "the book prize", "the exhibition"],
    ),
    "environment": (
        ["hectares", "turbines", "tonnes", "wells", "volunteers", "rivers", "permits"],
        ["planted", "installed", "polluted", "protected", "recycled", "monitored"],
        ["renewable", "endangered", "coastal", "drought-hit", "carbon-neutral", "toxic"],
        ["the reforestation plan", "the wind farm", "the clean-up", "the emissions target"],
    ),
}

# Slots: {person} {given} {role} {org} {place} {n} {noun} {verb} {adj} {subject} {day} {pct}
# {money} {year} {other}. Each article fills them afresh, so no two articles share a sentence.
TEMPLATES = [
    "{person}, the {role} of the {org}, said {n} {noun} were {verb} in {place} on {day}.",
    "Officials in {place} confirmed that {subject} had {verb} {n} {noun} since {year}.",
    "According to the {org}, {pct} per cent of {noun} in {place} were affected by {subject}.",
    '"We have never seen anything this {adj}," {person} told reporters in {place}.',
    "The {adj} decision drew criticism from {other}, who called it a mistake for {place}.",
    "{person} said the cost of {subject} had risen to {money}, far above the estimate.",
    "Critics noted that only {n} {noun} had been {verb} by the end of {day}.",
    "In {place}, {n} {noun} were {verb} after {subject} stalled for {days} days.",
    "The {org} expects a further {n} {noun} to be {verb} before the end of {year}.",
    "{other} of the {org2} warned that {subject} could cost {place} {money}.",
    "Residents of {place} said {subject} had been {adj} but long overdue.",
    "A report by the {org} found that {pct} per cent of {noun} were {adj}.",
    "Speaking on {day}, {person} promised that {subject} would be reviewed by {month}.",
    "{person} first joined the {org} in {year} and has served as {role} since {year2}.",
    "The figures, published on {day}, show {n} {noun} {verb} across {place} and {place2}.",
    "Analysts at the {org} described the outlook for {subject} as {adj}.",
    "More than {n} {noun} gathered outside the {org} offices in {place} on {day}.",
    "{person} declined to comment on whether {subject} would affect {noun} in {place}.",
    "The {adj} {subject2} in {place2} is expected to involve about {n} {noun}.",
    "Local councillor {person} said {n} {noun} in {place} still had not been {verb}.",
]

# Facts each article states once, and the question that asks for them (answer = a slot).
FACTS = [
    (
        "{person} is the {role} of the {org}, based in {place}.",
        "Who is the {role} of the {org}?",
        "person",
    ),
    (
        "In total, {n} {noun} were {verb} in {place} during {subject}.",
        "How many {noun} were {verb} in {place} during {subject}?",
        "n",
    ),
    (
        "The {org} said {subject} would cost {money} over {years} years.",
        "How much will {subject} cost, according to the {org}?",
        "money",
    ),
]

OFF_TOPIC = [
    "What is the boiling point of mercury at sea level?",
    "Who painted the ceiling of the Sistine Chapel?",
    "How do I reset my home router password?",
    "What is the recipe for a traditional French cassoulet?",
    "Which planet has the longest day in the solar system?",
    "How many strings does a standard cello have?",
    "What time does the central station ticket office open?",
    "Who won the chess world championship in 1972?",
    "What is the capital city of Mongolia?",
    "How long should I boil an egg for a soft yolk?",
]

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip
