//! The kindness check on realistic wall messages: kind ones (many full of
//! outage words) pass untouched, hostile ones are nudged with the right kind.

use hugops_core::kindness::{check, check_any_language, check_with, Lexicon, NudgeKind};

/// Messages customers really leave during outages. None may be flagged:
/// a kind message held for review is the worst failure of this check.
const SUPPORTIVE: &[&str] = &[
    "#HugOps — thank you for working on this",
    "The whole site is down for us but we know you're on it. Hang in there!",
    "Dead in the water over here, rooting for you all ❤️",
    "Our checkout is broken too. Sending hugs to the on-call folks.",
    "Hell of a day for your team. Thanks for the updates every 30 minutes.",
    "This sucks but you've got this",
    "Damn, hang in there",
    "This outage is really frustrating, but the updates help a lot.",
    "Fighting fires all night? Get some sleep after, you earned it.",
    "What a dumpster fire of a day. Thanks for keeping us posted.",
    "Our pipeline keeps crashing while the API is down. No rush, we'll wait.",
    "Killing it with these status updates, thanks team",
    "kill -9 everything and go get coffee, you deserve it",
    "It's not your fault, complex systems fail. Thank you!",
    "Nobody should be fired over this. Blameless postmortems FTW",
    "I feel like an idiot for not checking this page first. Good luck!",
    "Holy shit, what a week for you folks. Take care of yourselves.",
    "Shit happens. Thanks for owning it and being transparent.",
    "Scunthorpe office says hi: everything is broken here too, thanks for the fix",
    "First-class incident comms. Our assessment: you're doing great.",
    "Crash, burn, recover. That's ops life. Much love from Berlin.",
    "Our whole dev team is dead in the water, but we know the engineers are on it",
    "Rough night for the SREs. Rest well when it's over.",
    "Fire drill for us too. Thanks for the quick rollback!",
    "Down since 9am. Hoping the fix lands soon, you're doing your best.",
    "Painful outage, but the devs clearly know what they're doing. Thanks!",
    "the database died? been there. sending coffee ☕",
    "Crap timing before our launch, but we trust you 🙏",
    "This is a hard one. No one's fault, just complex systems.",
    "Thank you to the engineer who found the root cause!",
    "The fire the team is fighting looks brutal. Hang in there.",
    "Stupid bug, brilliant team. Thanks for the fix!",
    "Sorry you're stuck with this stupid outage on a Friday",
    "This status page is useless when it shows green during an outage, please fix that after",
    "wtf happened?? hope you're all ok",
    "Fuck, this one hurts. Thank you for the updates.",
    "The site's on fire and you folks are still so calm. Respect.",
    "You guys are heroes. Hell of a crash, hell of a recovery.",
    "Whoever is on call tonight: you are appreciated 💛",
    "Don't let the angry posts get to you. Bugs happen to everyone.",
    "I hope nobody gets fired over this, it's clearly a process thing",
    "It kills me that our demo is today, but I know you're on it",
    "👨‍👩‍👧‍👦 our whole family can't stream tonight, but we believe in you!",
    "Frustrated, but grateful for the transparency. Take breaks, team.",
    "This class of bug is nasty. Good luck with the postmortem!",
    "Dead servers, alive team. You've got this.",
];

/// Hostile messages and the kind each must be nudged as.
const HOSTILE: &[(&str, NudgeKind)] = &[
    ("You guys are incompetent", NudgeKind::Insult),
    ("Fire the engineer who did this", NudgeKind::Blame),
    ("useless devs", NudgeKind::Insult),
    ("wtf is wrong with you people", NudgeKind::Insult),
    ("You idiots broke production again", NudgeKind::Insult),
    ("Whoever pushed this should be fired", NudgeKind::Blame),
    ("Heads should roll for this.", NudgeKind::Blame),
    ("fuck you and your status page", NudgeKind::Profanity),
    ("Bunch of id1ots running this place", NudgeKind::Insult),
    ("f*ck your devs", NudgeKind::Profanity),
    ("s h i t engineers, every single one", NudgeKind::Profanity),
    ("I know where you live. Watch your back.", NudgeKind::Threat),
    ("Hope you all die in a fire", NudgeKind::Threat),
    ("kys", NudgeKind::Threat),
    ("Your engineers are morons", NudgeKind::Insult),
    ("What a bunch of clowns", NudgeKind::Insult),
    ("Amateurs. Absolute amateurs.", NudgeKind::Insult),
    ("This is your fault, all of it", NudgeKind::Blame),
    ("Sack the whole SRE team", NudgeKind::Blame),
    ("you're useless", NudgeKind::Insult),
    ("Pathetic engineers, pathetic company", NudgeKind::Insult),
    ("Clueless devs strike again", NudgeKind::Insult),
    ("Learn to do your jobs", NudgeKind::Blame),
    ("Your devs are f***ing useless", NudgeKind::Insult),
    ("You people are a joke", NudgeKind::Insult),
    ("INCOMPETENT!!!", NudgeKind::Insult),
    ("Someone needs to be fired over this", NudgeKind::Blame),
    ("Fire whoever is on call", NudgeKind::Blame),
    ("I hope the devs responsible get fired", NudgeKind::Blame),
    ("Shame on you", NudgeKind::Blame),
    ("fuuuck you guys", NudgeKind::Profanity),
    ("ＩＤＩＯＴＳ", NudgeKind::Insult),
    ("i'm going to find you and hurt you", NudgeKind::Threat),
    ("kill the devs who shipped this", NudgeKind::Threat),
    ("your team sucks", NudgeKind::Insult),
    ("you guys are so fucking lazy", NudgeKind::Insult),
    ("stupid engineers broke it again", NudgeKind::Insult),
    ("what a joke. i d i o t s", NudgeKind::Insult),
    ("Who hired these people?", NudgeKind::Blame),
    ("screw your support team", NudgeKind::Profanity),
    ("useless, lazy, incompetent dev team", NudgeKind::Insult),
    ("id\u{200B}iots", NudgeKind::Insult),
];

#[test]
fn supportive_messages_are_not_flagged() {
    assert!(SUPPORTIVE.len() >= 25);
    let flagged: Vec<_> = SUPPORTIVE
        .iter()
        .filter_map(|m| check(m).map(|n| (*m, n.kind, n.matched)))
        .collect();
    assert!(flagged.is_empty(), "kind messages flagged: {flagged:#?}");
}

#[test]
fn hostile_messages_are_flagged_with_their_kind() {
    assert!(HOSTILE.len() >= 25);
    let mut wrong = Vec::new();
    for (message, kind) in HOSTILE {
        match check(message) {
            Some(nudge) if nudge.kind == *kind => {
                assert!(!nudge.matched.is_empty(), "{message}");
                assert!(!nudge.message.is_empty(), "{message}");
                assert!(!nudge.suggestion.is_empty(), "{message}");
            }
            other => wrong.push((*message, *kind, other.map(|n| (n.kind, n.matched)))),
        }
    }
    assert!(wrong.is_empty(), "hostile messages missed: {wrong:#?}");
}

/// The server reads posts without knowing their language: English ones
/// must fare exactly as with the English lexicon.
#[test]
fn english_messages_fare_the_same_when_the_language_is_guessed() {
    for message in SUPPORTIVE {
        assert_eq!(check_any_language(message), None, "{message}");
    }
    for (message, kind) in HOSTILE {
        assert_eq!(
            check_any_language(message).map(|n| n.kind),
            Some(*kind),
            "{message}"
        );
    }
}

#[test]
fn words_match_whole_words_only() {
    for innocent in [
        "Scunthorpe",
        "class",
        "assessment",
        "cocktail",
        "therapist",
        "Dickens fan here, it was the worst of times",
        "shitake mushrooms while we wait",
        "Great kill switch, team!",
        "grape juice",
        "Retardant sprays, firefighters, the works. Good luck!",
    ] {
        assert_eq!(check(innocent), None, "{innocent}");
    }
}

#[test]
fn the_nudge_explains_and_suggests_a_kinder_message() {
    let nudge = check("Fire whoever did this, you idiots").unwrap();
    assert_eq!(nudge.kind, NudgeKind::Insult, "insult outranks blame");
    assert_eq!(nudge.matched, vec!["Fire whoever", "idiots"]);
    assert!(nudge.message.contains("Name-calling"));
    assert!(
        nudge.suggestion.contains("Thank you"),
        "{}",
        nudge.suggestion
    );

    let threat = check("useless devs, I will find you").unwrap();
    assert_eq!(threat.kind, NudgeKind::Threat);
    assert_eq!(threat.matched, vec!["useless", "I will find you"]);

    for kind in [NudgeKind::Blame, NudgeKind::Profanity, NudgeKind::Threat] {
        let message = HOSTILE.iter().find(|(_, k)| *k == kind).unwrap().0;
        let nudge = check(message).unwrap();
        assert!(!nudge.suggestion.is_empty() && !nudge.message.is_empty());
        assert_ne!(nudge.message, check("idiots").unwrap().message);
    }
}

#[test]
fn matched_words_are_quoted_as_written() {
    assert_eq!(
        check("f*ck your devs").unwrap().matched,
        vec!["f*ck your devs"]
    );
    assert_eq!(check("s.h.i.t devs").unwrap().matched, vec!["s.h.i.t"]);
    assert_eq!(
        check("You people are IDIOTS").unwrap().matched,
        vec!["IDIOTS"]
    );
}

#[test]
fn self_directed_insults_are_not_flagged() {
    assert_eq!(check("I'm such an idiot, I forgot our own failover"), None);
    assert_eq!(check("We look like clowns to our customers now"), None);
    assert!(check("I think you're all idiots").is_some());
}

#[test]
fn nudges_serialise_for_the_wire() {
    let nudge = check("useless devs").unwrap();
    let json = serde_json::to_value(&nudge).unwrap();
    assert_eq!(json["kind"], "insult");
    assert_eq!(NudgeKind::Insult.as_str(), "insult");
}

const GERMAN: &str = "
# A tiny German lexicon, to show languages are data.
[target]
ihr
du
entwickler
euer team
[determiner]
die
alle
[self]
ich
[boundary]
aber
[link]
seid
bist
so
[negation]
nicht
[insult]
idiot*
vollpfosten
[judgement]
nutzlos
[profanity]
schei*
[blame]
feuert <target>
[threat]
ich finde <target>
[ok]
scheiß tag
[nudge]
insult = Beleidigungen treffen echte Menschen, die gerade hart arbeiten.
suggestion = Der Ausfall trifft uns hart. Danke an alle, die daran arbeiten! #HugOps
";

#[test]
fn a_second_language_is_just_data() {
    let de = Lexicon::parse(GERMAN).expect("the German lexicon parses");

    let nudge = check_with(&de, "Ihr seid so nutzlos!").unwrap();
    assert_eq!(nudge.kind, NudgeKind::Insult);
    assert_eq!(nudge.matched, vec!["nutzlos"]);
    assert!(nudge.message.starts_with("Beleidigungen"));
    assert!(nudge.suggestion.contains("Danke"));

    assert_eq!(
        check_with(&de, "Was für Idioten").unwrap().kind,
        NudgeKind::Insult
    );
    assert_eq!(
        check_with(&de, "Feuert die Entwickler!").unwrap().kind,
        NudgeKind::Blame
    );
    assert_eq!(
        check_with(&de, "Ich finde euch... nein: ich finde euer Team")
            .unwrap()
            .kind,
        NudgeKind::Threat
    );
    assert_eq!(
        check_with(&de, "Scheiß Entwickler").unwrap().kind,
        NudgeKind::Profanity
    );
    // Texts the German lexicon leaves out fall back to English.
    assert!(!check_with(&de, "Scheiß Entwickler")
        .unwrap()
        .message
        .is_empty());

    for kind in [
        "Scheiß Tag, aber ihr schafft das!",
        "Alles ist down. Danke, dass ihr daran arbeitet!",
        "Die Seite ist nutzlos, aber ihr seid super",
        "Feuert nicht die Entwickler",
    ] {
        assert_eq!(check_with(&de, kind), None, "{kind}");
    }
    // English words mean nothing to the German lexicon.
    assert_eq!(check_with(&de, "useless devs"), None);
}
