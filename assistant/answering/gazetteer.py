"""Place names as data: the world's countries (with the short forms news copy uses), the US
states and territories, large cities and the regions news copy names. Used to tell a place of
the kind a question asks for ("Which country ...?") from any other capitalised name.

Written out as data (no download, no I/O): the lists change rarely and a missing entry only
means a question of that kind falls back to the less certain rules.
"""

from __future__ import annotations

COUNTRIES = frozenset(
    """Afghanistan|Albania|Algeria|Andorra|Angola|Antigua and Barbuda|Argentina|Armenia|Australia|
Austria|Azerbaijan|Bahamas|Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|
Bolivia|Bosnia and Herzegovina|Bosnia|Botswana|Brazil|Brunei|Bulgaria|Burkina Faso|Burundi|
Cabo Verde|Cape Verde|Cambodia|Cameroon|Canada|Central African Republic|Chad|Chile|China|
Colombia|Comoros|Congo|Democratic Republic of Congo|Democratic Republic of the Congo|DRC|
Costa Rica|Ivory Coast|Croatia|Cuba|Cyprus|Czech Republic|Czechia|Denmark|Djibouti|Dominica|
Dominican Republic|Ecuador|Egypt|El Salvador|Equatorial Guinea|Eritrea|Estonia|Eswatini|
Ethiopia|Fiji|Finland|France|Gabon|Gambia|Georgia|Germany|Ghana|Greece|Grenada|Guatemala|
Guinea|Guinea-Bissau|Guyana|Haiti|Honduras|Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|
Israel|Italy|Jamaica|Japan|Jordan|Kazakhstan|Kenya|Kiribati|Kosovo|Kuwait|Kyrgyzstan|Laos|
Latvia|Lebanon|Lesotho|Liberia|Libya|Liechtenstein|Lithuania|Luxembourg|Madagascar|Malawi|
Malaysia|Maldives|Mali|Malta|Marshall Islands|Mauritania|Mauritius|Mexico|Micronesia|Moldova|
Monaco|Mongolia|Montenegro|Morocco|Mozambique|Myanmar|Burma|Namibia|Nauru|Nepal|Netherlands|
Holland|New Zealand|Nicaragua|Niger|Nigeria|North Korea|North Macedonia|Norway|Oman|Pakistan|
Palau|Palestine|Panama|Papua New Guinea|Paraguay|Peru|Philippines|Poland|Portugal|Qatar|
Romania|Russia|Rwanda|Saint Lucia|Samoa|San Marino|Saudi Arabia|Senegal|Serbia|Seychelles|
Sierra Leone|Singapore|Slovakia|Slovenia|Solomon Islands|Somalia|South Africa|South Korea|
South Sudan|Spain|Sri Lanka|Sudan|Suriname|Sweden|Switzerland|Syria|Taiwan|Tajikistan|
Tanzania|Thailand|Timor-Leste|East Timor|Togo|Tonga|Trinidad and Tobago|Tunisia|Turkey|Türkiye|
Turkmenistan|Tuvalu|Uganda|Ukraine|United Arab Emirates|UAE|United Kingdom|UK|U.K.|Britain|
Great Britain|England|Scotland|Wales|Northern Ireland|United States|US|U.S.|USA|America|
Uruguay|Uzbekistan|Vanuatu|Vatican|Venezuela|Vietnam|Yemen|Zambia|Zimbabwe|Greenland|
Puerto Rico|Hong Kong""".replace("\n", "").split("|")
)

US_STATES = frozenset(
    """Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|
Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|
Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|
New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|
Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|
West Virginia|Wisconsin|Wyoming|Puerto Rico|Guam""".replace("\n", "").split("|")
)

CITIES = frozenset(
    """New York City|New York|Los Angeles|Chicago|Houston|Phoenix|Philadelphia|San Antonio|
San Diego|Dallas|San Jose|Austin|Jacksonville|Fort Worth|Columbus|Charlotte|San Francisco|
Indianapolis|Seattle|Denver|Washington|Boston|El Paso|Nashville|Detroit|Oklahoma City|
Portland|Las Vegas|Memphis|Louisville|Baltimore|Milwaukee|Albuquerque|Tucson|Fresno|
Sacramento|Kansas City|Atlanta|Miami|Raleigh|Omaha|Minneapolis|Tulsa|Cleveland|Wichita|
Arlington|New Orleans|Tampa|Honolulu|Anaheim|Pittsburgh|Cincinnati|St. Louis|Orlando|
Newark|Buffalo|Salt Lake City|Wilmington|Dover|Annapolis|Richmond|Charleston|Savannah|
Birmingham|Montgomery|Anchorage|Palm Beach|Maui|Lahaina|Uvalde|Asheville|Hartford|
London|Paris|Berlin|Madrid|Rome|Milan|Naples|Barcelona|Lisbon|Dublin|Edinburgh|Glasgow|
Manchester|Liverpool|Amsterdam|Brussels|Vienna|Prague|Warsaw|Budapest|Athens|Istanbul|
Ankara|Moscow|Kyiv|Kiev|Kharkiv|Odesa|Minsk|Stockholm|Oslo|Copenhagen|Helsinki|Geneva|Zurich|
Munich|Frankfurt|Hamburg|Marseille|Nice|Tokyo|Osaka|Kyoto|Beijing|Shanghai|Hong Kong|
Shenzhen|Wuhan|Taipei|Seoul|Pyongyang|Bangkok|Hanoi|Ho Chi Minh City|Manila|Jakarta|Bali|
Singapore|Kuala Lumpur|Mumbai|New Delhi|Delhi|Kolkata|Bengaluru|Bangalore|Karachi|Lahore|
Islamabad|Kabul|Tehran|Baghdad|Damascus|Beirut|Jerusalem|Tel Aviv|Gaza City|Rafah|Khan Younis|
Cairo|Riyadh|Jeddah|Mecca|Dubai|Abu Dhabi|Doha|Nairobi|Lagos|Johannesburg|Cape Town|
Khartoum|Addis Ababa|Sydney|Melbourne|Brisbane|Perth|Auckland|Wellington|Toronto|Montreal|
Vancouver|Ottawa|Calgary|Mexico City|Guadalajara|Tijuana|Havana|Bogota|Bogotá|Lima|Santiago|
Buenos Aires|Sao Paulo|São Paulo|Rio de Janeiro|Brasilia|Caracas|Quito|Palermo|Venice|
Florence|Yangon|Naypyitaw|Naypyidaw|Mandalay|Dhaka|Kathmandu|Colombo""".replace("\n", "").split("|")
)

# Regions and parts of countries or the world that news copy names as places.
REGIONS = frozenset(
    """South|North|East|West|Midwest|Northeast|Northwest|Southeast|Southwest|Deep South|
West Coast|East Coast|Gulf Coast|Pacific Northwest|New England|Great Plains|Great Lakes|
Rocky Mountains|Appalachia|Mid-Atlantic|Sun Belt|Rust Belt|Middle East|Europe|Asia|Africa|
North America|South America|Latin America|Central America|Caribbean|Scandinavia|Balkans|
Southeast Asia|East Asia|Central Asia|South Asia|Arctic|Antarctica|Sahel|Horn of Africa|
West Bank|Gaza|Gaza Strip|Crimea|Donbas|Kashmir|Siberia|Patagonia|Amazon|Mediterranean|
Pacific|Atlantic|Gulf of Mexico|Gulf of America""".replace("\n", "").split("|")
)

# The planets and bodies news copy names ("435 miles above Earth"): places, never an
# organisation or a person (not Mars, Sun or Saturn: firms and papers too).
CELESTIAL = frozenset(["Earth", "Moon", "Venus", "Jupiter", "Uranus", "Neptune", "Pluto"])

PLACES = COUNTRIES | US_STATES | CITIES | REGIONS | CELESTIAL
