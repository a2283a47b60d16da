"""Stop words of a word cloud: common small words that say nothing on their own.

A word cloud leaves these out when one is sent alone (a phrase that holds one is kept as a
phrase). Short lists, kept by hand: English, Norwegian bokmål and nynorsk, the languages a
workshop runs in. Every word is written case-folded, as ``word_cloud.word_key`` compares them.
"""
from __future__ import annotations

ENGLISH = frozenset("""
a about above after again against all am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just me more most
my myself no nor not now of off on once only or other our ours ourselves out over own same she should
so some such than that the their theirs them themselves then there these they this those through to
too under until up very was we were what when where which while who whom why will with would you your
yours yourself yourselves also
""".split())

BOKMAL = frozenset("""
og i jeg det at en et den til er som på de med han av ikke der så var meg seg men ett har om vi min
mitt ha hadde hun nå over da ved fra du ut sin dem oss opp man kan hans hvor eller hva skal selv sjøl
her alle vil bli ble blitt kunne inn når være kom noen noe ville dere deres kun etter ned skulle
denne for deg si sine sitt mot å meget hvorfor dette disse uten hvordan ingen din ditt blir samme hvilken
hvilke sånn inni mellom vår hver hvem vors hvis både bare enn fordi før mange også slik vært båe begge
siden henne hennes min mine mitt mye mer mest sånt sånne
""".split())

NYNORSK = frozenset("""
og i eg det at ein eit den til er som på dei med han av ikkje ikkje der så var meg seg men eitt har om
vi min mitt ha hadde ho no over då ved frå du ut sin dykk oss opp kan hans kvar eller kva skal sjølv her
alle vil bli vart vore kunne inn når vere kom nokon noko ville dykkar berre enn fordi før mange òg slik
sidan henne hennar mykje meir mest kven korleis kvifor inga ingen ditt din vår vart vere dette desse
utan same kvi hjå
""".split())

#: Every stop word of the three languages.
STOP_WORDS = ENGLISH | BOKMAL | NYNORSK
