"""Words that tell a name from other capitalised words, and one kind of name from another:
titles before a name ("CEO"), dates, sentence openers, the connectors inside a name ("of",
"&"), the words of organisations' and events' names. Data for ``entities``; no I/O.
"""

from __future__ import annotations

import re

from assistant.lexical import word_set as _words

# Titles and roles that stand before a name, not in it ("Chipotle CEO Brian Niccol").
TITLES = _words(
    "CEO CFO COO President Vice Sen. Senator Gov. Governor Rep. Representative Dr. Mr. Mrs. Ms. "
    "Judge Justice Chief Secretary Minister Prime King Queen Prince Princess Pope Gen. General "
    "Col. Capt. Lt. Sgt. Officer Coach Attorney Mayor Speaker Chairman Chair Commissioner "
    "Director Sir Dame Lord Lady Rev. Saint St Former Late Actor Actress Singer Star Rapper "
    "President-elect Leader Chancellor Ambassador Agent Detective Sheriff Deputy"
)
# Words for dates: never part of a name.
DATE_WORDS = _words(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December Jan. Feb. Mar. Apr. Jun. Jul. Aug. "
    "Sept. Sep. Oct. Nov. Dec. Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
)
# Capitalised words that open sentences, and acronyms of common things: not names.
NOT_NAMES = _words(
    "The A An In On At To For From By With And But Or If As It Its He She They We You I This That "
    "These Those When Where What Who Why How Since After Before Although While Some Many Most "
    "Last Next Earlier Later Now Then Today Yesterday Tomorrow According Here There Our Their "
    "His Her My Your Not No Yes Also Still Even Just Both Each Every All Other Another Such "
    "Over Under Despite During Among Amid Following Until Through Across Without Within Once "
    "One Two Three Four Five Six Seven Eight Nine Ten Dozens Hundreds Thousands Millions "
    "Photo Image Video Read Watch Click Sign Subscribe Getty AP "
    "Reuters CNN Mr Mrs Ms Dr Part Parts Half Much "
    # Acronyms of common things, which open no name ("a massive IT outage", "AI tools").
    "IT AI TV PC GDP PTSD DNA ID IQ VR EV EVs SUV SUVs GPS HIV CPR ICU ER"
)
# The office in "Secretary of State Marco Rubio", "Minister of Health and Human Services ...":
# after a title and "of", these words name the office, not the person.
OFFICE_WORDS = _words(
    "State Defense Defence Homeland Security Health Human Services Commerce Treasury Labor "
    "Labour Education Energy Transportation Transport Agriculture Interior Justice Veterans "
    "Affairs Foreign Housing Urban Development War Finance Environment Trade Culture Economy "
    "Home Public Safety and &"
)
CONNECTORS = _words("of the de la le du van von bin da del & y")
ORG_WORDS = re.compile(
    r"\b(?:Inc|Corp|Corporation|Company|Co|Group|Airlines?|Airways|University|College|Bank|"
    r"Motors?|Holdings|Ltd|LLC|Association|Committee|Council|Department|Agency|Institute|"
    r"Foundation|Party|League|Club|United|City|FC|News|Times|Post|Journal|Network|Studios?|"
    r"Entertainment|Media|Technologies|Systems|Labs?|Pharmacy|Stores?|Records|Court|Congress|"
    r"Senate|House|Administration|Service|Force|Army|Navy|Police|Office|Commission|Board|"
    r"Federation|Union|Organization|Organisation|Movement|Olympics?|Games|Cup|Awards?|Prize|"
    r"National|International|Federal|Royal|Branch|Service|Forces|Government|Channel|Brigade|Battalions?|Factbook|"
    r"Festival|Museum|Hospital|Church|Bureau|Ministry|Parliament|Republicans?|Democrats?)\b"
)

# Last words of the names of events, shows, reports and laws: never a person, nor a company
# (not "Day", "Ball" or "Bill": Doris Day, Lucille Ball, Tony Bill).
EVENT_WORDS = re.compile(
    r"\b(?:Tour|Show|Report|Act|Summit|Conference|Concert|Series|Bowl|Marathon|Gala|Expo|"
    r"Parade|Festival|Awards?|Prize|Cup|Games|Olympics|Championships?|Open|Week|Season|"
    r"Grand Prix)$|^(?:Title|Section|Article|Proposition) [\dIVXL]+$"
)


# Nouns for people often known by one name.
MONONYMS = _words(
    "star singer musician rapper artist celebrity actor actress comedian model designer dj "
    "performer entertainer icon legend player footballer"
)


NUMBER_WORDS = _words(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty hundred hundreds thousands "
    "dozens dozen several many few some"
)
# Nouns of "Which <noun> ...?" that ask for an event, answered by a name ending in one of
# ``EVENT_WORDS``.
EVENT_NOUNS = _words(
    "event events festival festivals tournament tournaments competition competitions "
    "championship ceremony gala summit conference parade marathon fair expo contest"
)
# Peoples and faiths, never a place either ("Baltic", "Caribbean" may be places).
PEOPLES = re.compile(
    r"[A-Z][a-z]+(?:ians|eans)|Americans?|Hindus?|Muslims?|Jews|Sikhs?|Buddhists?|Arabs?|Latinos?"
)
