//! Why the status could not be refreshed, in the visitor's language. A
//! HugOps server and the readers say it in English, more precisely than a
//! translation could (the parser's reason, how the status is configured):
//! an English widget shows that as it is, any other language its own words
//! for the kind of problem.

use crate::backend::StatusProblem;
use crate::i18n::Texts;
use hugops_core::wire::ErrorCode;

pub fn in_words(texts: &Texts, problem: &StatusProblem) -> String {
    if texts.is_english() {
        return problem.to_string();
    }
    let http = |status: &u16| texts.fill("status.problem.http", &[("code", &status.to_string())]);
    match problem {
        StatusProblem::TimedOut { seconds } => texts.fill(
            "status.problem.timed_out",
            &[("seconds", &texts.number(u64::from(*seconds)))],
        ),
        StatusProblem::Unreachable => texts.t("status.problem.unreachable"),
        StatusProblem::CutOff => texts.t("status.problem.cut_off"),
        StatusProblem::Refused { status } => http(status),
        StatusProblem::Explained { status, error } => match error.error {
            ErrorCode::UpstreamFailed => texts.t("status.problem.upstream"),
            // No status here: none configured, or no such endpoint.
            ErrorCode::NotFound => texts.t("status.problem.not_configured"),
            _ => http(status),
        },
        StatusProblem::Unreadable(_) => texts.t("status.problem.unreadable"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hugops_core::wire::ApiError;

    fn german() -> std::sync::Arc<Texts> {
        Texts::parse("de", include_str!("../../i18n/de.json"))
    }

    #[test]
    fn english_says_the_problem_in_its_own_words() {
        let en = Texts::english("en");
        let upstream = StatusProblem::Explained {
            status: 502,
            error: ApiError::new(ErrorCode::UpstreamFailed, "upstream timed out after 10 s"),
        };
        assert_eq!(in_words(&en, &upstream), "upstream timed out after 10 s");
        assert_eq!(
            in_words(&en, &StatusProblem::Refused { status: 404 }),
            "The status source answered with an error (HTTP 404)."
        );
    }

    #[test]
    fn another_language_says_each_kind_in_its_words() {
        let de = german();
        let said = in_words(&de, &StatusProblem::Refused { status: 503 });
        assert!(said.contains("503"), "{said}");
        assert_ne!(said, StatusProblem::Refused { status: 503 }.to_string());
        for problem in [
            StatusProblem::Unreachable,
            StatusProblem::CutOff,
            StatusProblem::Unreadable("expected value at line 1".into()),
            StatusProblem::Explained {
                status: 502,
                error: ApiError::new(ErrorCode::UpstreamFailed, "not yet"),
            },
        ] {
            let said = in_words(&de, &problem);
            assert_ne!(said, problem.to_string(), "{problem:?} stayed English");
            assert!(!said.contains("line 1"), "a parser's words: {said}");
        }
    }
}
