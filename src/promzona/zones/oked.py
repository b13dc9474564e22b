"""The OKED sections and classes promzona ships (Kazakhstan's classification of economic
activities, close to NACE Rev. 2): the sectors a zone's plots, directions and applications name.

The data migration ``zones.0006_oked_sectors`` puts them in every database; :func:`missing`
tells a loader which of them a database lacks (e.g. after a test flushed its tables).
"""

from __future__ import annotations

# (code, name in Russian, Kazakh, English)
SECTORS = [
    ("B07", "Добыча металлических руд", "Металл кендерін өндіру", "Mining of metal ores"),
    ("C17", "Производство бумаги и бумажной продукции", "Қағаз және қағаз өнімдерін өндіру",
     "Manufacture of paper and paper products"),
    ("C22", "Производство резиновых и пластмассовых изделий",
     "Резеңке және пластмасса бұйымдарын өндіру", "Manufacture of rubber and plastic products"),
    ("C23", "Производство прочей неметаллической минеральной продукции",
     "Басқа да металл емес минералдық өнімдер өндірісі",
     "Manufacture of other non-metallic mineral products"),
    ("C24", "Металлургическая промышленность", "Металлургия өнеркәсібі",
     "Manufacture of basic metals"),
    ("C24.44", "Производство меди", "Мыс өндірісі", "Copper production"),
    ("C25", "Производство готовых металлических изделий",
     "Дайын металл бұйымдарын өндіру", "Manufacture of fabricated metal products"),
    ("C28", "Производство машин и оборудования", "Машиналар мен жабдықтар өндірісі",
     "Manufacture of machinery and equipment"),
    ("C33", "Ремонт и установка машин и оборудования",
     "Машиналар мен жабдықтарды жөндеу және орнату",
     "Repair and installation of machinery and equipment"),
    ("D35", "Электроснабжение, подача газа, пара и воздушное кондиционирование",
     "Электрмен жабдықтау, газ, бу беру және ауа баптау",
     "Electricity, gas, steam and air conditioning supply"),
    ("F43", "Специализированные строительные работы", "Мамандандырылған құрылыс жұмыстары",
     "Specialised construction activities"),
    ("H49", "Сухопутный транспорт", "Құрлық көлігі", "Land transport"),
    ("H52", "Складское хозяйство и вспомогательная транспортная деятельность",
     "Қойма шаруашылығы және қосалқы көлік қызметі",
     "Warehousing and support activities for transportation"),
    ("M71", "Деятельность в области архитектуры и инженерных изысканий",
     "Сәулет және инженерлік іздестірулер саласындағы қызмет",
     "Architectural and engineering activities"),
]


def missing(present: set[str]) -> list[tuple[str, str, str, str]]:
    """The shipped sectors whose code is not in ``present``."""
    return [s for s in SECTORS if s[0] not in present]
