//! What the visitor is typing, kept across a remount of the whole widget.
//!
//! The `<hugops-widget>` element mounts a fresh widget when the operator
//! changes an attribute (`wall`, `theme`, `lang`, …). The element provides
//! a `DraftKeeper` as context; each `Wall` hands its composer's fields to
//! it, and the next mount's first composer starts from the draft the last
//! one held. Without a keeper (tests mounting a `Wall` directly) nothing
//! changes.

use super::composer::ComposerFields;
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;

/// The composer's text: the name and the message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    pub author: String,
    pub body: String,
}

#[derive(Default)]
struct Kept {
    /// The previous mount's draft, until a composer takes it.
    seed: Option<Draft>,
    /// The composer on screen now (the last one mounted).
    live: Option<ComposerFields>,
}

/// Shared by the element (outside any reactive owner, so it outlives a
/// mount) and the widget inside it (through context).
#[derive(Clone, Default)]
pub struct DraftKeeper(Rc<RefCell<Kept>>);

impl DraftKeeper {
    /// A keeper for a new mount, starting from `seed`.
    pub fn seeded(seed: Option<Draft>) -> DraftKeeper {
        DraftKeeper(Rc::new(RefCell::new(Kept { seed, live: None })))
    }

    /// The draft to carry into the next mount: the live composer's text
    /// (read before the mount it belongs to is disposed), else the seed no
    /// composer took yet (a toast that was never opened).
    pub fn draft(&self) -> Option<Draft> {
        let kept = self.0.borrow();
        let live = kept.live.and_then(|fields| {
            Some(Draft {
                author: fields.author.try_get_untracked()?,
                body: fields.body.try_get_untracked()?,
            })
        });
        live.or_else(|| kept.seed.clone())
    }

    /// The widget's context value (context must be `Send + Sync`).
    pub fn provide(&self) {
        provide_context(KeeperContext(StoredValue::new_local(self.clone())));
    }

    fn attach(&self, fields: ComposerFields) {
        let mut kept = self.0.borrow_mut();
        if let Some(seed) = kept.seed.take() {
            fields.body.set(seed.body);
            fields.author.set(seed.author);
        }
        kept.live = Some(fields);
    }
}

#[derive(Clone, Copy)]
struct KeeperContext(StoredValue<DraftKeeper, LocalStorage>);

/// Called by `Wall` with its composer's fields: they start from the kept
/// draft (if this is the first composer since a remount) and are the ones
/// kept from now on.
pub fn keep(fields: ComposerFields) {
    if let Some(KeeperContext(keeper)) = use_context::<KeeperContext>() {
        if let Some(keeper) = keeper.try_get_value() {
            keeper.attach(fields);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(author: &str, body: &str) -> Draft {
        Draft {
            author: author.into(),
            body: body.into(),
        }
    }

    #[test]
    fn the_first_composer_after_a_remount_takes_the_draft() {
        let owner = Owner::new();
        owner.set();
        let keeper = DraftKeeper::seeded(Some(draft("Ana", "Half-written")));
        let first = ComposerFields::new("remembered name".into());
        keeper.attach(first);
        assert_eq!(first.body.get_untracked(), "Half-written");
        assert_eq!(first.author.get_untracked(), "Ana");
        first.body.set("Half-written thank".into());
        assert_eq!(keeper.draft(), Some(draft("Ana", "Half-written thank")));

        // The visitor switching walls inside the widget is not a remount:
        // that wall's composer starts as it always did, and is kept now.
        let second = ComposerFields::new(String::new());
        keeper.attach(second);
        assert_eq!(second.body.get_untracked(), "");
        second.body.set("On the other wall".into());
        assert_eq!(keeper.draft(), Some(draft("", "On the other wall")));
    }

    #[test]
    fn a_draft_no_composer_took_is_carried_on() {
        // A toast that was never opened has no composer: the draft waits.
        let keeper = DraftKeeper::seeded(Some(draft("", "Thanks")));
        assert_eq!(keeper.draft(), Some(draft("", "Thanks")));
        assert_eq!(DraftKeeper::seeded(None).draft(), None);
    }
}
