//! The `WallStore` conformance suite: what every wall store must do, as
//! async checks over a factory of stores. One line runs it against an
//! adapter:
//!
//! ```ignore
//! mod common;
//! common::wall_conformance::wall_store_conformance!(http, || {
//!     Rc::new(HttpWallStore::new(server_url())) as Rc<dyn WallStore>
//! });
//! ```
//!
//! which makes one browser test per check (module `http`), or call
//! [`run_all`] from a single test. Every check works on a wall of its own
//! with a fresh name, so a store that keeps its data between checks (a
//! server) passes as well as a fresh one.

use super::wall::{fresh_wall, new_message, unique};
use hugops_core::message::{MAX_AUTHOR_CHARS, MAX_BODY_CHARS};
use hugops_core::wire::{
    ErrorCode, HugCount, Message, MessageId, MessagePage, NewMessage, PageRequest, StreamEvent,
    WallSlug,
};
use hugops_widget::backend::{WallEvent, WallStore};
use hugops_widget::browser::sleep;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;

/// Makes a store to test (fresh, or one shared by every check).
pub type Factory<'a> = &'a dyn Fn() -> Rc<dyn WallStore>;

/// How long a live event may take to arrive (a server's stream may poll).
const ARRIVAL_SECONDS: f64 = 8.0;
/// How long to watch for events that must not come.
const QUIET_MS: u32 = 400;

/// Adapters may spawn their work on Leptos's executor, which a mounted
/// widget would have started; the suite runs stores bare, so it starts it
/// the way mounting does (Leptos does not export the executor itself).
pub fn init_executor() {
    thread_local! {
        static STARTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    if !STARTED.with(|s| s.replace(true)) {
        let document = web_sys::window().unwrap().document().unwrap();
        let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
        std::mem::forget(leptos::mount::mount_to(host, || ()));
    }
}

/// Every check, by name (the names the macro gives its tests).
pub async fn run_all(make: Factory<'_>) {
    init_executor();
    ordering(make).await;
    cursors_backward(make).await;
    cursors_forward(make).await;
    limit_clamping(make).await;
    idempotent_posts(make).await;
    hugs_once_per_client(make).await;
    validation(make).await;
    subscribe_delivers_each_new_message_once(make).await;
    subscribe_catches_up_after_a_cursor(make).await;
    subscribe_reports_hugs(make).await;
    nothing_after_the_subscription_is_dropped(make).await;
}

/// One `#[wasm_bindgen_test]` per check, in a module named `$name`.
#[allow(unused_macros)]
macro_rules! wall_store_conformance {
    ($name:ident, $make:expr) => {
        mod $name {
            use super::*;
            use wasm_bindgen_test::wasm_bindgen_test;
            $crate::common::wall_conformance::wall_store_conformance!(@checks $make;
                ordering, cursors_backward, cursors_forward, limit_clamping,
                idempotent_posts, hugs_once_per_client, validation,
                subscribe_delivers_each_new_message_once,
                subscribe_catches_up_after_a_cursor, subscribe_reports_hugs,
                nothing_after_the_subscription_is_dropped);
        }
    };
    (@checks $make:expr; $($check:ident),*) => {
        $(
            #[wasm_bindgen_test]
            async fn $check() {
                $crate::common::wall_conformance::init_executor();
                let make = $make;
                $crate::common::wall_conformance::$check(&make).await;
            }
        )*
    };
}
#[allow(unused_imports)]
pub(crate) use wall_store_conformance;

/// A message as every reader but its poster sees it: without its
/// `client_id`, which only the answer to the post carries.
fn public(message: Message) -> Message {
    Message {
        client_id: None,
        ..message
    }
}

/// Posts `body`; the message as readers see it.
async fn post(store: &dyn WallStore, wall: &WallSlug, body: &str) -> Message {
    let stored = store
        .post(wall, new_message(body, None))
        .await
        .unwrap_or_else(|e| panic!("posting {body:?}: {e:?}"));
    public(stored)
}

async fn post_n(store: &dyn WallStore, wall: &WallSlug, n: usize) -> Vec<Message> {
    let mut posted = Vec::new();
    for i in 0..n {
        posted.push(post(store, wall, &format!("message {i}")).await);
    }
    posted
}

async fn list(store: &dyn WallStore, wall: &WallSlug, page: PageRequest) -> MessagePage {
    store
        .list(wall, page)
        .await
        .unwrap_or_else(|e| panic!("listing {page:?}: {e:?}"))
}

fn page(after: Option<MessageId>, before: Option<MessageId>, limit: u32) -> PageRequest {
    PageRequest {
        after,
        before,
        limit: Some(limit),
    }
}

fn ids(messages: &[Message]) -> Vec<MessageId> {
    messages.iter().map(|m| m.id).collect()
}

/// Ids increase in posting order; a page is oldest first; the newest page
/// of a small wall has no cursor either way.
pub async fn ordering(make: Factory<'_>) {
    let store = make();
    let wall = fresh_wall();
    let posted = post_n(&*store, &wall, 5).await;
    assert!(
        posted.windows(2).all(|w| w[0].id < w[1].id),
        "ids increase: {:?}",
        ids(&posted)
    );
    let listed = list(&*store, &wall, PageRequest::default()).await;
    assert_eq!(listed.messages, posted);
    assert_eq!((listed.next_after, listed.prev_before), (None, None));
    for message in &listed.messages {
        assert_eq!(message.wall, wall);
        assert_eq!(message.hugs, 0);
        assert!(!message.pinned && !message.hidden);
    }
    // Another wall is another wall.
    let other = fresh_wall();
    assert!(list(&*store, &other, PageRequest::default())
        .await
        .messages
        .is_empty());
}

/// `before` pages backward to the oldest, each page oldest first, with
/// `prev_before` until the oldest and `next_after` once newer ones exist.
pub async fn cursors_backward(make: Factory<'_>) {
    let store = make();
    let wall = fresh_wall();
    let all = ids(&post_n(&*store, &wall, 7).await);
    let newest = list(&*store, &wall, page(None, None, 3)).await;
    assert_eq!(ids(&newest.messages), all[4..7]);
    assert_eq!(newest.prev_before, Some(all[4]));
    assert_eq!(newest.next_after, None);

    let middle = list(&*store, &wall, page(None, newest.prev_before, 3)).await;
    assert_eq!(ids(&middle.messages), all[1..4]);
    assert_eq!(middle.prev_before, Some(all[1]));
    assert_eq!(middle.next_after, Some(all[3]));

    let oldest = list(&*store, &wall, page(None, middle.prev_before, 3)).await;
    assert_eq!(ids(&oldest.messages), all[0..1]);
    assert_eq!(oldest.prev_before, None);
    assert_eq!(oldest.next_after, Some(all[0]));
}

/// `after` pages forward to the newest; past the newest is an empty page.
pub async fn cursors_forward(make: Factory<'_>) {
    let store = make();
    let wall = fresh_wall();
    let all = ids(&post_n(&*store, &wall, 5).await);
    let first = list(&*store, &wall, page(Some(0), None, 2)).await;
    assert_eq!(ids(&first.messages), all[0..2]);
    assert_eq!((first.prev_before, first.next_after), (None, Some(all[1])));

    let second = list(&*store, &wall, page(first.next_after, None, 2)).await;
    assert_eq!(ids(&second.messages), all[2..4]);
    assert_eq!(
        (second.prev_before, second.next_after),
        (Some(all[2]), Some(all[3]))
    );

    let last = list(&*store, &wall, page(second.next_after, None, 2)).await;
    assert_eq!(ids(&last.messages), all[4..5]);
    assert_eq!((last.prev_before, last.next_after), (Some(all[4]), None));

    let beyond = list(&*store, &wall, page(Some(all[4]), None, 2)).await;
    assert_eq!(beyond, MessagePage::default());

    let between = list(&*store, &wall, page(Some(all[0]), Some(all[3]), 10)).await;
    assert_eq!(ids(&between.messages), all[1..3]);
}

/// The limit defaults to 50 and is clamped to 1..=200.
pub async fn limit_clamping(make: Factory<'_>) {
    let store = make();
    let wall = fresh_wall();
    let all = ids(&post_n(&*store, &wall, 205).await);
    let default = list(&*store, &wall, PageRequest::default()).await;
    assert_eq!(default.messages.len(), 50);
    assert_eq!(ids(&default.messages), all[155..]);
    let huge = list(&*store, &wall, page(None, None, 10_000)).await;
    assert_eq!(huge.messages.len(), PageRequest::MAX_LIMIT as usize);
    assert_eq!(huge.prev_before, Some(all[5]));
    let zero = list(&*store, &wall, page(None, None, 0)).await;
    assert_eq!(ids(&zero.messages), [all[204]]);
}

/// A retried post (same `client_id`) returns the first message, even with
/// a different body; nothing is stored twice.
pub async fn idempotent_posts(make: Factory<'_>) {
    let store = make();
    let wall = fresh_wall();
    let client_id = unique("retry");
    let first = store
        .post(
            &wall,
            NewMessage {
                client_id: client_id.clone(),
                ..new_message("once", Some("Ana"))
            },
        )
        .await
        .unwrap();
    for body in ["once", "a different body"] {
        let again = store
            .post(
                &wall,
                NewMessage {
                    client_id: client_id.clone(),
                    ..new_message(body, None)
                },
            )
            .await
            .unwrap();
        assert_eq!(again, first);
    }
    assert_eq!(
        first.client_id.as_deref(),
        Some(client_id.as_str()),
        "the poster's answer carries its client_id"
    );
    assert_eq!(first.author.as_deref(), Some("Ana"));
    let listed = list(&*store, &wall, PageRequest::default()).await;
    assert_eq!(listed.messages, [public(first)], "no one else sees it");
}

/// One hug per client per message; unknown messages are not found.
pub async fn hugs_once_per_client(make: Factory<'_>) {
    let store = make();
    let wall = fresh_wall();
    let message = post(&*store, &wall, "hug me").await;
    let (a, b) = (unique("a"), unique("b"));
    let count = |hugs| HugCount {
        message_id: message.id,
        hugs,
    };
    assert_eq!(store.hug(&wall, message.id, &a).await.unwrap(), count(1));
    assert_eq!(store.hug(&wall, message.id, &a).await.unwrap(), count(1));
    assert_eq!(store.hug(&wall, message.id, &b).await.unwrap(), count(2));
    let listed = list(&*store, &wall, PageRequest::default()).await;
    assert_eq!(listed.messages[0].hugs, 2);
    let missing = store
        .hug(&wall, message.id + 1_000_000, &a)
        .await
        .unwrap_err();
    assert_eq!(missing.error, ErrorCode::NotFound);
}

/// The message rules of `hugops_core::message`: refusals are typed, name
/// the field, say why in words, and store nothing; what is stored is
/// normalised.
pub async fn validation(make: Factory<'_>) {
    let store = make();
    let wall = fresh_wall();
    // 501 user-perceived characters, most of them several code points.
    let too_long = format!("{}{}", "👍🏽".repeat(MAX_BODY_CHARS - 1), "é!");
    let cases: [(Option<String>, String, &str); 4] = [
        (None, String::new(), "body"),
        (None, " \n\t \u{200b} ".into(), "body"),
        (None, too_long, "body"),
        (
            Some("n".repeat(MAX_AUTHOR_CHARS + 1)),
            "hello".into(),
            "author",
        ),
    ];
    for (author, body, field) in cases {
        let refused = store
            .post(
                &wall,
                NewMessage {
                    author,
                    ..new_message(&body, None)
                },
            )
            .await
            .expect_err("refused");
        assert_eq!(refused.error, ErrorCode::InvalidMessage, "{refused:?}");
        assert_eq!(refused.field.as_deref(), Some(field));
        assert!(!refused.message.is_empty());
        assert!(!refused.error.is_retryable());
    }
    assert!(list(&*store, &wall, PageRequest::default())
        .await
        .messages
        .is_empty());

    let at_limit = store
        .post(
            &wall,
            NewMessage {
                author: Some(format!("  {}  ", "n".repeat(MAX_AUTHOR_CHARS))),
                ..new_message(&"👍🏽".repeat(MAX_BODY_CHARS), None)
            },
        )
        .await
        .unwrap();
    assert_eq!(
        at_limit.author.as_deref(),
        Some(&*"n".repeat(MAX_AUTHOR_CHARS))
    );
    let tidied = post(&*store, &wall, "  hi\r\n\r\n\r\nthere \u{202e} ").await;
    assert_eq!(tidied.body, "hi\n\nthere");
    let blank_name = store
        .post(
            &wall,
            NewMessage {
                author: Some("   ".into()),
                ..new_message("ok", None)
            },
        )
        .await
        .unwrap();
    assert_eq!(blank_name.author, None);
}

/// Collects a subscription's events.
struct Recorder {
    events: Rc<RefCell<Vec<WallEvent>>>,
}

impl Recorder {
    fn new() -> (Recorder, Rc<dyn Fn(WallEvent)>) {
        let events: Rc<RefCell<Vec<WallEvent>>> = Rc::default();
        let sink = events.clone();
        (
            Recorder { events },
            Rc::new(move |event| sink.borrow_mut().push(event)),
        )
    }

    fn messages(&self) -> Vec<Message> {
        self.events
            .borrow()
            .iter()
            .filter_map(|e| match e {
                WallEvent::Stream(StreamEvent::Message { message }) => Some(message.clone()),
                _ => None,
            })
            .collect()
    }

    fn hugs(&self) -> Vec<HugCount> {
        self.events
            .borrow()
            .iter()
            .filter_map(|e| match e {
                WallEvent::Stream(StreamEvent::Hugs(count)) => Some(*count),
                _ => None,
            })
            .collect()
    }

    async fn until(&self, what: &str, ready: impl Fn(&Recorder) -> bool) {
        let deadline = js_sys::Date::now() + ARRIVAL_SECONDS * 1_000.0;
        while js_sys::Date::now() < deadline {
            if ready(self) {
                return;
            }
            sleep(20).await;
        }
        panic!(
            "timed out waiting for {what}; got {:?}",
            self.events.borrow()
        );
    }
}

/// Each new message arrives once, in order, a retried post included.
pub async fn subscribe_delivers_each_new_message_once(make: Factory<'_>) {
    let store = make();
    let wall = fresh_wall();
    let (recorder, on_event) = Recorder::new();
    let _subscription = store.subscribe(&wall, None, on_event);
    // Let a stream connect before posting (a server's "from now on").
    sleep(200).await;
    let a = post(&*store, &wall, "first").await;
    let retry = new_message("second", None);
    let b = store.post(&wall, retry.clone()).await.unwrap();
    assert_eq!(store.post(&wall, retry).await.unwrap(), b);
    let b = public(b);
    let c = post(&*store, &wall, "third").await;
    recorder
        .until("three messages", |r| r.messages().len() >= 3)
        .await;
    sleep(QUIET_MS).await;
    assert_eq!(recorder.messages(), [a, b, c]);
}

/// With a cursor, what came after it is delivered first, then what is new.
pub async fn subscribe_catches_up_after_a_cursor(make: Factory<'_>) {
    let store = make();
    let wall = fresh_wall();
    let old = post_n(&*store, &wall, 3).await;
    let (recorder, on_event) = Recorder::new();
    let _subscription = store.subscribe(&wall, Some(old[0].id), on_event);
    recorder
        .until("the two after the cursor", |r| r.messages().len() >= 2)
        .await;
    let new = post(&*store, &wall, "new").await;
    recorder
        .until("the new one", |r| r.messages().len() >= 3)
        .await;
    sleep(QUIET_MS).await;
    assert_eq!(recorder.messages(), [old[1].clone(), old[2].clone(), new]);
}

/// A hug that changes a count is reported, once.
pub async fn subscribe_reports_hugs(make: Factory<'_>) {
    let store = make();
    let wall = fresh_wall();
    let message = post(&*store, &wall, "hug me").await;
    let (recorder, on_event) = Recorder::new();
    let _subscription = store.subscribe(&wall, Some(message.id), on_event);
    sleep(200).await;
    let client = unique("h");
    store.hug(&wall, message.id, &client).await.unwrap();
    store.hug(&wall, message.id, &client).await.unwrap();
    recorder
        .until("a hug count", |r| !r.hugs().is_empty())
        .await;
    sleep(QUIET_MS).await;
    assert_eq!(
        recorder.hugs(),
        [HugCount {
            message_id: message.id,
            hugs: 1
        }]
    );
    assert!(recorder.messages().is_empty());
}

/// Dropping the `Subscription` ends it: nothing arrives afterwards.
pub async fn nothing_after_the_subscription_is_dropped(make: Factory<'_>) {
    let store = make();
    let wall = fresh_wall();
    let (recorder, on_event) = Recorder::new();
    let subscription = store.subscribe(&wall, None, on_event);
    sleep(200).await;
    post(&*store, &wall, "seen").await;
    recorder
        .until("one message", |r| r.messages().len() == 1)
        .await;
    drop(subscription);
    let before = recorder.events.borrow().len();
    let unseen = post(&*store, &wall, "unseen").await;
    store.hug(&wall, unseen.id, &unique("h")).await.unwrap();
    sleep(QUIET_MS * 2).await;
    assert_eq!(
        recorder.events.borrow().len(),
        before,
        "{:?}",
        recorder.events.borrow()
    );
}
