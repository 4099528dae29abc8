//! The kindness check in German, French and Spanish, both ways, as
//! `kindness_examples.rs` does for English: kind messages full of outage
//! words pass, hostile ones are nudged with the right kind and in their
//! language's words. And since the server checks a post against every
//! lexicon (it does not know the post's language), no lexicon may misread a
//! kind message of another language, and the server reads a post with the
//! lexicon of the language it looks like (`check_any_language`).

use hugops_core::kindness::{check, check_any_language, check_with, Lexicon, NudgeKind};
use hugops_core::language::Language;

const GERMAN_SUPPORTIVE: &[&str] = &[
    "Ihr schafft das, auch wenn gerade alles brennt",
    "Bei uns brennt auch die Hütte. Haltet durch, ihr seid super!",
    "Scheiße, was für ein Tag für euch. Danke für die Updates!",
    "Die ganze Seite ist down, aber wir wissen, dass ihr dran seid ❤️",
    "Ist nicht eure Schuld, komplexe Systeme fallen halt mal aus.",
    "Niemand sollte deswegen gefeuert werden. Blameless Postmortem FTW!",
    "Ich Idiot hätte zuerst auf diese Seite schauen sollen. Viel Erfolg!",
    "Ich komme mir wie ein Idiot vor, weil ich unsere Firewall verdächtigt habe",
    "Unsere Entwickler sind ohne eure API nutzlos, also: haltet durch!",
    "Das Dashboard ist nutzlos, wenn es grün zeigt, aber ihr seid klasse",
    "Scheiß Montag. Danke ans ganze Team!",
    "Lasst euch nicht fertigmachen, Fehler passieren jedem.",
    "Passt auf euch auf und macht Pausen.",
    "Ich finde euch großartig, danke für die schnelle Reaktion!",
    "Die Datenbank ist verreckt? Kennen wir. Kaffee geht raus ☕",
    "Der Server ist krepiert, aber eure Kommunikation ist vorbildlich.",
    "Die Lösung ist idiotensicher erklärt, danke!",
    "Ihr seid nicht unfähig, das ist einfach ein fieser Bug.",
    "Mega Stress für die Admins gerade. Respekt und Danke!",
    "Wir hängen auch fest, kein Problem, wir warten.",
    "Grüße an die Entwickler aus Wien, ihr macht das super",
    "Die Alarme kamen nicht. Sie sind nutzlos, wenn sie zu spät kommen.",
    "Der Support ist nutzlos, wenn alles brennt, aber ihr gebt alles",
];

const GERMAN_HOSTILE: &[(&str, NudgeKind)] = &[
    ("Ihr seid so unfähig", NudgeKind::Insult),
    ("Was für Vollidioten", NudgeKind::Insult),
    (
        "Ihr Idioten habt schon wieder alles kaputt gemacht",
        NudgeKind::Insult,
    ),
    ("Unfähige Entwickler, unfähige Firma", NudgeKind::Insult),
    ("Eure Entwickler sind echt nutzlos", NudgeKind::Insult),
    ("Haufen Stümper", NudgeKind::Insult),
    ("Scheißentwickler!", NudgeKind::Insult),
    ("Ihr Team ist wirklich inkompetent", NudgeKind::Insult),
    ("Feuert den Verantwortlichen!", NudgeKind::Blame),
    ("Wer das verbockt hat, gehört gefeuert", NudgeKind::Blame),
    ("Köpfe müssen rollen.", NudgeKind::Blame),
    ("Das ist eure Schuld, alles!", NudgeKind::Blame),
    ("Schämt euch!", NudgeKind::Blame),
    ("Scheiß Entwickler", NudgeKind::Profanity),
    ("Fickt euch und eure Statusseite", NudgeKind::Profanity),
    ("Verpisst euch", NudgeKind::Profanity),
    ("Ich bring euch um", NudgeKind::Threat),
    ("Ich weiß wo du wohnst", NudgeKind::Threat),
    ("Ihr solltet alle sterben", NudgeKind::Threat),
    ("Ihr seid alle Versager", NudgeKind::Insult),
    ("Inkompetente Bande", NudgeKind::Insult),
];

const FRENCH_SUPPORTIVE: &[&str] = &[
    "Courage, tout est en panne",
    "Tout est en feu chez nous aussi, courage à toute l'équipe !",
    "Ce n'est pas votre faute, les systèmes complexes tombent en panne.",
    "Personne ne devrait être viré pour ça. Vive les post-mortems sans reproche !",
    "Je me sens idiot de ne pas avoir regardé cette page avant. Bon courage !",
    "Putain, quelle journée pour vous. Merci pour les mises à jour !",
    "C'est la merde, mais vous assurez. Tenez bon !",
    "Vous n'êtes pas nuls, c'est juste un bug vicieux.",
    "Le tableau de bord est nul quand il reste vert, mais vous êtes géniaux",
    "Prenez soin de vous et faites des pauses.",
    "Ne vous tuez pas à la tâche, on attendra.",
    "Les serveurs sont morts ? On connaît. Du café arrive ☕",
    "Merci aux devs qui bossent dessus cette nuit ❤️",
    "Nos devs sont nuls sans votre API, alors courage !",
    "T'es au top, merci pour la réactivité",
    "Quelle journée de merde pour l'équipe d'astreinte. Respect.",
    "Vous faites votre boulot à merveille, merci !",
    "Ça va vous tuer, ce rythme. Reposez-vous après !",
    "Bon courage aux ingés, on croise les doigts.",
    "Le bug est débile, mais l'équipe est brillante. Merci !",
    "Le support est nul ce soir, mais on sait que vous êtes débordés",
];

const FRENCH_HOSTILE: &[(&str, NudgeKind)] = &[
    ("Vous êtes vraiment nuls", NudgeKind::Insult),
    ("T'es nul", NudgeKind::Insult),
    ("Bande de cons", NudgeKind::Insult),
    ("Bande d'incompétents !", NudgeKind::Insult),
    ("Espèce d'idiot", NudgeKind::Insult),
    ("Des devs minables, une boîte minable", NudgeKind::Insult),
    ("Vos ingénieurs sont des abrutis", NudgeKind::Insult),
    ("Connards", NudgeKind::Insult),
    ("Virez le responsable !", NudgeKind::Blame),
    ("Celui qui a fait ça doit être viré", NudgeKind::Blame),
    ("Des têtes vont tomber.", NudgeKind::Blame),
    ("C'est votre faute, tout ça", NudgeKind::Blame),
    ("Honte à vous", NudgeKind::Blame),
    ("Allez vous faire foutre", NudgeKind::Profanity),
    ("Je vous emmerde", NudgeKind::Profanity),
    ("Vos devs de merde", NudgeKind::Profanity),
    ("Je vais vous tuer", NudgeKind::Threat),
    ("Je sais où vous habitez", NudgeKind::Threat),
    ("Allez crever", NudgeKind::Threat),
    ("l'équipe est incompétente", NudgeKind::Insult),
];

const SPANISH_SUPPORTIVE: &[&str] = &[
    "¡Ánimo! Se cayó todo pero sois geniales",
    "Todo está en llamas por aquí también, ¡ánimo al equipo!",
    "No es vuestra culpa, los sistemas complejos fallan.",
    "Nadie debería ser despedido por esto. ¡Viva el postmortem sin culpables!",
    "Me siento un idiota por no mirar esta página antes. ¡Suerte!",
    "Qué mierda de día para vosotros. ¡Gracias por las actualizaciones!",
    "Es una mierda, pero sé que estáis en ello. ¡Aguantad!",
    "No sois unos inútiles, es un bug muy feo.",
    "El panel es inútil cuando sale verde, pero vosotros sois unos cracks",
    "Cuidaos mucho y descansad cuando acabe.",
    "Ánimo a los devs con el incidente, ¡gracias!",
    "El equipo de devs es con diferencia el mejor. Gracias por todo",
    "Nuestros desarrolladores son inútiles sin vuestra API, ¡aguantad!",
    "¿Se murió la base de datos? Nos ha pasado. Os mandamos café ☕",
    "Os queremos mucho, equipo. ¡Échenle ganas!",
    "El despliegue se ha retrasado, no pasa nada, esperamos.",
    "Che boludo, aguante el equipo de guardia",
    "Ustedes son lo máximo, gracias por la transparencia",
    "Menudo marrón os ha tocado. ¡Mucho ánimo!",
    "Vamos a echar de menos al equipo de soporte cuando acabe la guardia 😄",
    "Que les den un aumento a los de guardia",
    "El soporte es una basura hoy, pero sabemos que estáis a tope",
    "Los servidores son una basura pero vosotros sois unos cracks",
];

const SPANISH_HOSTILE: &[(&str, NudgeKind)] = &[
    ("Sois unos inútiles", NudgeKind::Insult),
    ("¡Panda de inútiles!", NudgeKind::Insult),
    ("Eres un incompetente", NudgeKind::Insult),
    ("Vuestros desarrolladores son idiotas", NudgeKind::Insult),
    ("Gilipollas", NudgeKind::Insult),
    ("¡Qué inútiles sois!", NudgeKind::Insult),
    ("Ustedes son unos payasos", NudgeKind::Insult),
    ("Despedid al responsable", NudgeKind::Blame),
    (
        "Quien haya hecho esto debería ser despedido",
        NudgeKind::Blame,
    ),
    ("Es vuestra culpa, todo", NudgeKind::Blame),
    ("Que rueden cabezas.", NudgeKind::Blame),
    ("¿Quién contrató a esta gente?", NudgeKind::Blame),
    ("Putos devs", NudgeKind::Profanity),
    ("Que os jodan", NudgeKind::Insult),
    ("Me cago en los devs", NudgeKind::Profanity),
    ("Equipo de mierda", NudgeKind::Profanity),
    ("Os voy a matar", NudgeKind::Threat),
    ("Sé dónde vives", NudgeKind::Threat),
    ("Ojalá os muráis", NudgeKind::Threat),
    ("Vete a la mierda, sos un inútil", NudgeKind::Insult),
];

/// A few of the English kind messages, for the cross-language check.
const ENGLISH_SUPPORTIVE: &[&str] = &[
    "The whole site is down for us but we know you're on it. Hang in there!",
    "It's not your fault, complex systems fail. Thank you!",
    "Holy shit, what a week for you folks. Take care of yourselves.",
    "What a dumpster fire of a day. Thanks for keeping us posted.",
    "The OS is useless without the API, but you guys rock",
    "Pros and cons of failover aside, thanks devs!",
    "Personal note: the team did great, thank you.",
];

fn assert_supportive(language: Language, messages: &[&str]) {
    assert!(messages.len() >= 15, "{language:?}");
    let lexicon = Lexicon::of(language);
    let flagged: Vec<_> = messages
        .iter()
        .filter_map(|m| check_with(lexicon, m).map(|n| (*m, n.kind, n.matched)))
        .collect();
    assert!(
        flagged.is_empty(),
        "{language:?} kind messages flagged: {flagged:#?}"
    );
}

fn assert_hostile(language: Language, messages: &[(&str, NudgeKind)]) {
    assert!(messages.len() >= 15, "{language:?}");
    let lexicon = Lexicon::of(language);
    let mut wrong = Vec::new();
    for (message, kind) in messages {
        match check_with(lexicon, message) {
            Some(nudge) if nudge.kind == *kind => {
                assert!(!nudge.matched.is_empty(), "{message}");
                // In the language's own words (which differ from English:
                // `every_lexicon_has_every_text_in_its_own_words`).
                assert_eq!(nudge.message, lexicon.message(*kind), "{message}");
                assert_eq!(nudge.suggestion, lexicon.suggestion(*kind), "{message}");
            }
            other => wrong.push((*message, *kind, other.map(|n| (n.kind, n.matched)))),
        }
    }
    assert!(
        wrong.is_empty(),
        "{language:?} hostile messages missed: {wrong:#?}"
    );
}

#[test]
fn german_both_ways() {
    assert_supportive(Language::German, GERMAN_SUPPORTIVE);
    assert_hostile(Language::German, GERMAN_HOSTILE);
}

#[test]
fn french_both_ways() {
    assert_supportive(Language::French, FRENCH_SUPPORTIVE);
    assert_hostile(Language::French, FRENCH_HOSTILE);
}

#[test]
fn spanish_both_ways() {
    assert_supportive(Language::Spanish, SPANISH_SUPPORTIVE);
    assert_hostile(Language::Spanish, SPANISH_HOSTILE);
}

#[test]
fn no_lexicon_misreads_another_languages_kind_message() {
    let every_kind_message = [
        GERMAN_SUPPORTIVE,
        FRENCH_SUPPORTIVE,
        SPANISH_SUPPORTIVE,
        ENGLISH_SUPPORTIVE,
    ]
    .concat();
    let flagged: Vec<_> = every_kind_message
        .iter()
        .filter_map(|m| check_any_language(m).map(|n| (*m, n.kind, n.matched)))
        .collect();
    assert!(flagged.is_empty(), "kind messages flagged: {flagged:#?}");
}

#[test]
fn every_language_catches_hostile_messages_of_every_language() {
    let hostile = [GERMAN_HOSTILE, FRENCH_HOSTILE, SPANISH_HOSTILE].concat();
    let missed: Vec<_> = hostile
        .iter()
        .filter(|(message, _)| check_any_language(message).is_none())
        .collect();
    assert!(missed.is_empty(), "missed: {missed:#?}");
    // The most serious nudge any lexicon gives wins.
    assert_eq!(
        check_any_language("Ich bring euch um, ihr Idioten").map(|n| n.kind),
        Some(NudgeKind::Threat)
    );
    assert_eq!(
        check_any_language("You guys are incompetent").map(|n| n.kind),
        Some(NudgeKind::Insult)
    );
}

#[test]
fn a_lexicon_is_picked_by_language_tag() {
    let de = Lexicon::for_language("de-AT");
    assert!(std::ptr::eq(de, Lexicon::of(Language::German)));
    assert!(std::ptr::eq(
        Lexicon::for_language("fr-CA"),
        Lexicon::of(Language::French)
    ));
    assert!(std::ptr::eq(
        Lexicon::for_language("es-MX"),
        Lexicon::of(Language::Spanish)
    ));
    for english in [
        "en-GB",
        "it",
        "ja",
        "pt-BR",
        "ar",
        "en_US",
        "xx-invalid!",
        "",
    ] {
        assert!(
            std::ptr::eq(Lexicon::for_language(english), Lexicon::english()),
            "{english:?}"
        );
    }
    // The German lexicon knows German insults; English words are not its.
    assert_eq!(
        check_with(de, "Ihr seid so unfähig").map(|n| n.kind),
        Some(NudgeKind::Insult)
    );
    assert_eq!(check("Ihr seid so unfähig"), None);
}

#[test]
fn a_lexicon_text_is_data_a_client_can_fetch_and_parse() {
    assert_eq!(Lexicon::file_name(Language::German), "de.txt");
    assert_eq!(Lexicon::file_name(Language::Japanese), "en.txt");
    for language in Language::ALL {
        let parsed = Lexicon::parse(Lexicon::source(language)).expect("every lexicon parses");
        assert_eq!(&parsed, Lexicon::of(language), "{language:?}");
    }
    assert_eq!(
        Lexicon::languages(),
        [
            Language::English,
            Language::German,
            Language::French,
            Language::Spanish
        ]
    );
}

#[test]
fn every_lexicon_has_every_text_in_its_own_words() {
    for language in Lexicon::languages() {
        let lexicon = Lexicon::of(*language);
        for kind in [
            NudgeKind::Insult,
            NudgeKind::Blame,
            NudgeKind::Profanity,
            NudgeKind::Threat,
        ] {
            let english = Lexicon::english();
            assert!(!lexicon.message(kind).is_empty());
            if *language != Language::English {
                assert_ne!(lexicon.message(kind), english.message(kind), "{language:?}");
                assert_ne!(
                    lexicon.suggestion(kind),
                    english.suggestion(kind),
                    "{language:?}"
                );
            }
        }
    }
}
