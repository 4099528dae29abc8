//! The outbox against a store that fails at random: nothing lost, nothing
//! doubled, nothing out of order — across failures, a reload and going
//! offline.
#![cfg(target_arch = "wasm32")]

mod common;

use common::wall::{eventually, fresh_wall, mount_wall, options, prefix, tiny_backoff};
use hugops_core::wire::{
    ApiError, ErrorCode, HugCount, Message, MessageId, MessagePage, NewMessage, PageRequest,
    WallSlug,
};
use hugops_widget::backend::flaky::FlakyWallStore;
use hugops_widget::backend::memory_wall::MemoryWallStore;
use hugops_widget::backend::{LocalFuture, Subscription, WallEvent, WallStore};
use hugops_widget::outbox::{storage, Backoff, Outbox, OutboxEvent, OutboxOptions, PendingState};
use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::rc::Rc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn outbox_options(prefix: &str, backoff: Backoff) -> OutboxOptions {
    OutboxOptions {
        key_prefix: prefix.to_owned(),
        backoff,
        seed: Some(11),
    }
}

/// Counts what the outbox reports.
#[derive(Default)]
struct Log {
    delivered: Cell<u32>,
    refused: Cell<u32>,
    pending: RefCell<Vec<hugops_widget::outbox::Pending>>,
}

impl Log {
    fn handler(self: &Rc<Self>) -> Rc<dyn Fn(OutboxEvent)> {
        let log = self.clone();
        Rc::new(move |event| match event {
            OutboxEvent::Delivered(_) => log.delivered.set(log.delivered.get() + 1),
            OutboxEvent::Refused(_) => log.refused.set(log.refused.get() + 1),
            OutboxEvent::Changed(pending) => *log.pending.borrow_mut() = pending,
            OutboxEvent::Unreadable(_) => {}
        })
    }
}

fn body(i: usize) -> String {
    format!("post {i:03}")
}

#[wasm_bindgen_test]
async fn two_hundred_posts_through_a_flaky_store_arrive_once_in_order_across_a_reload() {
    let started = js_sys::Date::now();
    let server = MemoryWallStore::new();
    // 30% of calls never arrive; 20% of the posts that do are stored but
    // their answer is lost, the case only idempotency saves.
    let flaky = Rc::new(FlakyWallStore::new(Rc::new(server.clone()), 2024, 0.3, 0.2));
    let store: Rc<dyn WallStore> = flaky.clone();
    let wall = fresh_wall();
    let prefix = prefix();
    let log = Rc::new(Log::default());

    // The first page: 120 posts written, the page "reloads" mid-way.
    let first = Outbox::new(
        store.clone(),
        wall.clone(),
        outbox_options(&prefix, tiny_backoff()),
        log.handler(),
    );
    for i in 0..120 {
        first.enqueue(None, body(i), None);
    }
    let key = first.storage_key().to_owned();
    assert!(
        storage::get(&key).is_some_and(|saved| saved.contains("post 119")),
        "every post is saved before it is sent"
    );
    eventually("about half to be stored", 20, || server.count(&wall) >= 60).await;
    // The reload: the page goes away with posts still queued, maybe one in
    // flight (its answer will never be seen).
    drop(first);

    // The next page finds the queue in storage and carries on, and the
    // visitor writes 80 more.
    let second = Outbox::new(
        store.clone(),
        wall.clone(),
        outbox_options(&prefix, tiny_backoff()),
        log.handler(),
    );
    assert!(
        !second.pending().is_empty(),
        "the reloaded page found the queue"
    );
    for i in 120..200 {
        second.enqueue(None, body(i), None);
    }
    eventually("most to be stored while still flaky", 30, || {
        server.count(&wall) >= 150
    })
    .await;
    // The network recovers.
    flaky.set_rates(0.0, 0.0);
    eventually("the outbox to empty", 30, || second.pending().is_empty()).await;

    let stored = server.all(&wall);
    let bodies: Vec<String> = stored.iter().map(|m| m.body.clone()).collect();
    let expected: Vec<String> = (0..200).map(body).collect();
    assert_eq!(bodies, expected, "all 200, once each, in order");
    let client_ids: HashSet<&str> = stored
        .iter()
        .filter_map(|m| m.client_id.as_deref())
        .collect();
    assert_eq!(client_ids.len(), 200);
    assert!(
        flaky.failures() >= 40,
        "the store really failed ({} failures)",
        flaky.failures()
    );
    assert!(
        flaky.lost_responses() >= 10,
        "posts were stored with their answer lost ({})",
        flaky.lost_responses()
    );
    assert_eq!(log.refused.get(), 0);
    assert!(
        storage::get(&key).is_none(),
        "an empty outbox leaves nothing behind"
    );
    web_sys::console::log_1(
        &format!(
            "200 posts, {} calls, {} failures ({} after storing), {:.0} ms",
            flaky.calls(),
            flaky.failures(),
            flaky.lost_responses(),
            js_sys::Date::now() - started
        )
        .into(),
    );
}

#[wasm_bindgen_test]
async fn coming_back_online_sends_at_once_instead_of_waiting_out_the_back_off() {
    let server = MemoryWallStore::new();
    let flaky = Rc::new(FlakyWallStore::new(Rc::new(server.clone()), 1, 0.0, 0.0));
    let wall = fresh_wall();
    let log = Rc::new(Log::default());
    flaky.set_down(true);
    let slow = Backoff {
        initial_ms: 60_000,
        max_ms: 60_000,
        max_retry_after_ms: 60_000,
    };
    let outbox = Outbox::new(
        flaky.clone(),
        wall.clone(),
        outbox_options(&prefix(), slow),
        log.handler(),
    );
    outbox.enqueue(Some("Ana".into()), "hang in there".into(), None);
    eventually("the first attempt to fail", 5, || {
        matches!(
            outbox.pending().first().map(|p| &p.state),
            Some(PendingState::Retrying { .. })
        )
    })
    .await;
    flaky.set_down(false);
    let window = web_sys::window().unwrap();
    window
        .dispatch_event(&web_sys::Event::new("online").unwrap())
        .unwrap();
    eventually("delivery right after `online`", 3, || {
        log.delivered.get() == 1
    })
    .await;
    assert_eq!(server.count(&wall), 1);
    assert_eq!(server.all(&wall)[0].author.as_deref(), Some("Ana"));
}

/// Answers posts from a script of refusals first, then from the store.
struct Scripted {
    inner: MemoryWallStore,
    refusals: RefCell<Vec<ApiError>>,
    attempts: RefCell<Vec<f64>>,
}

impl WallStore for Scripted {
    fn list(
        &self,
        wall: &WallSlug,
        page: PageRequest,
    ) -> LocalFuture<'_, Result<MessagePage, ApiError>> {
        self.inner.list(wall, page)
    }

    fn post(
        &self,
        wall: &WallSlug,
        message: NewMessage,
    ) -> LocalFuture<'_, Result<Message, ApiError>> {
        self.attempts.borrow_mut().push(js_sys::Date::now());
        let refusal = {
            let mut refusals = self.refusals.borrow_mut();
            (!refusals.is_empty()).then(|| refusals.remove(0))
        };
        match refusal {
            Some(error) => Box::pin(async move { Err(error) }),
            None => self.inner.post(wall, message),
        }
    }

    fn hug(
        &self,
        wall: &WallSlug,
        message: MessageId,
        client_id: &str,
    ) -> LocalFuture<'_, Result<HugCount, ApiError>> {
        self.inner.hug(wall, message, client_id)
    }

    fn subscribe(
        &self,
        wall: &WallSlug,
        after: Option<MessageId>,
        on_event: Rc<dyn Fn(WallEvent)>,
    ) -> Subscription {
        self.inner.subscribe(wall, after, on_event)
    }
}

#[wasm_bindgen_test]
async fn a_rate_limit_is_waited_out_as_the_server_asks() {
    let store = Rc::new(Scripted {
        inner: MemoryWallStore::new(),
        refusals: RefCell::new(vec![ApiError::new(
            ErrorCode::RateLimited,
            "Slow down a little.",
        )
        .with_retry_after(1)]),
        attempts: RefCell::default(),
    });
    let wall = fresh_wall();
    let log = Rc::new(Log::default());
    let _outbox = Outbox::new(
        store.clone(),
        wall.clone(),
        outbox_options(&prefix(), tiny_backoff()),
        log.handler(),
    );
    _outbox.enqueue(None, "thank you".into(), None);
    eventually("delivery after the wait", 5, || log.delivered.get() == 1).await;
    let attempts = store.attempts.borrow().clone();
    assert_eq!(attempts.len(), 2);
    let waited = attempts[1] - attempts[0];
    assert!(
        waited >= 990.0,
        "retry_after: 1 s was honoured, though the back-off is tiny ({waited} ms)"
    );
}

#[wasm_bindgen_test]
async fn a_post_refused_for_good_goes_back_to_the_composer_with_the_reason() {
    let store = Rc::new(Scripted {
        inner: MemoryWallStore::new(),
        refusals: RefCell::new(vec![ApiError::new(
            ErrorCode::InvalidMessage,
            "Your message is 600 characters; the limit is 500.",
        )
        .with_field("body")]),
        attempts: RefCell::default(),
    });
    let wall = fresh_wall();
    let m = mount_wall(store.clone(), wall.clone(), options(&prefix()));
    m.wait_for_text("Be the first").await;
    m.type_name("Bo");
    m.type_message("A message the server will not take");
    m.send();
    m.wait_for_text("Your message wasn't posted").await;
    assert!(m.problem().contains("the limit is 500"), "{}", m.problem());
    assert_eq!(m.textarea().value(), "A message the server will not take");
    assert_eq!(m.name_input().value(), "Bo");
    assert_eq!(store.inner.count(&wall), 0);
    assert!(
        m.all(".hugops-message--pending").is_empty(),
        "it left the outbox"
    );
    assert_eq!(store.attempts.borrow().len(), 1, "a refusal is not retried");

    // Edited and sent again, it goes.
    m.type_message("A shorter one");
    m.send();
    m.wait_for(".hugops-message in the list", |m| {
        m.list_bodies() == ["A shorter one"]
    })
    .await;
    assert_eq!(m.problem(), "");
}

#[wasm_bindgen_test]
async fn a_message_written_while_the_wall_is_down_survives_a_reload() {
    let server = MemoryWallStore::new();
    let flaky = Rc::new(FlakyWallStore::new(Rc::new(server.clone()), 5, 0.0, 0.0));
    flaky.set_down(true);
    let wall = fresh_wall();
    let prefix = prefix();
    let mut opts = options(&prefix);
    // Slow enough that the first page is still waiting when it goes away.
    opts.send_backoff = Backoff {
        initial_ms: 30_000,
        max_ms: 30_000,
        max_retry_after_ms: 30_000,
    };
    let m = mount_wall(flaky.clone(), wall.clone(), opts.clone());
    m.wait_for_text("Can't reach the wall right now").await;
    m.type_message("We're with you 💙");
    m.send();
    m.wait_for("the post shown as saved and waiting", |m| {
        m.all(".hugops-message--pending[data-state=retrying]").len() == 1
    })
    .await;
    let pending = m.one(".hugops-message--pending").text_content().unwrap();
    assert!(pending.contains("We're with you 💙"), "{pending}");
    assert!(
        pending.contains("your message is saved and will be sent when we're back"),
        "{pending}"
    );
    assert_eq!(m.textarea().value(), "", "the composer is free again");
    drop(m);

    // The wall comes back; the visitor reloads the page.
    flaky.set_down(false);
    opts.send_backoff = tiny_backoff();
    let m = mount_wall(flaky.clone(), wall.clone(), opts);
    m.wait_for("the message on the wall", |m| {
        m.list_bodies() == ["We're with you 💙"]
    })
    .await;
    m.wait_for("the outbox to empty", |m| {
        m.all(".hugops-message--pending").is_empty()
    })
    .await;
    assert_eq!(server.count(&wall), 1, "sent once");
}

#[wasm_bindgen_test]
async fn a_saved_outbox_this_version_cannot_read_is_kept_and_the_visitor_told() {
    let server = MemoryWallStore::new();
    let wall = fresh_wall();
    let prefix = prefix();
    let key = format!("{prefix}outbox:{}", wall.as_str());

    // Corrupt: nothing can be recovered. It is kept under its own key, and
    // the composer says so.
    let corrupt = r#"{"v":1,"entries":[{"client_id":"a","body":"We're with yo"#;
    assert!(storage::set(&key, corrupt));
    let m = mount_wall(Rc::new(server.clone()), wall.clone(), options(&prefix));
    m.wait_for("the notice", |m| m.problem().contains("could not be read"))
        .await;
    assert!(m.problem().contains("not deleted"), "{}", m.problem());
    let aside = hugops_widget::outbox::saved::aside_key(&key, corrupt);
    assert_eq!(storage::get(&aside).as_deref(), Some(corrupt));
    drop(m);

    // A newer version's queue: its post is recovered and sent; the
    // original stays aside; nothing to tell.
    let newer =
        r#"{"v":2,"entries":[{"client_id":"from-v2","body":"Hang in there","mood":"calm"}]}"#;
    assert!(storage::set(&key, newer));
    let m = mount_wall(Rc::new(server.clone()), wall.clone(), options(&prefix));
    m.wait_for("the recovered post on the wall", |m| {
        m.list_bodies() == ["Hang in there"]
    })
    .await;
    assert_eq!(m.problem(), "");
    let aside = hugops_widget::outbox::saved::aside_key(&key, newer);
    assert_eq!(storage::get(&aside).as_deref(), Some(newer));
    assert_eq!(
        storage::get(&hugops_widget::outbox::saved::aside_key(&key, corrupt)).as_deref(),
        Some(corrupt),
        "the first one is still kept"
    );
    assert_eq!(server.count(&wall), 1);
}
