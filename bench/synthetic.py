"""A deterministic synthetic archive for performance work (issue #8).

``generate(...)`` (behind ``manage.py generate_synthetic``) writes outlets, articles in
English, Russian and Chinese, quotes anchored in them, entities with aliases, series,
events and claims with citations — at any scale from a few hundred rows to 100,000
events, 1,000,000 claims and 1,000,000 quotes — with ``bulk_create`` in batched
transactions. The same seed always gives the same rows (timestamps aside).

How the text stays true: an article body is composed sentence by sentence from
templates; every claim is stated by one sentence, and the quote that supports it is that
sentence, at the offsets computed while the body was joined, so ``body[start:end] ==
exact`` holds by construction (and prefix/suffix come from ``sources.text.context``).

What bulk_create skips, this module does itself: slugs, date truncation to the stated
precision, the content hash, quote context, and the status rule that a published claim
cites only published articles. It writes no django-simple-history rows and sends no
model signals; caches need nothing: the database's triggers replace the archive version
on every write (sources/caching.py). A dev-only module (``bench`` is installed only where
the checkout has it), kept out of the ``events`` app.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connections, transaction
from django.utils.text import slugify

from events import search
from events.models import Citation, Claim, Entity, Event, Series
from sources.models import Article, FormerSlug, Outlet, Quote, truncate_date

SCALES = {
    "tiny": {"events": 100, "claims_per_event": 8},
    "small": {"events": 1_000, "claims_per_event": 10},
    "medium": {"events": 10_000, "claims_per_event": 10},
    "large": {"events": 100_000, "claims_per_event": 10},
}

SHOWCASE_EVERY = 1000  # every 1000th event (index % 1000 == 500) has exactly 50 claims
SHOWCASE_OFFSET = 500
SHOWCASE_CLAIMS = 50

LANGS = ("en", "ru", "zh")
LANG_WEIGHTS = (55, 30, 15)

# ---------------------------------------------------------------------------------------
# Vocabulary: every name in English, Russian and Chinese.

COUNTRIES = [
    # (en, ru, zh, wikidata)
    ("Russia", "Россия", "俄罗斯", "Q159"),
    ("China", "Китай", "中国", "Q148"),
    ("Kazakhstan", "Казахстан", "哈萨克斯坦", "Q232"),
    ("Kyrgyzstan", "Киргизия", "吉尔吉斯斯坦", "Q813"),
    ("Tajikistan", "Таджикистан", "塔吉克斯坦", "Q863"),
    ("Uzbekistan", "Узбекистан", "乌兹别克斯坦", "Q265"),
    ("India", "Индия", "印度", "Q668"),
    ("Pakistan", "Пакистан", "巴基斯坦", "Q843"),
    ("Iran", "Иран", "伊朗", "Q794"),
    ("Belarus", "Белоруссия", "白俄罗斯", "Q184"),
    ("Mongolia", "Монголия", "蒙古国", "Q711"),
    ("Afghanistan", "Афганистан", "阿富汗", "Q889"),
    ("Turkey", "Турция", "土耳其", "Q43"),
    ("Azerbaijan", "Азербайджан", "阿塞拜疆", "Q227"),
    ("Armenia", "Армения", "亚美尼亚", "Q399"),
    ("Cambodia", "Камбоджа", "柬埔寨", "Q424"),
    ("Nepal", "Непал", "尼泊尔", "Q837"),
    ("Sri Lanka", "Шри-Ланка", "斯里兰卡", "Q854"),
    ("Egypt", "Египет", "埃及", "Q79"),
    ("Qatar", "Катар", "卡塔尔", "Q846"),
    ("Saudi Arabia", "Саудовская Аравия", "沙特阿拉伯", "Q851"),
    ("United Arab Emirates", "ОАЭ", "阿联酋", "Q878"),
    ("Kuwait", "Кувейт", "科威特", "Q817"),
    ("Bahrain", "Бахрейн", "巴林", "Q398"),
    ("Maldives", "Мальдивы", "马尔代夫", "Q826"),
    ("Myanmar", "Мьянма", "缅甸", "Q836"),
    ("Laos", "Лаос", "老挝", "Q819"),
    ("Turkmenistan", "Туркмения", "土库曼斯坦", "Q874"),
]
COUNTRY_ALIASES = {
    "Russia": ["Russian Federation", "Российская Федерация"],
    "China": ["People's Republic of China", "PRC", "КНР", "中华人民共和国"],
    "Kyrgyzstan": ["Kyrgyz Republic", "Кыргызстан"],
    "Belarus": ["Republic of Belarus", "Беларусь"],
    "Iran": ["Islamic Republic of Iran"],
    "Turkmenistan": ["Туркменистан"],
}

CITIES = [
    # (en, ru, zh)
    ("Moscow", "Москва", "莫斯科"),
    ("Beijing", "Пекин", "北京"),
    ("Astana", "Астана", "阿斯塔纳"),
    ("Bishkek", "Бишкек", "比什凯克"),
    ("Dushanbe", "Душанбе", "杜尚别"),
    ("Tashkent", "Ташкент", "塔什干"),
    ("Islamabad", "Исламабад", "伊斯兰堡"),
    ("New Delhi", "Нью-Дели", "新德里"),
    ("Tehran", "Тегеран", "德黑兰"),
    ("Minsk", "Минск", "明斯克"),
    ("Shanghai", "Шанхай", "上海"),
    ("Qingdao", "Циндао", "青岛"),
    ("Chebarkul", "Чебаркуль", "切巴尔库尔"),
    ("Orenburg", "Оренбург", "奥伦堡"),
    ("Almaty", "Алматы", "阿拉木图"),
    ("Samarkand", "Самарканд", "撒马尔罕"),
    ("Chelyabinsk", "Челябинск", "车里雅宾斯克"),
    ("Vladivostok", "Владивосток", "符拉迪沃斯托克"),
    ("Saint Petersburg", "Санкт-Петербург", "圣彼得堡"),
    ("Novosibirsk", "Новосибирск", "新西伯利亚"),
    ("Urumqi", "Урумчи", "乌鲁木齐"),
    ("Korla", "Корла", "库尔勒"),
    ("Osh", "Ош", "奥什"),
    ("Khujand", "Худжанд", "苦盏"),
    ("Bukhara", "Бухара", "布哈拉"),
    ("Karaganda", "Караганда", "卡拉干达"),
    ("Brest", "Брест", "布列斯特"),
    ("Kazan", "Казань", "喀山"),
    ("Sochi", "Сочи", "索契"),
    ("Yekaterinburg", "Екатеринбург", "叶卡捷琳堡"),
    ("Xi'an", "Сиань", "西安"),
    ("Chengdu", "Чэнду", "成都"),
    ("Harbin", "Харбин", "哈尔滨"),
    ("Lahore", "Лахор", "拉合尔"),
    ("Karachi", "Карачи", "卡拉奇"),
    ("Mumbai", "Мумбаи", "孟买"),
    ("Isfahan", "Исфахан", "伊斯法罕"),
    ("Mashhad", "Мешхед", "马什哈德"),
    ("Ulaanbaatar", "Улан-Батор", "乌兰巴托"),
    ("Ufa", "Уфа", "乌法"),
    ("Zhurihe", "Чжурихэ", "朱日和"),
    ("Balkhash", "Балхаш", "巴尔喀什"),
]
CITY_ALIASES = {
    "Astana": ["Nur-Sultan", "Нур-Султан"],
    "Almaty": ["Alma-Ata", "Алма-Ата"],
    "Ulaanbaatar": ["Ulan Bator"],
    "Khujand": ["Khodjent"],
}

SERIES = [
    # (en, ru, zh, kind, extra aliases)
    (
        "SCO Defence Ministers' Meeting",
        "Совещание министров обороны государств — членов ШОС",
        "上合组织成员国国防部长会议",
        "meeting",
        ["Meeting of SCO Defence Ministers"],
    ),
    ("Peace Mission", "Мирная миссия", "和平使命", "exercise", ["Peaceful Mission"]),
    ("Vostok", "Восток", "东方", "exercise", ["East"]),
    ("Zapad", "Запад", "西部", "exercise", ["West"]),
    ("Tsentr", "Центр", "中部", "exercise", ["Centre", "Center"]),
    ("Kavkaz", "Кавказ", "高加索", "exercise", ["Caucasus"]),
    ("Interaction", "Взаимодействие", "协作", "exercise", []),
    ("Sary-Arka Anti-terror", "Сарыарка-Антитеррор", "萨雷阿尔卡-反恐", "exercise", []),
    ("Fanfares of Peace", "Фанфары мира", "和平号角", "festival", ["Trumpet of Peace"]),
    ("Army Games", "Армейские международные игры", "国际军事比赛", "festival", ["ArMI"]),
    (
        "SCO Women, Peace and Security Forum",
        "Форум ШОС «Женщины, мир и безопасность»",
        "上合组织妇女、和平与安全论坛",
        "seminar",
        [],
    ),
    (
        "SCO Military Medicine Seminar",
        "Семинар ШОС по военной медицине",
        "上合组织军事医学研讨会",
        "seminar",
        [],
    ),
    (
        "SCO Security Council Secretaries Meeting",
        "Встреча секретарей советов безопасности государств — членов ШОС",
        "上合组织成员国安全会议秘书会议",
        "meeting",
        [],
    ),
    (
        "SCO Heads of State Council",
        "Совет глав государств — членов ШОС",
        "上合组织成员国元首理事会",
        "summit",
        ["SCO summit"],
    ),
    (
        "Moscow Conference on International Security",
        "Московская конференция по международной безопасности",
        "莫斯科国际安全会议",
        "conference",
        ["MCIS"],
    ),
    ("Beijing Xiangshan Forum", "Сяншаньский форум", "北京香山论坛", "conference", []),
]

ORGANISATIONS = [
    ("Shanghai Cooperation Organisation", "Шанхайская организация сотрудничества", "上海合作组织"),
    ("SCO Secretariat", "Секретариат ШОС", "上合组织秘书处"),
    (
        "SCO Regional Anti-Terrorist Structure",
        "Региональная антитеррористическая структура ШОС",
        "上合组织地区反恐怖机构",
    ),
    (
        "Collective Security Treaty Organisation",
        "Организация Договора о коллективной безопасности",
        "集体安全条约组织",
    ),
    ("Commonwealth of Independent States", "Содружество Независимых Государств", "独立国家联合体"),
    ("United Nations", "Организация Объединённых Наций", "联合国"),
    ("UN Women", "Структура «ООН-женщины»", "联合国妇女署"),
    (
        "International Committee of the Red Cross",
        "Международный комитет Красного Креста",
        "红十字国际委员会",
    ),
    (
        "Ministry of Defence of the Russian Federation",
        "Министерство обороны Российской Федерации",
        "俄罗斯联邦国防部",
    ),
    ("Ministry of National Defense of China", "Министерство обороны КНР", "中华人民共和国国防部"),
    (
        "Ministry of Defence of Kazakhstan",
        "Министерство обороны Республики Казахстан",
        "哈萨克斯坦共和国国防部",
    ),
    (
        "Ministry of Defence of Kyrgyzstan",
        "Министерство обороны Кыргызской Республики",
        "吉尔吉斯斯坦国防部",
    ),
    (
        "Ministry of Defence of Tajikistan",
        "Министерство обороны Республики Таджикистан",
        "塔吉克斯坦国防部",
    ),
    (
        "Ministry of Defence of Uzbekistan",
        "Министерство обороны Республики Узбекистан",
        "乌兹别克斯坦国防部",
    ),
    ("Ministry of Defence of India", "Министерство обороны Индии", "印度国防部"),
    ("Ministry of Defence of Pakistan", "Министерство обороны Пакистана", "巴基斯坦国防部"),
    (
        "Ministry of Defence of Belarus",
        "Министерство обороны Республики Беларусь",
        "白俄罗斯国防部",
    ),
    (
        "General Staff of the Armed Forces of Russia",
        "Генеральный штаб Вооружённых сил России",
        "俄罗斯武装力量总参谋部",
    ),
    ("Eastern Military District", "Восточный военный округ", "东部军区"),
    ("Central Military District", "Центральный военный округ", "中部军区"),
    ("People's Liberation Army", "Народно-освободительная армия Китая", "中国人民解放军"),
]

FIRST_NAMES = [
    ("Sergei", "Сергей", "谢尔盖"),
    ("Alexei", "Алексей", "阿列克谢"),
    ("Nikolai", "Николай", "尼古拉"),
    ("Dmitry", "Дмитрий", "德米特里"),
    ("Ivan", "Иван", "伊万"),
    ("Timur", "Тимур", "帖木儿"),
    ("Rustam", "Рустам", "鲁斯塔姆"),
    ("Aibek", "Айбек", "艾别克"),
    ("Nurlan", "Нурлан", "努尔兰"),
    ("Bakhtiyor", "Бахтиёр", "巴赫季约尔"),
    ("Sherali", "Шерали", "谢拉利"),
    ("Ruslan", "Руслан", "鲁斯兰"),
    ("Farkhod", "Фарход", "法尔霍德"),
    ("Askar", "Аскар", "阿斯卡尔"),
    ("Anna", "Анна", "安娜"),
    ("Elena", "Елена", "叶莲娜"),
    ("Gulnara", "Гульнара", "古丽娜拉"),
    ("Dilnoza", "Дилноза", "迪尔诺扎"),
    ("Zarina", "Зарина", "扎丽娜"),
    ("Priya", "Прия", "普丽娅"),
]
LAST_NAMES = [
    ("Petrov", "Петров", "彼得罗夫"),
    ("Ivanov", "Иванов", "伊万诺夫"),
    ("Sokolov", "Соколов", "索科洛夫"),
    ("Kuznetsov", "Кузнецов", "库兹涅佐夫"),
    ("Nazarov", "Назаров", "纳扎罗夫"),
    ("Karimov", "Каримов", "卡里莫夫"),
    ("Rakhimov", "Рахимов", "拉希莫夫"),
    ("Abdullaev", "Абдуллаев", "阿卜杜拉耶夫"),
    ("Saidov", "Саидов", "赛义多夫"),
    ("Omarov", "Омаров", "奥马罗夫"),
    ("Belov", "Белов", "别洛夫"),
    ("Orlov", "Орлов", "奥尔洛夫"),
    ("Volkov", "Волков", "沃尔科夫"),
    ("Morozov", "Морозов", "莫罗佐夫"),
    ("Sharma", "Шарма", "夏尔马"),
    ("Khan", "Хан", "汗"),
    ("Mirzaei", "Мирзаи", "米尔扎伊"),
    ("Bekov", "Беков", "别科夫"),
    ("Tursunov", "Турсунов", "图尔苏诺夫"),
    ("Zhukov", "Жуков", "朱可夫"),
]
INITIALS = "ABDEGKLMNOPRSTVZ"

QUALIFIERS = [
    ("Minister of Defence", "министр обороны", "国防部长"),
    ("Chief of the General Staff", "начальник Генерального штаба", "总参谋长"),
    ("SCO Secretary-General", "генеральный секретарь ШОС", "上合组织秘书长"),
    ("Deputy Minister of Defence", "заместитель министра обороны", "国防部副部长"),
    (
        "Commander of the joint task force",
        "командующий объединённой группировкой",
        "联合部队指挥官",
    ),
    (
        "Director of the SCO RATS Executive Committee",
        "директор Исполкома РАТС ШОС",
        "上合组织地区反恐怖机构执委会主任",
    ),
]

THEMES = [
    ("Women, peace and security", "Женщины, мир и безопасность", "妇女、和平与安全"),
    (
        "Countering international terrorism",
        "Противодействие международному терроризму",
        "打击国际恐怖主义",
    ),
    (
        "Military medicine in emergencies",
        "Военная медицина в чрезвычайных ситуациях",
        "紧急情况下的军事医学",
    ),
    ("Security in Central Asia", "Безопасность в Центральной Азии", "中亚安全"),
    ("Information security", "Информационная безопасность", "信息安全"),
    ("Peacekeeping training", "Подготовка миротворцев", "维和培训"),
    ("Military music and cultural ties", "Военная музыка и культурные связи", "军乐与文化纽带"),
    ("Border security", "Безопасность границ", "边境安全"),
]
DECISIONS = [
    (
        "to expand cooperation in military education",
        "расширить сотрудничество в области военного образования",
        "扩大军事教育领域合作",
    ),
    (
        "to hold joint counter-terrorism exercises every two years",
        "проводить совместные антитеррористические учения раз в два года",
        "每两年举行一次联合反恐演习",
    ),
    (
        "to set up a working group on military medicine",
        "создать рабочую группу по военной медицине",
        "成立军事医学工作组",
    ),
    (
        "to increase the share of women in peacekeeping contingents",
        "увеличить долю женщин в миротворческих контингентах",
        "提高维和部队中女性的比例",
    ),
    (
        "to exchange information on border security",
        "обмениваться информацией по вопросам безопасности границ",
        "交流边境安全信息",
    ),
    (
        "to create a hotline between the defence ministries",
        "создать линию прямой связи между министерствами обороны",
        "在各国国防部之间建立热线",
    ),
    (
        "to invite observer states to the next exercise",
        "пригласить государства-наблюдатели на следующие учения",
        "邀请观察员国参加下一次演习",
    ),
    (
        "to approve the plan of cooperation for the next two years",
        "утвердить план сотрудничества на ближайшие два года",
        "批准未来两年的合作计划",
    ),
]
DOCUMENTS = [
    (
        "Plan for Cooperation between the SCO Defence Ministries",
        "План сотрудничества министерств обороны государств — членов ШОС",
        "上合组织成员国国防部合作计划",
    ),
    ("Joint Communiqué", "Совместное коммюнике", "联合公报"),
    (
        "Memorandum of Understanding on Military Medicine",
        "Меморандум о взаимопонимании в области военной медицины",
        "军事医学谅解备忘录",
    ),
    ("Protocol on Joint Exercises", "Протокол о проведении совместных учений", "联合演习议定书"),
    (
        "Declaration on Women, Peace and Security",
        "Декларация «Женщины, мир и безопасность»",
        "妇女、和平与安全宣言",
    ),
    ("Agreement on Border Cooperation", "Соглашение о пограничном сотрудничестве", "边境合作协定"),
]
FORMATS = [
    ("in person", "очная встреча", "线下"),
    ("by videoconference", "видеоконференция", "视频会议"),
    ("in a hybrid format", "смешанный формат", "线上线下相结合"),
    ("behind closed doors", "закрытое заседание", "闭门"),
]
STATEMENTS = [
    (
        "the exercise strengthened mutual trust",
        "учения укрепили взаимное доверие",
        "演习增进了相互信任",
    ),
    (
        "cooperation in the SCO format is growing",
        "сотрудничество в формате ШОС расширяется",
        "上合组织框架内的合作不断扩大",
    ),
    (
        "the threat of terrorism in the region remains high",
        "угроза терроризма в регионе остаётся высокой",
        "地区恐怖主义威胁依然严峻",
    ),
    (
        "the parties share a common approach to regional security",
        "стороны придерживаются общего подхода к региональной безопасности",
        "各方在地区安全问题上立场一致",
    ),
]
DEPRECATION_REASONS = [
    "The outlet gives the wrong year; the ministry's release and other reports agree.",
    "Contradicted by the official communiqué.",
    "The outlet confuses this event with an earlier meeting of the same series.",
    "A translation error in the outlet's report; the original statement says otherwise.",
]

OUTLETS = [
    # (name, slug, lang, kind, country, url)
    ("TASS", "tass", "ru", "agency", "Russia", "https://tass.ru"),
    ("RIA Novosti", "ria-novosti", "ru", "agency", "Russia", "https://ria.ru"),
    ("Interfax", "interfax", "ru", "agency", "Russia", "https://www.interfax.ru"),
    ("Krasnaya Zvezda", "krasnaya-zvezda", "ru", "newspaper", "Russia", "https://redstar.ru"),
    ("Kabar", "kabar", "ru", "agency", "Kyrgyzstan", "https://kabar.kg"),
    ("Khovar", "khovar", "ru", "agency", "Tajikistan", "https://khovar.tj"),
    ("BelTA", "belta", "ru", "agency", "Belarus", "https://www.belta.by"),
    (
        "Ministry of Defence of the Russian Federation",
        "mil-ru",
        "ru",
        "official",
        "Russia",
        "https://mil.ru",
    ),
    ("Xinhua", "xinhua", "zh", "agency", "China", "https://www.news.cn"),
    ("PLA Daily", "pla-daily", "zh", "newspaper", "China", "http://www.81.cn"),
    ("People's Daily", "peoples-daily", "zh", "newspaper", "China", "http://www.people.com.cn"),
    (
        "China Military Online",
        "china-military",
        "en",
        "official",
        "China",
        "http://eng.chinamil.com.cn",
    ),
    ("Global Times", "global-times", "en", "newspaper", "China", "https://www.globaltimes.cn"),
    ("Kazinform", "kazinform", "en", "agency", "Kazakhstan", "https://www.inform.kz"),
    (
        "The Astana Times",
        "astana-times",
        "en",
        "newspaper",
        "Kazakhstan",
        "https://astanatimes.com",
    ),
    ("UzA", "uza", "en", "agency", "Uzbekistan", "https://uza.uz"),
    ("Dawn", "dawn", "en", "newspaper", "Pakistan", "https://www.dawn.com"),
    ("The Hindu", "the-hindu", "en", "newspaper", "India", "https://www.thehindu.com"),
    ("IRNA", "irna", "en", "agency", "Iran", "https://en.irna.ir"),
    ("AKIpress", "akipress", "en", "agency", "Kyrgyzstan", "https://akipress.com"),
    ("Asia-Plus", "asia-plus", "en", "newspaper", "Tajikistan", "https://asiaplustj.info"),
    ("SCO Secretariat", "sco-secretariat", "en", "official", "", "https://eng.sectsco.org"),
]

KIND_WEIGHTS = [
    ("exercise", 25), ("meeting", 25), ("seminar", 12), ("conference", 8), ("festival", 6),
    ("summit", 5), ("agreement", 5), ("declaration", 3), ("founding", 2), ("resolution", 3),
    ("other", 6),
]  # fmt: skip
KIND_NOUN = {
    "meeting": ("meeting", "встреча", "会议"),
    "seminar": ("seminar", "семинар", "研讨会"),
    "conference": ("conference", "конференция", "会议"),
    "exercise": ("exercise", "учения", "演习"),
    "festival": ("festival", "фестиваль", "联欢节"),
    "summit": ("summit", "саммит", "峰会"),
    "agreement": ("signing", "подписание", "签字仪式"),
    "declaration": ("meeting", "встреча", "会议"),
    "founding": ("ceremony", "церемония", "仪式"),
    "resolution": ("session", "заседание", "会议"),
    "other": ("visit", "визит", "访问"),
}

EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]  # fmt: skip
RU_MONTHS_GEN = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                 "сентября", "октября", "ноября", "декабря"]  # fmt: skip
RU_MONTHS_NOM = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
                 "сентябрь", "октябрь", "ноябрь", "декабрь"]  # fmt: skip
RU_MONTHS_PREP = ["январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе",
                  "сентябре", "октябре", "ноябре", "декабре"]  # fmt: skip
NBSP = "\u00a0"

# Claim sentences: {v} the value, {k} the event's noun, {q} a speaker's role.
TEMPLATES = {
    "participant": {
        "en": ["A delegation of {v} took part in the {k}.", "{v} sent a contingent to the {k}.",
               "Representatives of {v} also attended."],
        "ru": ["В числе участников — {v}.", "Свою делегацию направила сторона: {v}."],
        "zh": ["{v}派代表团参加了{k}。", "{v}也派员出席。"],
    },
    "host": {
        "en": ["The {k} was hosted by {v}.", "{v} hosted the {k}."],
        "ru": ["Принимающая сторона — {v}."],
        "zh": ["{k}由{v}主办。"],
    },
    "chair": {
        "en": ["{v} chaired the {k}.", "The {k} was chaired by {v}."],
        "ru": ["Председательствующая сторона — {v}."],
        "zh": ["{v}担任{k}主席。"],
    },
    "initiative": {
        "en": ["The {k} was held on the initiative of {v}."],
        "ru": ["Инициатор проведения — {v}."],
        "zh": ["{k}由{v}倡议举办。"],
    },
    "organiser": {
        "en": ["The {k} was organised by {v}."],
        "ru": ["Организатор — {v}."],
        "zh": ["{k}由{v}组织。"],
    },
    "supporter": {
        "en": ["{v} supported the {k}."],
        "ru": ["Поддержку мероприятию оказала сторона: {v}."],
        "zh": ["{v}为{k}提供了支持。"],
    },
    "invited": {
        "en": ["{v} was invited as a guest.", "A delegation of {v} attended as invited guests."],
        "ru": ["В качестве гостя приглашена делегация: {v}."],
        "zh": ["{v}应邀出席。"],
    },
    "speaker": {
        "en": ["{v}, {q}, addressed the participants.", "{v}, {q}, opened the {k}."],
        "ru": ["С речью выступил {q} {v}.", "Открыл мероприятие {q} {v}."],
        "zh": ["{q}{v}发表讲话。", "{q}{v}宣布{k}开幕。"],
    },
    "place": {
        "en": ["The {k} took place in {v}.", "The venue was {v}."],
        "ru": ["Место проведения — {v}."],
        "zh": ["{k}在{v}举行。"],
    },
    "date": {
        "en": ["The {k} was held {v}."],
        "ru": ["Дата проведения — {v}."],
        "zh": ["{k}于{v}举行。"],
    },
    "next_meeting": {
        "en": ["The next meeting will be the {v}."],
        "ru": ["Следующей встречей станет «{v}»."],
        "zh": ["下一次会议将是“{v}”。"],
    },
    "announced_event": {
        "en": ["The participants announced the {v}."],
        "ru": ["Участники объявили о проведении мероприятия «{v}»."],
        "zh": ["与会各方宣布将举办“{v}”。"],
    },
    "part_of": {
        "en": ["The {k} was part of the {v}."],
        "ru": ["Мероприятие прошло в рамках «{v}»."],
        "zh": ["{k}是“{v}”的一部分。"],
    },
    "decision": {
        "en": ["The parties decided {v}.", "The ministers agreed {v}."],
        "ru": ["Стороны приняли решение {v}."],
        "zh": ["各方决定{v}。"],
    },
    "outcome_document": {
        "en": ["The parties signed the {v}.", "The {v} was adopted."],
        "ru": ["Подписан документ «{v}»."],
        "zh": ["各方签署了《{v}》。"],
    },
    "theme": {
        "en": ["The theme of the {k} was “{v}”."],
        "ru": ["Тема — «{v}»."],
        "zh": ["{k}的主题是“{v}”。"],
    },
    "format": {
        "en": ["The {k} was held {v}."],
        "ru": ["Формат — {v}."],
        "zh": ["{k}以{v}方式举行。"],
    },
    "statement": {
        "en": ["Officials said that {v}.", "According to the organisers, {v}."],
        "ru": ["Было заявлено, что {v}."],
        "zh": ["有关方面表示，{v}。"],
    },
}  # fmt: skip

FILLERS = {
    "en": [
        "Preparations took several months.",
        "More than {n} servicemen took part in the drills.",
        "The weather in {city} was clear and dry.",
        "Journalists were invited to the final stage.",
        "The delegations visited a military museum in {city}.",
        "Troops practised joint planning, command and logistics.",
        "A cultural programme followed the official part.",
        "Observers praised the level of coordination.",
        "Some {n} units of equipment were involved.",
    ],
    "ru": [
        "Подготовка заняла несколько месяцев.",
        f"В учениях задействовано более {{n}}{NBSP}военнослужащих.",
        "Погода в г. {city} была ясной.",
        "Журналисты были приглашены на заключительный этап.",
        "Делегации посетили военный музей в г. {city}.",
        "Войска отработали вопросы совместного планирования и управления.",
        "После официальной части прошла культурная программа.",
        "Наблюдатели высоко оценили уровень взаимодействия.",
        f"Было задействовано около {{n}}{NBSP}единиц техники.",
    ],
    "zh": [
        "筹备工作历时数月。",
        "超过{n}名官兵参加了演练。",
        "{city}天气晴朗。",
        "记者应邀观摩了最后阶段。",
        "各代表团参观了{city}的一座军事博物馆。",
        "部队演练了联合筹划、指挥和后勤保障。",
        "正式活动结束后举行了文化活动。",
        "观察员高度评价了协同水平。",
        "约{n}台装备参加了演练。",
    ],
}
LEADS = {
    "en": ("The {title} was held in {city}{date}.", "The {title} took place{date}."),
    "ru": ("Мероприятие «{title}» состоялось в г. {city}{date}.",
           "Мероприятие «{title}» состоялось{date}."),
    "zh": ("“{title}”{date}在{city}举行。", "“{title}”{date}举行。"),
}  # fmt: skip
HEADLINES = {
    "en": ("{title}: what was agreed", "{title} ends", "{title} opens", "Report: {title}"),
    "ru": ("«{title}»: итоги", "«{title}» завершилось", "«{title}»: открытие",
           "Репортаж: «{title}»"),
    "zh": ("“{title}”综述", "“{title}”落幕", "“{title}”开幕", "报道：“{title}”"),
}  # fmt: skip
HEADLINES_EN = ("{title}: what was agreed", "{title} ends", "{title} opens", "Report: {title}")

# How the value kinds are spread over properties after the fixed ones.
PROPERTY_WEIGHTS = [
    ("participant", 30), ("speaker", 14), ("decision", 12), ("invited", 6), ("organiser", 5),
    ("chair", 4), ("initiative", 4), ("supporter", 4), ("outcome_document", 6), ("theme", 4),
    ("statement", 5), ("announced_event", 2), ("part_of", 1), ("next_meeting", 3),
]  # fmt: skip
ENTITY_PROPERTIES = {"participant", "host", "chair", "initiative", "organiser", "supporter",
                     "invited", "speaker", "place"}  # fmt: skip
TEXT_VOCAB = {"decision": DECISIONS, "outcome_document": DOCUMENTS, "theme": THEMES,
              "format": FORMATS, "statement": STATEMENTS}  # fmt: skip

LANG_INDEX = {"en": 0, "ru": 1, "zh": 2}


# ---------------------------------------------------------------------------------------
# Dates as each language writes them.


def date_phrase(lang, value, precision, *, lead=False):
    """A date in a sentence: 'on 28 July 2021', '28 июля 2021 года', '2021年7月28日'."""
    if value is None or precision == "unknown":
        return ""
    y, m, d = value.year, value.month, value.day
    if lang == "en":
        if precision == "day":
            return f"on {d} {EN_MONTHS[m - 1]} {y}"
        if precision == "month":
            return f"in {EN_MONTHS[m - 1]} {y}"
        return f"in {y}"
    if lang == "ru":
        if precision == "day":
            return f"{d}{NBSP}{RU_MONTHS_GEN[m - 1]} {y}{NBSP}года"
        if precision == "month":
            if lead:
                return f"в {RU_MONTHS_PREP[m - 1]} {y}{NBSP}года"
            return f"{RU_MONTHS_NOM[m - 1]} {y}{NBSP}года"
        return f"в {y}{NBSP}году" if lead else f"{y}{NBSP}год"
    if precision == "day":
        return f"{y}年{m}月{d}日"
    if precision == "month":
        return f"{y}年{m}月"
    return f"{y}年"


# ---------------------------------------------------------------------------------------
# Specs held in memory while generating.


@dataclass(slots=True)
class EntitySpec:
    id: int
    kind: str
    names: tuple  # (en, ru, zh)


@dataclass(slots=True)
class EventSpec:
    id: int
    kind: str
    titles: tuple  # (en, ru, zh)
    status: str
    start: dt.date | None
    end: dt.date | None
    precision: str
    year: int
    place: EntitySpec | None
    series_id: int | None
    n_claims: int
    showcase: bool


@dataclass
class Report:
    counts: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    showcase: list = field(default_factory=list)  # slugs of events with exactly 50 claims
    seconds: float = 0.0


def _weighted(rng, pairs):
    names, weights = zip(*pairs, strict=True)
    return rng.choices(names, weights)[0]


def _status(rng, published_share=0.9):
    r = rng.random()
    if r < published_share:
        return "published"
    return "review" if r < published_share + (1 - published_share) / 2 else "draft"


class _Ids:
    """Primary keys handed out here, so rows can refer to each other before insertion."""

    def __init__(self, using, models, fresh):
        self.next = {}
        for model in models:
            start = 1
            if not fresh:
                last = model.objects.using(using).order_by("-pk").values_list("pk", flat=True)
                start = (last.first() or 0) + 1
            self.next[model] = start

    def take(self, model, n=1):
        first = self.next[model]
        self.next[model] = first + n
        return first


ARCHIVE_MODELS = [Citation, Claim, Event, Series, Entity, Quote, Article, Outlet]


def clear(using="default"):
    """Wipe the archive tables (and their history and former slugs) in one statement set."""
    connection = connections[using]
    models = [*ARCHIVE_MODELS, FormerSlug]
    for model in (Article, Quote, Entity, Series, Event, Claim):
        models.append(model.history.model)
    tables = [model._meta.db_table for model in models]
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=True, allow_cascade=connection.vendor == "postgresql"
    )
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Deferred foreign-key checks pending in this transaction block TRUNCATE.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for sql in statements:
                cursor.execute(sql)


# ---------------------------------------------------------------------------------------


class Generator:
    """Builds the archive; see the module docstring. Use :func:`generate`."""

    def __init__(
        self,
        *,
        events,
        claims_per_event,
        articles=None,
        seed=1,
        batch_size=5000,
        using="default",
        fresh=False,
        log: Callable[[str], None] | None = None,
    ):
        if events < 1 or claims_per_event < 1:
            raise ValueError("events and claims_per_event must be at least 1")
        self.n_events = events
        self.k = claims_per_event
        self.n_articles = articles or events
        self.seed = seed
        self.batch_size = batch_size
        self.using = using
        self.rng = random.Random(seed)
        self.log = log or (lambda message: None)
        self.report = Report()
        self.ids = _Ids(using, [*ARCHIVE_MODELS], fresh)
        self._taken_slugs = {}

    # -- reference data -------------------------------------------------------------------

    def _slug(self, model, base):
        taken = self._taken_slugs.get(model)
        if taken is None:
            taken = set(model.objects.using(self.using).values_list("slug", flat=True))
            self._taken_slugs[model] = taken
        base = (slugify(base) or "item")[:180].strip("-")
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        return slug

    def _outlets(self):
        rows, specs = [], []
        extra = self.n_events // 5000
        table = list(OUTLETS) + [
            (f"Regional Herald {i}", f"regional-herald-{i}", LANGS[i % 3], "newspaper", "",
             f"https://herald{i}.example.org")
            for i in range(1, extra + 1)
        ]  # fmt: skip
        first = self.ids.take(Outlet, len(table))
        for offset, (name, slug, lang, kind, country, url) in enumerate(table):
            pk = first + offset
            rows.append(
                Outlet(
                    id=pk,
                    name=name,
                    slug=self._slug(Outlet, slug),
                    kind=kind,
                    url=url,
                    country=country,
                    description=f"{name} (synthetic outlet).",
                )
            )
            specs.append((pk, lang, url))
        Outlet.objects.using(self.using).bulk_create(rows, batch_size=self.batch_size)
        self.outlets_by_lang = {lang: [s for s in specs if s[1] == lang] for lang in LANGS}
        self.report.counts["outlets"] = len(rows)

    def _entities(self):
        rng = self.rng
        rows = []
        self.countries, self.places, self.orgs, self.people = [], [], [], []

        def add(kind, names, aliases, wikidata="", bucket=None, description=""):
            pk = self.ids.take(Entity)
            rows.append(
                Entity(
                    id=pk,
                    kind=kind,
                    name=names[0],
                    slug=self._slug(Entity, names[0]),
                    aliases=[a for a in aliases if a and a != names[0]],
                    wikidata_id=wikidata,
                    description=description,
                )
            )
            bucket.append(EntitySpec(pk, kind, tuple(names)))

        for en, ru, zh, qid in COUNTRIES:
            add(
                "country", (en, ru, zh), [ru, zh, *COUNTRY_ALIASES.get(en, [])], qid, self.countries
            )
        for en, ru, zh in CITIES:
            add("place", (en, ru, zh), [ru, zh, *CITY_ALIASES.get(en, [])], "", self.places)
        for n in range(1, self.n_events // 200 + 1):
            en, ru, zh = CITIES[n % len(CITIES)]
            add(
                "place",
                (
                    f"{en} training ground No. {n}",
                    f"Полигон №{NBSP}{n} ({ru})",
                    f"{zh}第{n}号训练场",
                ),
                [f"{en} range {n}"],
                "",
                self.places,
            )
        for names in ORGANISATIONS:
            add("organisation", names, list(names[1:]), "", self.orgs)
        for n in range(1, self.n_events // 500 + 1):
            en, ru, zh = CITIES[n % len(CITIES)]
            add(
                "organisation",
                (f"{en} Military Academy No. {n}", f"Военная академия №{NBSP}{n} (г. {ru})",
                 f"{zh}第{n}军事学院"),
                [],
                "",
                self.orgs,
            )  # fmt: skip
        n_people = min(20_000, max(200, self.n_events // 5))
        for _ in range(n_people):
            first = rng.choice(FIRST_NAMES)
            last = rng.choice(LAST_NAMES)
            initial = rng.choice(INITIALS)
            names = (
                f"{first[0]} {initial}. {last[0]}",
                f"{first[1]} {initial}. {last[1]}",
                f"{first[2]}·{initial}·{last[2]}",
            )
            add("person", names, [names[1], names[2], f"{initial}. {last[0]}"], "", self.people)
        Entity.objects.using(self.using).bulk_create(rows, batch_size=self.batch_size)
        self.report.counts["entities"] = len(rows)

    def _series(self):
        rows = []
        self.series = []  # (id, names, kind)
        self.series_aliases = {}
        for en, ru, zh, kind, aliases in SERIES:
            pk = self.ids.take(Series)
            rows.append(
                Series(
                    id=pk,
                    name=en,
                    slug=self._slug(Series, en),
                    aliases=[ru, zh, *aliases],
                    kind=kind,
                    description=f"Recurring {kind} (synthetic).",
                )
            )
            self.series.append((pk, (en, ru, zh), kind))
            self.series_aliases[pk] = aliases
        Series.objects.using(self.using).bulk_create(rows, batch_size=self.batch_size)
        self.report.counts["series"] = len(rows)

    # -- events ---------------------------------------------------------------------------

    def _claim_counts(self):
        rng, n, k = self.rng, self.n_events, self.k
        low, high = max(1, k // 2), max(1, k + k // 2)
        counts = [rng.randint(low, high) for _ in range(n)]
        showcase = [i % SHOWCASE_EVERY == SHOWCASE_OFFSET for i in range(n)]
        for i in range(n):
            if showcase[i]:
                counts[i] = SHOWCASE_CLAIMS
        # Bring the total to exactly events × claims_per_event where the bounds allow.
        diff = n * k - sum(counts)
        i = 0
        guard = 4 * n * (high + 1)
        while diff and guard:
            j = i % n
            if not showcase[j]:
                if diff > 0 and counts[j] < 2 * high:
                    counts[j] += 1
                    diff -= 1
                elif diff < 0 and counts[j] > 1:
                    counts[j] -= 1
                    diff += 1
            i += 1
            guard -= 1
        return counts, showcase

    def _event_titles(self, kind, year, city, series):
        rng = self.rng
        c_en, c_ru, c_zh = city.names if city else ("Moscow", "Москва", "莫斯科")
        if series is not None:
            s_en, s_ru, s_zh = series[1]
            if kind in ("exercise", "festival"):
                return (f"{s_en}-{year}", f"{s_ru}-{year}", f"{s_zh}-{year}")
            return (
                f"{s_en}, {c_en} {year}",
                f"{s_ru}, {c_ru}, {year}",
                f"{s_zh}（{c_zh}，{year}年）",
            )
        theme = rng.choice(THEMES)
        if kind == "seminar":
            return (
                f"Seminar on {theme[0].lower()} in {c_en}",
                f"Семинар «{theme[1]}» в г. {c_ru}",
                f"{c_zh}“{theme[2]}”研讨会",
            )
        if kind == "conference":
            return (
                f"Conference on {theme[0].lower()}, {c_en} {year}",
                f"Конференция «{theme[1]}», {c_ru}, {year}",
                f"{year}年{c_zh}“{theme[2]}”会议",
            )
        if kind == "summit":
            return (f"SCO summit in {c_en}, {year}", f"Саммит ШОС в г. {c_ru} ({year})",
                    f"{year}年上合组织{c_zh}峰会")  # fmt: skip
        if kind == "agreement":
            doc = rng.choice(DOCUMENTS)
            return (f"{doc[0]} ({year})", f"{doc[1]} ({year})", f"{doc[2]}（{year}年）")
        if kind == "declaration":
            return (f"{c_en} Declaration, {year}", f"Декларация, принятая в г. {c_ru} ({year})",
                    f"{c_zh}宣言（{year}年）")  # fmt: skip
        if kind == "founding":
            org = rng.choice(self.orgs).names
            return (f"Founding of the {org[0]} ({year})", f"Создание: {org[1]} ({year})",
                    f"{org[2]}成立（{year}年）")  # fmt: skip
        if kind == "resolution":
            return (f"Resolution on {theme[0].lower()} ({year})",
                    f"Резолюция «{theme[1]}» ({year})",
                    f"关于{theme[2]}的决议（{year}年）")  # fmt: skip
        if kind == "meeting":
            org = rng.choice(self.orgs).names
            return (f"Meeting of {org[0]} experts in {c_en}, {year}",
                    f"Встреча экспертов ({org[1]}) в г. {c_ru}, {year}",
                    f"{year}年{org[2]}专家{c_zh}会议")  # fmt: skip
        country = rng.choice(self.countries).names
        return (f"Visit of a {country[0]} military delegation to {c_en}, {year}",
                f"Визит военной делегации ({country[1]}) в г. {c_ru}, {year}",
                f"{year}年{country[2]}军事代表团访问{c_zh}")  # fmt: skip

    def _events(self):
        rng = self.rng
        counts, showcase = self._claim_counts()
        series_by_kind = {}
        for spec in self.series:
            series_by_kind.setdefault(spec[2], []).append(spec)
        first = self.ids.take(Event, self.n_events)
        self.events = []
        rows = []
        for i in range(self.n_events):
            pk = first + i
            kind = _weighted(rng, KIND_WEIGHTS)
            year = rng.randint(2001, 2025)
            r = rng.random()
            precision = (
                "day" if r < 0.62 else "month" if r < 0.80 else "year" if r < 0.92 else "unknown"
            )
            start = end = None
            if precision != "unknown":
                start = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
                if kind in ("exercise", "festival", "seminar", "conference") and rng.random() < 0.6:
                    end = start + dt.timedelta(days=rng.randint(1, 12))
                start = truncate_date(start, precision)
                end = truncate_date(end, precision)
            place = rng.choice(self.places) if rng.random() < 0.9 else None
            candidates = series_by_kind.get(kind, [])
            series = rng.choice(candidates) if candidates and rng.random() < 0.7 else None
            titles = self._event_titles(kind, year, place, series)
            status = "published" if showcase[i] else _status(rng)
            spec = EventSpec(pk, kind, titles, status, start, end, precision, year, place,
                             series[0] if series else None, counts[i], showcase[i])  # fmt: skip
            self.events.append(spec)
            aliases = [titles[1], titles[2]]
            other_names = self.series_aliases.get(series[0]) if series else None
            if other_names and rng.random() < 0.5:
                # "West-2021" for "Zapad-2021": outlets name the same series differently.
                aliases.append(titles[0].replace(series[1][0], rng.choice(other_names), 1))
            slug = f"{slugify(titles[0])[:150].strip('-') or 'event'}-{pk}"
            if showcase[i]:
                self.report.showcase.append(slug)
            rows.append(
                Event(
                    id=pk,
                    title=titles[0],
                    slug=slug,
                    aliases=[a for a in aliases if a != titles[0]],
                    kind=kind,
                    series_id=spec.series_id,
                    start_date=start,
                    end_date=end,
                    date_precision=precision,
                    date_note="" if precision != "unknown" else "No source gives the date.",
                    place_id=place.id if place else None,
                    summary=f"{titles[0]}. Synthetic event for performance work.",
                    status=status,
                    published_at=_published_at(start, year) if status == "published" else None,
                )
            )
        self._bulk(Event, rows)
        self.report.counts["events"] = len(rows)

    # -- articles, quotes, claims, citations ----------------------------------------------

    def _groups(self):
        """(event indexes, article indexes): M ≥ N gives each event ≥ 1 articles, the
        first its primary source; M < N makes articles round-ups of several events."""
        n, m = self.n_events, self.n_articles
        if m >= n:
            for e in range(n):
                yield [e], list(range(-(-e * m // n), -(-(e + 1) * m // n)))
        else:
            for a in range(m):
                yield list(range(-(-a * n // m), -(-(a + 1) * n // m))), [a]

    def _values_for(self, event):
        """The claims of one event: (property, value dict) in the order they are stated."""
        rng = self.rng
        plan = []
        if event.precision != "unknown":
            plan.append("date")
        if event.place is not None:
            plan.append("place")
        plan += ["host", "format"]
        plan = plan[: event.n_claims]
        while len(plan) < event.n_claims:
            plan.append(_weighted(rng, PROPERTY_WEIGHTS))
        countries = rng.sample(self.countries, len(self.countries))
        claims = []
        for prop in plan:
            value = {}
            if prop == "date":
                value = {"date": event.start, "precision": event.precision}
            elif prop == "place":
                value = {"entity": event.place}
            elif prop in ("participant", "host", "chair", "initiative", "invited"):
                if countries and rng.random() < 0.8:
                    value = {"entity": countries.pop()}
                else:
                    value = {"entity": rng.choice(self.orgs)}
            elif prop in ("organiser", "supporter"):
                value = {"entity": rng.choice(self.orgs)}
            elif prop == "speaker":
                value = {"entity": rng.choice(self.people), "qualifier": rng.choice(QUALIFIERS)}
            elif prop in ("announced_event", "part_of", "next_meeting"):
                other = self.events[rng.randrange(len(self.events))]
                if other.id == event.id:
                    other = self.events[(self.events.index(event) + 1) % len(self.events)]
                if other.id == event.id:  # a one-event archive: say it in words instead
                    prop, value = "statement", {"text": rng.choice(STATEMENTS)}
                else:
                    value = {"event": other}
            else:
                value = {"text": rng.choice(TEXT_VOCAB[prop])}
            claims.append((prop, value))
        return claims

    def _sentence(self, lang, prop, value, event):
        li = LANG_INDEX[lang]
        noun = KIND_NOUN[event.kind][li]
        template = self.rng.choice(TEMPLATES[prop][lang])
        if "entity" in value:
            entity = value["entity"]
            v = entity.names[li]
            if lang == "en" and entity.kind == "organisation" and not v.startswith("UN "):
                v = "the " + v
        elif "date" in value:
            v = date_phrase(lang, value["date"], value["precision"])
        elif "event" in value:
            v = value["event"].titles[li]
        else:
            v = value["text"][li]
        q = value["qualifier"][li] if "qualifier" in value else ""
        sentence = template.format(v=v, k=noun, q=q)
        return sentence[0].upper() + sentence[1:]

    def _lead(self, lang, event):
        city = event.place.names[LANG_INDEX[lang]] if event.place else None
        date = date_phrase(lang, event.start, event.precision, lead=True)
        if date and lang != "zh":
            date = " " + date
        elif date:
            date = "于" + date
        template = LEADS[lang][0 if city else 1]
        return template.format(title=event.titles[LANG_INDEX[lang]], city=city, date=date)

    def _filler(self, lang, event):
        rng = self.rng
        city = (event.place or self.places[0]).names[LANG_INDEX[lang]]
        return rng.choice(FILLERS[lang]).format(city=city, n=rng.randrange(300, 12000, 50))

    def _compose(self, lang, sections):
        """Join tagged sentences into a body; returns (body, [(tag, start, end)]).

        ``sections`` is a list of paragraphs, each a list of (tag, sentence); paragraphs
        are separated by a blank line, sentences by a space (none in Chinese)."""
        sep = "" if lang == "zh" else " "
        parts, spans, pos = [], [], 0
        for p, paragraph in enumerate(sections):
            if p:
                parts.append("\n\n")
                pos += 2
            for s, (tag, sentence) in enumerate(paragraph):
                if s and sep:
                    parts.append(sep)
                    pos += len(sep)
                parts.append(sentence)
                if tag is not None:
                    spans.append((tag, pos, pos + len(sentence)))
                pos += len(sentence)
        return "".join(parts), spans

    def _paragraphs(self, lang, event, tagged):
        """The section of an article about one event: a lead, then the claim sentences
        with some colour, in paragraphs of two to four sentences."""
        rng = self.rng
        first = [(("lead", event.id), self._lead(lang, event))]
        if rng.random() < 0.5:
            first.append((None, self._filler(lang, event)))
        paragraphs = [first]
        current = []
        for item in tagged:
            current.append(item)
            if rng.random() < 0.25:
                current.append((None, self._filler(lang, event)))
            if len(current) >= rng.randint(2, 4):
                paragraphs.append(current)
                current = []
        if current:
            paragraphs.append(current)
        return paragraphs

    def _article_row(self, pk, lang, outlet, event, body, status, secondary):
        rng = self.rng
        li = LANG_INDEX[lang]
        pattern = rng.randrange(len(HEADLINES_EN))
        title = HEADLINES_EN[pattern].format(title=event.titles[0])
        original_title = (
            "" if lang == "en" else HEADLINES[lang][pattern].format(title=event.titles[li])
        )
        base = event.start or dt.date(event.year, 6, 1)
        published_on = base + dt.timedelta(days=rng.randint(0, 4) + (7 if secondary else 0))
        r = rng.random()
        precision = "day" if r < 0.9 else "month" if r < 0.97 else "unknown"
        note = ""
        if precision == "month":
            note = "The page gives only the month of publication."
        elif precision == "unknown":
            note = "The page gives no date."
        published_on = truncate_date(published_on, precision)
        outlet_id, _, outlet_url = outlet
        slug = f"{slugify(title)[:120].strip('-') or 'article'}-{pk}"
        header = f"{title}\n{original_title}\n" if original_title else f"{title}\n"
        original = (
            f"Home | News | Defence\n{header}\n{body}\n\nShare this article\nRelated articles"
        )
        return Article(
            id=pk,
            title=title,
            original_title=original_title,
            slug=slug,
            outlet_id=outlet_id,
            url=f"{outlet_url}/news/{pk}",
            published_on=published_on,
            published_precision=precision,
            date_note=note,
            language=lang,
            original=original,
            body=body,
            content_hash=hashlib.sha256(body.encode()).hexdigest(),
            retrieved_at=_at(published_on or base, 12),
            import_ref=f"synthetic:{self.seed}:{pk}",
            status=status,
            published_at=_at(published_on or base, 9) if status == "published" else None,
        )

    def _pick_lang(self):
        return self.rng.choices(LANGS, LANG_WEIGHTS)[0]

    def _pick_outlet(self, lang):
        pool = self.outlets_by_lang[lang] or self.outlets_by_lang["en"]
        return self.rng.choice(pool)

    def _content(self):
        rng = self.rng
        articles, quotes, claims, citations = [], [], [], []
        totals = dict.fromkeys(("articles", "quotes", "claims", "citations"), 0)
        published_claims = 0

        def flush():
            with transaction.atomic(using=self.using):
                self._bulk(Article, articles)
                self._bulk(Quote, quotes)
                self._bulk(Claim, claims)
                self._bulk(Citation, citations)
            for name, rows in (("articles", articles), ("quotes", quotes), ("claims", claims),
                               ("citations", citations)):  # fmt: skip
                totals[name] += len(rows)
                rows.clear()

        started = time.perf_counter()
        for event_indexes, article_indexes in self._groups():
            events = [self.events[i] for i in event_indexes]
            primary_pk = self.ids.take(Article)
            primary_lang = self._pick_lang()
            primary_status = "published" if any(e.showcase for e in events) else _status(rng)
            article_status = {primary_pk: primary_status}
            sections = []
            # per event: [(claim pk, prop, value, status, rank, reason)]
            event_claims = {}
            cited = {}  # claim pk -> [quote pk]
            for event in events:
                values = self._values_for(event)
                first_claim = self.ids.take(Claim, len(values))
                rows = []
                tagged = []
                for offset, (prop, value) in enumerate(values):
                    pk = first_claim + offset
                    rows.append((pk, prop, value))
                    tagged.append((("claim", pk), self._sentence(primary_lang, prop, value, event)))
                event_claims[event.id] = rows
                sections += self._paragraphs(primary_lang, event, tagged)
            body, spans = self._compose(primary_lang, sections)
            lead_quotes = {}
            quote_article = {}  # quote pk -> article pk, for this group
            for (kind, key), start, end in spans:
                qpk = self.ids.take(Quote)
                quotes.append(_quote(qpk, primary_pk, body, start, end))
                quote_article[qpk] = primary_pk
                if kind == "claim":
                    cited.setdefault(key, []).append(qpk)
                else:
                    lead_quotes[key] = qpk
            articles.append(
                self._article_row(
                    primary_pk,
                    primary_lang,
                    self._pick_outlet(primary_lang),
                    events[0],
                    body,
                    primary_status,
                    False,
                )  # fmt: skip
            )
            # Secondary sources: later reports restating about half of the claims.
            for _ in article_indexes[1:]:
                event = events[0]
                pk = self.ids.take(Article)
                lang = self._pick_lang()
                status = _status(rng)
                article_status[pk] = status
                chosen = [row for row in event_claims[event.id] if rng.random() < 0.5]
                tagged = [(("claim", cpk), self._sentence(lang, prop, value, event))
                          for cpk, prop, value in chosen]  # fmt: skip
                sbody, sspans = self._compose(lang, self._paragraphs(lang, event, tagged))
                for (kind, key), start, end in sspans:
                    qpk = self.ids.take(Quote)
                    quotes.append(_quote(qpk, pk, sbody, start, end))
                    quote_article[qpk] = pk
                    if kind == "claim":
                        cited.setdefault(key, []).append(qpk)
                articles.append(
                    self._article_row(pk, lang, self._pick_outlet(lang), event, sbody, status, True)
                )
            for event in events:
                for pk, prop, value in event_claims[event.id]:
                    quote_pks = list(cited[pk])
                    if prop in ("date", "place") and rng.random() < 0.5:
                        quote_pks.append(lead_quotes[event.id])
                    status = "published" if event.showcase else _status(rng)
                    if status == "published":
                        # A published claim cites only published articles.
                        kept = [
                            q for q in quote_pks if article_status[quote_article[q]] == "published"
                        ]
                        if article_status[primary_pk] == "published":
                            quote_pks = kept
                        else:
                            status = "review"
                    if status == "published" and event.status == "published":
                        published_claims += 1
                    r = rng.random()
                    rank = "preferred" if r < 0.08 else "deprecated" if r < 0.12 else "normal"
                    claims.append(_claim(pk, event, prop, value, status, rank, rng))
                    for qpk in quote_pks:
                        citations.append(Citation(id=self.ids.take(Citation), claim_id=pk,
                                                  quote_id=qpk))  # fmt: skip
            if len(claims) >= self.batch_size * 4:
                flush()
                done = totals["claims"]
                rate = done / max(time.perf_counter() - started, 1e-9)
                self.log(f"  {done:,} claims, {totals['quotes']:,} quotes ({rate:,.0f} claims/s)")
        flush()
        self.report.counts.update(totals)
        self.report.counts["published_claims_visible"] = published_claims

    # -- plumbing -------------------------------------------------------------------------

    def _bulk(self, model, rows):
        if rows:
            model.objects.using(self.using).bulk_create(rows, batch_size=self.batch_size)

    def run(self):
        started = time.perf_counter()
        connection = connections[self.using]
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                # Bulk loading: a crash mid-run leaves a half-built synthetic archive anyway.
                cursor.execute("PRAGMA synchronous=OFF")
                cursor.execute("PRAGMA cache_size=-200000")
        for name, step in (
            ("reference data", lambda: (self._outlets(), self._entities(), self._series())),
            ("events", self._events),
            ("articles, quotes, claims, citations", self._content),
        ):
            t0 = time.perf_counter()
            with transaction.atomic(using=self.using):
                step()
            self.report.timings[name] = time.perf_counter() - t0
            self.log(f"{name}: {self.report.timings[name]:.1f} s")
        t0 = time.perf_counter()
        self._reset_sequences()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            # VACUUM as autovacuum would after a load (outside a transaction only): it
            # sets the visibility map, so index-only scans skip the heap (issue #15).
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                for model in ARCHIVE_MODELS:
                    cursor.execute(f'{command} "{model._meta.db_table}"')
        self.report.timings["analyze"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        search.rebuild_index()  # bulk_create sends no signals to keep it current
        self.report.timings["search index"] = time.perf_counter() - t0
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _reset_sequences(self):
        connection = connections[self.using]
        statements = connection.ops.sequence_reset_sql(no_style(), ARCHIVE_MODELS)
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


def _quote(pk, article_pk, body, start, end):
    return Quote.at(body, start, end, id=pk, article_id=article_pk)


def _claim(pk, event, prop, value, status, rank, rng):
    qualifier = value["qualifier"][0] if "qualifier" in value else ""
    date = value.get("date")
    precision = value.get("precision", "") if date else ""
    return Claim(
        id=pk,
        event_id=event.id,
        property=prop,
        value_entity_id=value["entity"].id if "entity" in value else None,
        value_date=truncate_date(date, precision) if date else None,
        value_date_precision=precision,
        value_event_id=value["event"].id if "event" in value else None,
        value_text=value["text"][0] if "text" in value else "",
        qualifier=qualifier,
        rank=rank,
        rank_reason=rng.choice(DEPRECATION_REASONS) if rank == "deprecated" else "",
        origin="seed",
        status=status,
        published_at=_published_at(event.start, event.year) if status == "published" else None,
    )


def _at(day, hour):
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def _published_at(start, year):
    return _at(start or dt.date(year, 6, 1), 18)


def generate(**options):
    """Build a synthetic archive; returns a :class:`Report` (counts, timings, showcase)."""
    clear_first = options.pop("clear", False)
    using = options.get("using", "default")
    if clear_first:
        clear(using)
    generator = Generator(fresh=clear_first, **options)
    return generator.run()
