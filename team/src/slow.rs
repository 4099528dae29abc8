//! Slow mode as the page offers it: globally off or N seconds; per wall
//! "as the global setting", "off here" or N seconds here.

/// The longest wait the page offers: an hour between posts is already a
/// wall closed in all but name.
pub const MAX_SECONDS: u32 = 3_600;

/// Reads the seconds box: a whole number from 1 to `MAX_SECONDS`.
pub fn parse_seconds(input: &str) -> Result<u32, String> {
    match input.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_SECONDS).contains(&n) => Ok(n),
        _ => Err(format!(
            "Slow mode takes a whole number of seconds from 1 to {MAX_SECONDS}."
        )),
    }
}

/// A wall's own setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WallChoice {
    /// `seconds: null`
    FollowGlobal,
    /// `seconds: 0`
    Off,
    On(u32),
}

impl WallChoice {
    pub fn from_wire(seconds: Option<u32>) -> WallChoice {
        match seconds {
            None => WallChoice::FollowGlobal,
            Some(0) => WallChoice::Off,
            Some(n) => WallChoice::On(n),
        }
    }

    pub fn to_wire(self) -> Option<u32> {
        match self {
            WallChoice::FollowGlobal => None,
            WallChoice::Off => Some(0),
            WallChoice::On(n) => Some(n),
        }
    }

    /// "same as everywhere", "off", "on: one post every 30 s per person".
    pub fn describe(self) -> String {
        match self {
            WallChoice::FollowGlobal => "same as everywhere".into(),
            other => describe(other.effective(0)),
        }
    }

    /// The slow mode posters on this wall get, given the global one.
    pub fn effective(self, global_seconds: u32) -> u32 {
        self.to_wire().unwrap_or(global_seconds)
    }
}

/// "Off" or "one post every 30 s per person".
pub fn describe(seconds: u32) -> String {
    match seconds {
        0 => "off".into(),
        n => format!("on: one post every {n} s per person"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seconds_box_takes_whole_seconds_in_range() {
        assert_eq!(parse_seconds(" 30 "), Ok(30));
        assert_eq!(parse_seconds("3600"), Ok(3_600));
        assert!(parse_seconds("0").is_err());
        assert!(parse_seconds("3601").is_err());
        assert!(parse_seconds("1.5").is_err());
        assert!(parse_seconds("").is_err());
    }

    #[test]
    fn a_walls_choice_round_trips_and_overrides_the_global_setting() {
        for choice in [
            WallChoice::FollowGlobal,
            WallChoice::Off,
            WallChoice::On(20),
        ] {
            assert_eq!(WallChoice::from_wire(choice.to_wire()), choice);
        }
        assert_eq!(WallChoice::FollowGlobal.effective(15), 15);
        assert_eq!(WallChoice::Off.effective(15), 0);
        assert_eq!(WallChoice::On(60).effective(15), 60);
        assert_eq!(describe(0), "off");
        assert_eq!(WallChoice::FollowGlobal.describe(), "same as everywhere");
        assert_eq!(WallChoice::Off.describe(), "off");
        assert_eq!(
            WallChoice::On(5).describe(),
            "on: one post every 5 s per person"
        );
        assert_eq!(describe(30), "on: one post every 30 s per person");
    }
}
