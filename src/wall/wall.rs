//! The `Wall` component: wires the feed, the outbox, the visitor and the
//! announcer together and lays out the composer, the visitor's waiting
//! posts, the pinned messages and the list.

use super::composer::{Composer, ComposerFields};
use super::draft::ready_to_send;
use super::feed::Arrival;
use super::live_region::{use_announcer, LiveRegion};
use super::message_card::MessageCard;
use super::message_list::MessageList;
use super::own_posts::OwnPosts;
use super::pending_list::PendingList;
use super::use_outbox::{use_outbox, OutboxHandle};
use super::use_wall_feed::{use_wall_feed, WallFeedHandle, WallFeedOptions};
use super::visitor::Visitor;
use super::words;
use crate::backend::{Liveness, WallStore};
use crate::clock::use_clock;
use crate::i18n::{use_texts, Texts};
use crate::outbox::{Backoff, OutboxEvent, OutboxOptions, PendingState};
use hugops_core::message::MessageError;
use hugops_core::wire::{HugCount, MessageId, WallSlug};
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

/// Options for [`Wall`], with defaults for a real page; tests shorten the
/// waits and isolate storage.
#[derive(Clone, Debug, PartialEq)]
pub struct WallOptions {
    /// Prefix of every localStorage key the wall writes (visitor id, hugs,
    /// outbox). Default `hugops:`.
    pub storage_prefix: String,
    /// Messages per page. Default 50.
    pub page_size: u32,
    /// Waits between attempts to send a post. Default 1 s doubling to 60 s.
    pub send_backoff: Backoff,
    /// Waits between attempts to load a wall that cannot be reached.
    /// Default 2 s doubling to 60 s.
    pub load_backoff: Backoff,
    /// Seeds the outbox's jitter (tests). Default `None`.
    pub seed: Option<u64>,
    /// At most one screen-reader announcement per this many ms; arrivals
    /// in between are gathered. Default 10 s.
    pub announce_gap_ms: u32,
    /// Show the wall's own heading (off when a container already names
    /// it). Default true.
    pub heading: bool,
}

impl Default for WallOptions {
    fn default() -> Self {
        let outbox = OutboxOptions::default();
        let feed = WallFeedOptions::default();
        WallOptions {
            storage_prefix: outbox.key_prefix,
            page_size: feed.page_size,
            send_backoff: outbox.backoff,
            load_backoff: feed.retry,
            seed: None,
            announce_gap_ms: 10_000,
            heading: true,
        }
    }
}

/// What the wall's parts can do; `Copy`, so any view can hold it.
#[derive(Clone, Copy)]
pub struct WallActions {
    pub feed: WallFeedHandle,
    pub outbox: OutboxHandle,
    /// Messages this visitor has hugged.
    pub hugged: ReadSignal<BTreeSet<MessageId>>,
    set_hugged: WriteSignal<BTreeSet<MessageId>>,
    /// Why the last hug failed, if it did.
    pub hug_problem: ReadSignal<Option<String>>,
    set_hug_problem: WriteSignal<Option<String>>,
    ctx: StoredValue<Rc<WallCtx>, LocalStorage>,
    /// The widget's words (its language's table).
    pub texts: StoredValue<std::sync::Arc<Texts>>,
}

struct WallCtx {
    store: Rc<dyn WallStore>,
    wall: WallSlug,
    visitor: RefCell<Visitor>,
}

impl WallActions {
    /// Checks the composer's fields and, when they pass, hands the post to
    /// the outbox (which saves it before sending).
    pub fn send(&self, author: &str, body: &str, website: &str) -> Result<(), MessageError> {
        let clean = ready_to_send(author, body)?;
        if let Some(ctx) = self.ctx.try_get_value() {
            ctx.visitor.borrow_mut().remember_name(author.trim());
        }
        let website = Some(website.to_owned()).filter(|w| !w.trim().is_empty());
        self.outbox.send(clean.author, clean.body, website);
        Ok(())
    }

    /// Hugs a message once; shown at once, undone if it could not be sent.
    pub fn hug(&self, id: MessageId) {
        let Some(ctx) = self.ctx.try_get_value() else {
            return;
        };
        if ctx.visitor.borrow().has_hugged(id) {
            return;
        }
        ctx.visitor.borrow_mut().set_hugged(id, true);
        self.set_hugged.update(|h| {
            h.insert(id);
        });
        self.set_hug_problem.set(None);
        let feed = self.feed;
        let bump = move |delta: i64| {
            feed.set_feed.update(|f| {
                if let Some(hugs) = f.get(id).map(|m| m.hugs) {
                    let hugs = (i64::from(hugs) + delta).clamp(0, i64::from(u32::MAX)) as u32;
                    f.hugs(HugCount {
                        message_id: id,
                        hugs,
                    });
                }
            })
        };
        bump(1);
        let this = *self;
        wasm_bindgen_futures::spawn_local(async move {
            let client_id = ctx.visitor.borrow().id.clone();
            let result = ctx.store.hug(&ctx.wall, id, &client_id).await;
            match result {
                Ok(count) => this.feed.set_feed.update(|f| f.hugs(count)),
                Err(_) => {
                    ctx.visitor.borrow_mut().set_hugged(id, false);
                    this.set_hugged.update(|h| {
                        h.remove(&id);
                    });
                    bump(-1);
                    // The wall may have been unmounted while the hug was
                    // under way: its words are gone then, and so is the
                    // line that would show the problem.
                    if let Some(failed) = this.texts.try_with_value(|t| t.t("wall.hug_failed")) {
                        this.set_hug_problem.set(Some(failed));
                    }
                }
            }
        });
    }

    pub fn has_hugged(&self, id: MessageId) -> bool {
        self.hugged.with(|h| h.contains(&id))
    }
}

/// What became of the visitor's last delivered post, for the composer's
/// status line.
#[derive(Clone, Copy, Debug, PartialEq)]
enum LastPost {
    Shown,
    /// The server holds it until the team has looked at it.
    HeldForReview,
}

#[component]
pub fn Wall(
    store: Rc<dyn WallStore>,
    wall: WallSlug,
    #[prop(optional)] options: WallOptions,
    #[prop(into, default = "en".to_owned())] lang: String,
    /// The wall's name for its heading (an incident's name); by default
    /// its slug ("General" for `general`).
    #[prop(default = None)]
    name: Option<String>,
    /// Whether an incident is going on (the intro thanks people for fixing
    /// it only then).
    #[prop(optional, into)]
    trouble: Option<Signal<bool>>,
) -> impl IntoView {
    let texts = use_texts();
    let tx = StoredValue::new(texts.clone());
    let name = name.unwrap_or_else(|| {
        if wall == WallSlug::general() {
            texts.t("wall.general")
        } else {
            wall.as_str().to_owned()
        }
    });
    let heading_text = texts.fill("wall.titled", &[("wall", &name)]);
    let visitor = Visitor::load(&options.storage_prefix, &wall);
    let fields = ComposerFields::new(visitor.name.clone());
    super::draft_keeper::keep(fields);
    let (hugged, set_hugged) = signal(visitor.hugged().clone());
    let (hug_problem, set_hug_problem) = signal(None::<String>);
    let (sent, set_sent) = signal(None::<LastPost>);
    let announcements = use_announcer(options.announce_gap_ms, texts.clone());

    // The visitor's own posts: those in the outbox, and those it delivered.
    // They are shown as theirs, not announced to them.
    let own = StoredValue::new_local(OwnPosts::default());

    let feed = use_wall_feed(
        store.clone(),
        wall.clone(),
        WallFeedOptions {
            page_size: options.page_size,
            retry: options.load_backoff,
        },
        Rc::new(move |message, arrival| {
            if matches!(arrival, Arrival::Shown | Arrival::Held) {
                announcements.arrive(message.author.as_deref(), &message.body);
            }
        }),
        Rc::new(move |message| own.with_value(|own| own.is_own(message))),
    );

    let outbox = use_outbox(
        store.clone(),
        wall.clone(),
        OutboxOptions {
            key_prefix: options.storage_prefix.clone(),
            backoff: options.send_backoff,
            seed: options.seed,
        },
        Rc::new(move |event: &OutboxEvent| match event {
            OutboxEvent::Changed(pending) => own.update_value(|own| own.waiting(pending)),
            OutboxEvent::Delivered(message) => {
                own.update_value(|own| own.delivered(message));
                feed.set_feed.update(|f| {
                    f.arrive_own(message.clone());
                });
                set_sent.set(Some(if message.held {
                    LastPost::HeldForReview
                } else {
                    LastPost::Shown
                }));
            }
            OutboxEvent::Refused(refused) => tx.with_value(|t| fields.restore(refused, t)),
            OutboxEvent::Unreadable(lost) => {
                if let Some(notice) = tx.with_value(|t| lost.notice(t)) {
                    fields.notice(&notice);
                }
            }
        }),
    );

    let actions = WallActions {
        feed,
        outbox,
        hugged,
        set_hugged,
        hug_problem,
        set_hug_problem,
        ctx: StoredValue::new_local(Rc::new(WallCtx {
            store,
            wall,
            visitor: RefCell::new(visitor),
        })),
        texts: tx,
    };
    let t = move |key: &str| tx.with_value(|t| t.t(key));

    let heading = options.heading;
    let now = use_clock(30_000);
    let lang = StoredValue::new(lang);

    // The composer's status line: the oldest waiting post's state, or a
    // thank-you once something was sent.
    let status = Signal::derive(move || {
        let at = now.get();
        outbox.pending.with(|pending| match pending.first() {
            Some(first) => tx.with_value(|t| words::pending_state(t, &first.state, at)),
            None => match sent.get() {
                Some(LastPost::Shown) => t("wall.sent"),
                Some(LastPost::HeldForReview) => t("wall.held"),
                None => String::new(),
            },
        })
    });
    let waiting = Signal::derive(move || {
        outbox.pending.with(|p| {
            p.first()
                .is_some_and(|p| !matches!(p.state, PendingState::Sending))
        })
    });

    let pinned = move || feed.feed.with(|f| f.pinned().to_vec());
    // Only what is true: "Live" where messages are pushed as posted, and
    // no dot where nothing is live.
    let live = move || feed.live.get();
    let live_label = move || {
        t(match live() {
            Liveness::Live => "wall.live",
            Liveness::Polling => "wall.polling",
            Liveness::ThisBrowser => "wall.local",
            Liveness::Down => "wall.connecting",
        })
    };
    let intro = move || {
        let trouble = trouble.is_some_and(|t| t.get());
        t(if trouble {
            "wall.intro_incident"
        } else {
            "wall.intro"
        })
    };
    let section_label = heading_text.clone();
    let heading_text = StoredValue::new(heading_text);

    view! {
        <section class="hugops-wall" aria-label=section_label>
            <Show when=move || heading>
                <header class="hugops-wall__header">
                    <h2>{heading_text.get_value()}</h2>
                    // The dot shows only while live (style/wall.css).
                    <span class="hugops-wall__live" data-live=move || (live() == Liveness::Live).to_string()
                        data-liveness=move || live().as_str()>
                        <span class="hugops-wall__live-dot" aria-hidden="true"></span>
                        {live_label}
                    </span>
                </header>
                <p class="hugops-muted hugops-wall__intro">{intro}</p>
            </Show>
            <Composer fields=fields actions=actions status=status waiting=waiting/>
            <PendingList pending=outbox.pending now=now on_retry=move || outbox.retry_now()/>
            <Show when=move || feed.feed.with(|f| !f.pinned().is_empty())>
                <ol class="hugops-wall__pinned" aria-label=t("wall.pinned")>
                    <For each=pinned key=|m| m.id children=move |message| {
                        let id = message.id;
                        view! {
                            <li class="hugops-wall__row" data-row-id=id>
                                <MessageCard message=message actions=actions now=now lang=lang pinned=true/>
                            </li>
                        }
                    }/>
                </ol>
            </Show>
            <MessageList actions=actions now=now lang=lang/>
            <p class="hugops-wall__problem" role="alert">
                {move || hug_problem.get()}
            </p>
            <LiveRegion text=announcements.text/>
        </section>
    }
}
