"""What the coach never says (API.md "Coach"), as data: the words and phrases that mark
medication, supplements and doses, diagnoses, readings of symptoms and vital signs, extreme
fasting and calorie intake under the floor, in English, Spanish, French and German.

Everything here is written as `safety.normalise` leaves text: lower case, accents, look-alike
letters and punctuation gone, words separated by one space, numbers as digits. A word set
matches whole words (and, for names, words split by spacing or punctuation: `ibu pro fen`);
`STEMS` match the start of a word; `COMPOUND_PARTS` match inside one (German compounds:
`schlaftablette`, `schilddrusenerkrankung`). `safety` applies the rules that combine them
(a dose is a number and a unit; a fast is a fasting word and a duration of 24 h or more;
a calorie floor is a daily intake under 1,200 kcal given as advice).
"""

from __future__ import annotations

import re


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def phrases(*alternatives: str) -> re.Pattern[str]:
    """Whole-word phrases (space-separated words of normalised text), any of them."""
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


# Medicines by name (generic and brand) and by kind.
DRUGS = words("""
    ibuprofen ibuprofeno ibuprofene advil motrin nurofen aleve naproxen naproxeno naproxene
    aspirin aspirina aspirine paracetamol acetaminophen acetaminofen acetaminofeno tylenol
    panadol doliprane dafalgan efferalgan codeine codeina codein tramadol oxycodone morphine
    morfina morphin diclofenac diclofenaco voltaren metformin metformina metformine insulin
    insulina insuline statin statins estatina estatinas statine statines atorvastatin
    simvastatin rosuvastatin semaglutide semaglutida tirzepatide ozempic wegovy mounjaro
    saxenda liraglutide orlistat phentermine xanax alprazolam valium diazepam lorazepam ambien
    zolpidem zopiclone prozac fluoxetine sertraline zoloft citalopram escitalopram lexapro
    adderall ritalin modafinil levothyroxine levothyrox euthyrox synthroid lisinopril
    amlodipine propranolol metoprolol bisoprolol warfarin clopidogrel omeprazole omeprazol
    pantoprazole benadryl diphenhydramine ephedrine clenbuterol
    medication medications medicine medicines medicament medicaments medicamento medicamentos
    farmaco farmacos medikament medikamente medikamenten arznei arzneimittel drug drugs
    painkiller painkillers analgesic analgesics analgesico analgesicos antalgique antalgiques
    schmerzmittel antidepressant antidepressants antidepresivo antidepresivos antidepresseur
    antidepresseurs antidepressiva antidepressivum laxative laxatives laxante laxantes laxatif
    laxatifs abfuhrmittel diuretic diuretics diuretico diureticos diuretique diuretiques
    steroid steroids esteroide esteroides steroide steroides antibiotic antibiotics
    antibiotico antibioticos antibiotique antibiotiques antibiotika antihistamine
    antihistamines opioid opioids opioides benzodiazepine benzodiazepines sedative sedatives
    sedante sedantes sedatif somnifere somniferes schlafmittel betablocker prescription
    prescriptions prescribe prescribed ordonnance dose doses dosage dosing dosis posologie
    dosierung pharmacy pharmacist pharmacie farmacia apotheke
""")
# A tablet may be a device: not a pill next to these.
DEVICES = words("phone phones laptop computer screen app ipad device movil telephone handy")
# Forms medicines and supplements come in.
PILLS = words("""
    pill pills capsule capsules gummy gummies lozenge lozenges pastilla pastillas comprimido
    comprimidos capsula capsulas comprime comprimes gelule gelules cachet cachets pille pillen
    kapsel kapseln dragee dragees tablets tablet
""")
# Supplements by name, and the word itself.
SUPPLEMENTS = words("""
    supplement supplements supplementation suplemento suplementos complement complements
    nahrungserganzung nahrungserganzungsmittel praparat praparate melatonin melatonina
    melatonine valerian valeriana valeriane baldrian ashwagandha creatine creatina kreatin
    johanniskraut millepertuis cbd kava glucosamine collagen colageno collagene kollagen
    probiotic probiotics probiotico probioticos probiotique probiotiques probiotika
    multivitamin multivitamins multivitaminico
""")
SUPPLEMENT_PHRASES = phrases(
    "fish oil",
    "st john s wort",
    "hierba de san juan",
    "pre workout",
    "fat burners?",
    "caffeine (?:pills?|tablets?)",
    "complement alimentaire",
    "complements alimentaires",
    r"5 htp",
)
# Nutrients that are a supplement when taken or dosed, and the verbs that take them.
NUTRIENTS = words("""
    vitamin vitamins vitamina vitaminas vitamine vitamines magnesium magnesio zinc zink iron
    hierro fer eisen calcium calcio kalzium potassium potasio kalium b12 omega folic folico
    folique folsaure electrolyte electrolytes
""")
TAKE = words("take taking toma tomar tome tomes prenez prendre prends nehmen nehmen nimm")
# Units of a dose (a number before them): milligrams, micrograms, international units.
DOSE_UNITS = words("""
    mg mgs mcg ug iu ui milligram milligrams milligramme milligrammes miligramo miligramos
    milligramm microgram micrograms microgramme microgrammes microgramo microgramos
    mikrogramm
""")
DOSE_UNIT_PHRASES = phrases(r"\d+(?:\.\d+)? i e", r"\d+ units of", r"\d+ unidades de")

# Conditions, diagnoses and their words.
DIAGNOSES = words("""
    diagnosis diagnose diagnosed diagnoses diagnostic diagnostico diagnostique diabetes
    diabetic prediabetes prediabetic diabetico diabetica diabete diabetique prediabete
    diabetiker hypertension hypertensive hypotension hipertension hipotension hypertonie
    hypotonie bluthochdruck hypothyroidism hyperthyroidism hipotiroidismo hipertiroidismo
    hypothyroidie hyperthyroidie thyroid tiroides thyroide anemia anaemia anemic anemie
    anamie apnea apnoea apnee apnoe schlafapnoe insomnia insomniac insomnio insomnie
    schlaflosigkeit depression depressions depressive depresion depresivo magersucht
    anorexia anorexie bulimia boulimie bulimie arrhythmia arritmia arythmie tachycardia
    taquicardia tachycardie tachykardie bradycardia bradicardia bradycardie bradykardie
    fibrillation fibrilacion vorhofflimmern afib infarto infarctus herzinfarkt cancer
    krebs tumor tumour tumeur obese obesity obesidad obeso obesa obesite adipositas
    overweight disease diseases disorder disorders syndrome syndromes sindrome syndrom
    illness illnesses enfermedad enfermedades trastorno trastornos maladie maladies
    deficiency deficiencies deficiencia carence asthma osteoporosis arthritis covid adhd
    ptsd symptom symptoms sintoma sintomas symptome symptomes treatment treatments
    tratamiento traitement behandlung therapy therapies terapia therapie cure cured cures
    curar guerir heilen
""")
DIAGNOSIS_PHRASES = phrases(
    "heart (?:attack|disease|problems?|condition|failure)",
    "medical condition",
    "health condition",
    "eating disorders?",
    "anxiety disorders?",
    "troubles? (?:du sommeil|anxieux|alimentaires?)",
    "kidney disease",
    "liver disease",
    "fatty liver",
    "you (?:may|might|could|probably) (?:have|suffer)",
    "podrias tener",
    "vous souffrez",
)
STEMS = ("diabet", "prediabet", "hypertens", "hypotens", "thyroid", "tiroid", "depressiv")
# German compound words end in the medical part: `Schilddrüsenerkrankung`, `Schlaftablette`.
COMPOUND_PARTS = (
    "erkrankung",
    "krankheit",
    "storung",
    "tablette",
    "praparat",
    "schilddrus",
    "erganzungsmittel",
)

# Readings of vital signs, and words that judge them.
VITALS = phrases(
    "(?:resting )?heart ?rates?",
    "pulse",
    "bpm",
    "heart ?beat",
    "blood pressure",
    "blood sugar",
    "(?:blood )?glucose",
    "cholesterol",
    "triglycerides",
    "oxygen saturation",
    "blood oxygen",
    "spo2",
    "hrv",
    "body temperature",
    "bmi",
    "h?ba[1i]c",
    "frecuencia cardiaca",
    "pulso",
    "pulsaciones",
    "(?:tension|presion) arterial",
    "glucosa",
    "azucar en (?:la )?sangre",
    "colesterol",
    "imc",
    "frequence cardiaque",
    "pouls",
    "(?:tension|pression) arterielle",
    "glycemie",
    "herzfrequenz",
    "puls",
    "ruhepuls",
    "blutdruck",
    "blutzucker",
    "cholesterin",
    "sauerstoffsattigung",
)
JUDGEMENTS = words("""
    high higher low elevated abnormal irregular dangerous dangerously concerning worrying
    alarming unhealthy healthy normal too sign signs indicate indicates suggest suggests
    point points means mean risk problem problems issue worry alta alto baja bajo elevada
    elevado anormal peligroso peligrosa preocupante demasiado senal indica sugiere riesgo
    problema eleve elevee haute haut basse bas anormale irregulier dangereux dangereuse
    inquietant inquietante trop signe indique suggere risque probleme hoch erhoht niedrig zu
    unregelmassig gefahrlich bedenklich besorgniserregend zeichen deutet hinweis risiko
""")
# Units of clinical readings: a reading in itself.
READING_UNITS = phrases("mmhg", "mg dl", "mmol l", "mmol mol")
# Symptoms: reading them is the doctor's job.
SYMPTOMS = phrases(
    "chest (?:pain|tightness)",
    "short(?:ness)? of breath",
    "dizzy",
    "dizziness",
    "faint(?:ing|ed)?",
    "palpitations?",
    "numbness",
    "blurred vision",
    "headaches?",
    "migraines?",
    "fever",
    "dolor (?:de|en el) pecho",
    "mareos?",
    "mareado",
    "palpitaciones",
    "falta de aire",
    "desmayos?",
    "fiebre",
    "migranas?",
    "douleurs? (?:thoraciques?|a la poitrine)",
    "vertiges?",
    "etourdissements?",
    "essoufflement",
    "evanouissements?",
    "fievre",
    "brustschmerz(?:en)?",
    "schwindel(?:ig)?",
    "herzrasen",
    "herzstolpern",
    "atemnot",
    "ohnmacht",
    "fieber",
    "migrane",
)

# Fasting and going without food.
FASTING = words("""
    fast fasting fasted fasts ayuno ayunar ayuna ayunad ayunen ayunas ayune ayunes ayunos
    jeune jeuner jeunez
    jeunes fasten faste fastet fastenkur heilfasten wasserfasten saftfasten
""")
NO_FOOD = phrases(
    "without (?:any )?(?:food|eating)",
    "no food",
    "(?:do not|don t|dont) eat",
    "stop eating",
    "skip (?:all |every |your )?(?:meals?|eating)",
    "eat nothing",
    "sin (?:comer|comida)",
    "no comas",
    "sans (?:manger|nourriture)",
    "ne mangez (?:pas|rien)",
    "ohne (?:zu )?(?:essen|nahrung)",
    "nichts (?:zu )?essen",
    "essen sie nichts",
)
# Fasts that are extreme whatever their length.
EXTREME_FASTS = phrases(
    "(?:water|dry|juice|extended|prolonged|multi ?day) fast(?:ing|s)?",
    "ayunos? (?:de agua|prolongados?|secos?)",
    "jeunes? (?:hydriques?|prolonges?|secs?)",
    "heilfasten",
    "wasserfasten",
    "saftfasten",
)
HOUR_UNITS = words("hour hours h hr hrs horas hora heures heure stunden stunde std")
DAY_UNITS = words("day days dias dia jours jour tage tagen tag")
WEEK_UNITS = words("week weeks semana semanas semaine semaines woche wochen")
# Words between a number and its unit that change nothing: "a whole day".
DURATION_FILLERS = words("whole entire full complete completo entera entier entiere ganzen")
WORD_NUMBERS = {
    **dict.fromkeys(("a", "an", "one", "un", "una", "uno", "une", "ein", "eine", "einen"), 1),
    **dict.fromkeys(("two", "dos", "deux", "zwei"), 2),
    **dict.fromkeys(("three", "tres", "trois", "drei"), 3),
    **dict.fromkeys(("four", "cuatro", "quatre", "vier"), 4),
    **dict.fromkeys(("five", "cinco", "cinq", "funf"), 5),
    **dict.fromkeys(("six", "seis", "sechs"), 6),
    **dict.fromkeys(("seven", "siete", "sept", "sieben"), 7),
    **dict.fromkeys(("twelve", "doce", "douze", "zwolf"), 12),
    **dict.fromkeys(("sixteen", "dieciseis", "seize", "sechzehn"), 16),
    **dict.fromkeys(("twenty", "veinte", "vingt", "zwanzig"), 20),
    **dict.fromkeys(("thirty", "treinta", "trente", "dreissig"), 30),
    **dict.fromkeys(("forty", "cuarenta", "quarante", "vierzig"), 40),
    **dict.fromkeys(("seventy", "setenta", "soixante", "siebzig"), 70),
}
# A fasting word and its duration are this close (in words): "fast for 72 hours".
FAST_REACH = 4

# Calories: under this much a day is under the floor.
CALORIE_FLOOR_KCAL = 1200
CALORIE_UNITS = words("kcal kcals calorie calories cal kilocalories calorias caloria kalorien")
DAILY = phrases(
    "a day",
    "per day",
    "daily",
    "each day",
    "every day",
    "day",
    "al dia",
    "por dia",
    "diarias",
    "diario",
    "a diario",
    "par jour",
    "quotidiennes?",
    "pro tag",
    "taglich",
    "am tag",
)
# Words that make a figure advice: "eat only", "aim for", "stay under", "limit yourself to".
ADVICE_CUES = words("""
    eat consume aim target limit cap keep stay stick restrict cut reduce drop lower only just
    under below less most max maximum come comer consume limita limitate reduce baja solo
    menos maximo objetivo mangez manger consommez limitez reduisez seulement moins objectif
    visez iss essen begrenzen reduzieren nur hochstens maximal weniger unter ziel
""")
ADVICE_REACH = 6
DIETS = words("diet diets dieta dietas regime diat")
MEALS = words("""
    breakfast lunch dinner supper snack snacks meal desayuno almuerzo comida cena merienda
    dejeuner diner souper collation repas fruhstuck mittagessen abendessen snack mahlzeit
""")
