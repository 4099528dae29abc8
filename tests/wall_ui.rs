//! The HugOps wall mounted in headless Chromium: what a customer sees and
//! does — composing, sending, hugging, reading while messages arrive.
#![cfg(target_arch = "wasm32")]

mod common;

use common::en;

use common::wall::{
    eventually, fire, fresh_wall, mount_wall, options, post_as_someone, prefix, press,
};
use hugops_core::kindness::check;
use hugops_core::wire::{ModerationAction, WallSlug};
use hugops_widget::backend::flaky::FlakyWallStore;
use hugops_widget::backend::memory_wall::MemoryWallStore;
use hugops_widget::backend::WallStore;
use hugops_widget::wall::draft::STARTERS;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn seeded(n: usize) -> (MemoryWallStore, WallSlug) {
    let store = MemoryWallStore::new();
    let wall = fresh_wall();
    for i in 1..=n {
        post_as_someone(&store, &wall, &format!("message {i}"), None);
    }
    (store, wall)
}

#[wasm_bindgen_test]
async fn an_empty_wall_invites_the_first_message() {
    let m = mount_wall(
        Rc::new(MemoryWallStore::new()),
        fresh_wall(),
        options(&prefix()),
    );
    m.wait_for_text(&en("wall.empty")).await;
    assert_eq!(m.list_count(), 0);
}

#[wasm_bindgen_test]
async fn the_count_is_in_user_perceived_characters_and_over_the_limit_says_so() {
    let store = MemoryWallStore::new();
    let wall = fresh_wall();
    let m = mount_wall(Rc::new(store.clone()), wall.clone(), options(&prefix()));
    m.wait_for_text(&en("wall.empty")).await;
    m.type_message("👍🏽 ok 👨‍👩‍👧‍👦");
    m.wait_for_text("6 / 500").await;

    m.type_message(&"a".repeat(512));
    m.wait_for_text("512 / 500 — 12 over the limit").await;
    assert_eq!(
        m.textarea().get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    m.send();
    m.wait_for("the reason", |m| m.problem().contains("the limit is 500"))
        .await;
    assert_eq!(
        m.problem(),
        "Your message is 512 characters; the limit is 500. Please shorten it by 12."
    );
    assert_eq!(store.count(&wall), 0, "nothing is sent");
    assert_eq!(m.textarea().value().len(), 512, "the text stays");

    m.type_message("   ");
    m.send();
    m.wait_for("the empty reason", |m| m.problem().contains("empty"))
        .await;

    m.type_name(&"n".repeat(41));
    m.type_message("hello");
    m.send();
    m.wait_for("the name reason", |m| {
        m.problem().contains("Your name is 41")
    })
    .await;
    assert_eq!(store.count(&wall), 0);
}

#[wasm_bindgen_test]
async fn a_refusal_goes_once_the_text_it_was_about_is_edited() {
    let store = MemoryWallStore::new();
    let wall = fresh_wall();
    let m = mount_wall(Rc::new(store.clone()), wall.clone(), options(&prefix()));
    m.wait_for_text(&en("wall.empty")).await;
    m.type_message("   ");
    m.send();
    m.wait_for("the empty reason", |m| m.problem().contains("empty"))
        .await;
    assert_eq!(
        m.textarea().get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    m.type_message("thank you");
    m.wait_for("the stale reason to go", |m| m.problem().is_empty())
        .await;
    assert_eq!(
        m.textarea().get_attribute("aria-invalid").as_deref(),
        Some("false")
    );

    // Over the limit after an empty refusal: only the limit is said.
    m.type_message("");
    m.send();
    m.wait_for("the empty reason", |m| m.problem().contains("empty"))
        .await;
    m.type_message(&"a".repeat(520));
    m.wait_for_text("520 / 500 — 20 over the limit").await;
    assert!(!m.problem().contains("empty"), "{}", m.problem());
    assert_eq!(store.count(&wall), 0);
}

#[wasm_bindgen_test]
async fn enter_sends_shift_enter_does_not_and_ctrl_enter_does() {
    let store = MemoryWallStore::new();
    let wall = fresh_wall();
    let m = mount_wall(Rc::new(store.clone()), wall.clone(), options(&prefix()));
    m.wait_for_text(&en("wall.empty")).await;

    m.type_message("line one");
    press(&m.textarea(), "Enter", true, false);
    hugops_widget::browser::sleep(50).await;
    assert_eq!(store.count(&wall), 0, "Shift+Enter is a new line");

    press(&m.textarea(), "Enter", false, false);
    m.wait_for("the first post", |m| m.list_bodies() == ["line one"])
        .await;
    assert_eq!(m.textarea().value(), "", "the box is cleared");

    m.type_name("Ana");
    m.type_message("two");
    press(&m.textarea(), "Enter", true, true);
    m.wait_for("the second post", |m| {
        m.list_bodies() == ["two", "line one"]
    })
    .await;
    let newest = m.one(".hugops-wall__list .hugops-message__author");
    assert_eq!(newest.text_content().unwrap(), "Ana");
    m.wait_for_text(&en("wall.sent")).await;
}

#[wasm_bindgen_test]
async fn a_starter_fills_the_box_in_one_tap() {
    let store = MemoryWallStore::new();
    let wall = fresh_wall();
    let m = mount_wall(Rc::new(store.clone()), wall.clone(), options(&prefix()));
    m.wait_for_text(&en("wall.empty")).await;
    let chips = m.all(".hugops-chip");
    assert_eq!(chips.len(), STARTERS.len());
    chips[0].unchecked_ref::<web_sys::HtmlElement>().click();
    m.wait_for("the starter in the box", |m| {
        m.textarea().value() == en(STARTERS[0])
    })
    .await;
    m.send();
    m.wait_for("the starter on the wall", |m| {
        m.list_bodies() == [en(STARTERS[0])]
    })
    .await;
}

#[wasm_bindgen_test]
async fn the_kindness_nudge_suggests_a_rephrase_and_never_blocks() {
    let store = MemoryWallStore::new();
    let wall = fresh_wall();
    let m = mount_wall(Rc::new(store.clone()), wall.clone(), options(&prefix()));
    m.wait_for_text(&en("wall.empty")).await;
    let hostile = "you idiots, fire whoever did this";
    let nudge = check(hostile).expect("the check flags it");
    m.type_message(hostile);
    m.wait_for("the nudge", |m| !m.all(".hugops-nudge").is_empty())
        .await;
    let shown = m.one(".hugops-nudge").text_content().unwrap();
    assert!(shown.contains(&nudge.message), "{shown}");
    assert!(shown.contains(&nudge.suggestion), "{shown}");

    m.click(".hugops-nudge button");
    m.wait_for("the suggestion in the box", |m| {
        m.textarea().value() == nudge.suggestion
    })
    .await;
    m.wait_for("the nudge to go", |m| m.all(".hugops-nudge").is_empty())
        .await;

    // Sent as it is, it is sent: the nudge is advice, not a gate.
    m.type_message(hostile);
    m.send();
    m.wait_for("the post", |m| m.list_bodies() == [hostile])
        .await;

    // Supportive words about the outage are not nudged.
    m.type_message("The site is down and the fire is real, but you've got this!");
    hugops_widget::browser::sleep(50).await;
    assert!(m.all(".hugops-nudge").is_empty());
}

#[wasm_bindgen_test]
async fn cards_are_newest_first_with_author_time_and_one_hug_per_visitor() {
    let (store, wall) = seeded(0);
    post_as_someone(&store, &wall, "first", Some("Ana"));
    post_as_someone(&store, &wall, "second", None);
    let third = post_as_someone(&store, &wall, "third", Some("Bo"));
    let prefix = prefix();
    let m = mount_wall(Rc::new(store.clone()), wall.clone(), options(&prefix));
    m.wait_for("three cards", |m| m.list_bodies().len() == 3)
        .await;
    assert_eq!(m.list_bodies(), ["third", "second", "first"]);
    let authors: Vec<String> = m
        .all(".hugops-wall__list .hugops-message__author")
        .iter()
        .map(|a| a.text_content().unwrap())
        .collect();
    assert_eq!(authors, ["Bo", "Anonymous", "Ana"]);
    let time = m.one(".hugops-wall__list time");
    assert_eq!(
        time.get_attribute("datetime"),
        Some(third.created_at.to_rfc3339())
    );
    assert!(!time.get_attribute("title").unwrap_or_default().is_empty());
    assert_eq!(time.text_content().unwrap(), "just now");
    let rows = m.all(".hugops-wall__row");
    assert_eq!(rows[0].get_attribute("aria-posinset").as_deref(), Some("1"));
    assert_eq!(rows[0].get_attribute("aria-setsize").as_deref(), Some("3"));

    let hug = || m.one(".hugops-wall__list .hugops-hug");
    assert_eq!(
        hug().get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    hug().unchecked_ref::<web_sys::HtmlElement>().click();
    m.wait_for("the hug", |_| {
        hug().get_attribute("aria-pressed").as_deref() == Some("true")
    })
    .await;
    eventually("the store to count it", 2, || store.all(&wall)[2].hugs == 1).await;
    hug().unchecked_ref::<web_sys::HtmlElement>().click();
    hugops_widget::browser::sleep(50).await;
    assert_eq!(store.all(&wall)[2].hugs, 1, "one hug per visitor");
    let count = m.one(".hugops-wall__list .hugops-hug__count");
    assert_eq!(count.text_content().unwrap(), "1");
    assert!(
        hug().text_content().unwrap().contains('✓'),
        "pressed is shown by more than colour"
    );

    // Another visitor's hug arrives live.
    store.hug(&wall, third.id, "someone-else").await.unwrap();
    m.wait_for("the live count", |m| {
        m.one(".hugops-wall__list .hugops-hug__count")
            .text_content()
            .as_deref()
            == Some("2")
    })
    .await;

    // The visitor comes back later: the button remembers.
    drop(m);
    let m = mount_wall(Rc::new(store.clone()), wall.clone(), options(&prefix));
    m.wait_for("the cards", |m| m.list_bodies().len() == 3)
        .await;
    assert_eq!(
        m.one(".hugops-wall__list .hugops-hug")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("true")
    );
}

#[wasm_bindgen_test]
async fn a_pinned_message_stays_on_top() {
    let (store, wall) = seeded(5);
    let m = mount_wall(Rc::new(store.clone()), wall.clone(), options(&prefix()));
    m.wait_for("five cards", |m| m.list_bodies().len() == 5)
        .await;
    let first = store.all(&wall)[0].id;
    store.moderate(&wall, first, ModerationAction::Pin).unwrap();
    m.wait_for("the pinned section", |m| {
        !m.all(".hugops-wall__pinned .hugops-message").is_empty()
    })
    .await;
    let pinned = m.one(".hugops-wall__pinned").text_content().unwrap();
    assert!(pinned.contains("Pinned by the team"), "{pinned}");
    assert!(pinned.contains("message 1"), "{pinned}");
    assert_eq!(m.list_bodies().len(), 4, "not shown twice");
    // The pinned card comes before the list in the document.
    let order = m.all(".hugops-message__body");
    assert_eq!(order[0].text_content().unwrap(), "message 1");

    let hidden = store.all(&wall)[4].id;
    store
        .moderate(&wall, hidden, ModerationAction::Hide)
        .unwrap();
    m.wait_for("the hidden one to go", |m| m.list_bodies().len() == 3)
        .await;
    assert!(!m.text().contains("message 5"));
}

#[wasm_bindgen_test]
async fn arrivals_do_not_move_what_the_reader_is_reading() {
    let (store, wall) = seeded(40);
    let m = mount_wall(Rc::new(store.clone()), wall.clone(), options(&prefix()));
    m.wait_for("the cards", |m| m.list_count() == 40).await;

    // Arrivals at the top show at once.
    post_as_someone(&store, &wall, "live one", Some("Ana"));
    m.wait_for("the arrival", |m| {
        m.list_bodies().first().map(String::as_str) == Some("live one")
    })
    .await;

    // The reader scrolls down to read.
    let scroller = m.scroller();
    scroller.set_scroll_top(600);
    fire(&scroller, "scroll");
    hugops_widget::browser::sleep(100).await;
    let top_before = scroller.scroll_top();
    assert!(top_before > 500, "scrolled: {top_before}");
    let reading = first_visible_card(&m);

    for i in 0..3 {
        post_as_someone(&store, &wall, &format!("while reading {i}"), None);
    }
    m.wait_for("the new-messages button", |m| {
        m.text().contains("3 new messages")
    })
    .await;
    assert_eq!(scroller.scroll_top(), top_before, "the scroll did not move");
    assert_eq!(first_visible_card(&m), reading, "the same card is in view");
    assert_eq!(m.list_count(), 41, "held back, not yet in the list");

    m.click(".hugops-wall__new");
    m.wait_for("the new messages on top", |m| {
        m.list_bodies().first().map(String::as_str) == Some("while reading 2")
    })
    .await;
    assert_eq!(m.list_count(), 44);
    assert!(m.all(".hugops-wall__new").is_empty());
}

/// The id of the first card whose bottom is inside the scroll box.
fn first_visible_card(m: &common::Mounted) -> String {
    let top = m.scroller().scroll_top();
    m.all(".hugops-wall__list .hugops-wall__row")
        .into_iter()
        .map(|row| row.unchecked_into::<web_sys::HtmlElement>())
        .find(|row| row.offset_top() + row.offset_height() > top + 1)
        .and_then(|row| row.get_attribute("data-row-id"))
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn arrivals_are_announced_politely_and_a_flood_is_gathered() {
    let (store, wall) = seeded(1);
    let m = mount_wall(Rc::new(store.clone()), wall.clone(), options(&prefix()));
    m.wait_for("the card", |m| m.list_count() == 1).await;
    let region = m.one("[data-hugops-announcer]");
    assert_eq!(region.get_attribute("aria-live").as_deref(), Some("polite"));

    post_as_someone(&store, &wall, "Hang in there!", Some("Ana"));
    m.wait_for("the first announcement", |m| {
        m.announcement() == "New message from Ana: Hang in there!"
    })
    .await;
    for i in 0..5 {
        post_as_someone(&store, &wall, &format!("flood {i}"), None);
    }
    hugops_widget::browser::sleep(50).await;
    assert_eq!(
        m.announcement(),
        "New message from Ana: Hang in there!",
        "not one announcement per message"
    );
    m.wait_for("the gathered announcement", |m| {
        m.announcement() == "5 new messages on the wall."
    })
    .await;

    // Your own message is not announced to you.
    m.type_message("mine");
    m.send();
    m.wait_for("my post", |m| {
        m.list_bodies().first().map(String::as_str) == Some("mine")
    })
    .await;
    hugops_widget::browser::sleep(400).await;
    assert!(!m.announcement().contains("mine"));
}

#[wasm_bindgen_test]
async fn an_arrival_adds_one_card_and_re_renders_none() {
    let (store, wall) = seeded(5);
    let m = mount_wall(Rc::new(store.clone()), wall.clone(), options(&prefix()));
    m.wait_for("the cards", |m| m.list_count() == 5).await;
    let before = m.all(".hugops-wall__list .hugops-message");
    for card in &before {
        card.set_attribute("data-marked", "").unwrap();
    }
    post_as_someone(&store, &wall, "new", None);
    m.wait_for("the arrival", |m| m.list_count() == 6).await;
    let after = m.all(".hugops-wall__list .hugops-message");
    assert_eq!(after.len(), 6);
    assert!(!after[0].has_attribute("data-marked"), "the new card");
    for (old, now) in before.iter().zip(&after[1..]) {
        assert!(old.is_same_node(Some(now)), "the same element, kept");
    }
}

#[wasm_bindgen_test]
async fn load_older_pages_by_cursor() {
    let (store, wall) = seeded(120);
    let mut opts = options(&prefix());
    opts.page_size = 50;
    let m = mount_wall(Rc::new(store.clone()), wall.clone(), opts);
    m.wait_for("the first page", |m| m.list_count() == 50).await;
    assert_eq!(m.list_bodies()[0], "message 120");
    m.click(".hugops-wall__older button");
    m.wait_for("the second page", |m| m.list_count() == 100)
        .await;
    m.click(".hugops-wall__older button");
    m.wait_for("the last page", |m| m.list_count() == 120).await;
    m.wait_for("no more to load", |m| {
        m.all(".hugops-wall__older").is_empty()
    })
    .await;
}

#[wasm_bindgen_test]
async fn ten_thousand_messages_render_a_window_and_scrolling_reveals_the_rest() {
    let (store, wall) = seeded(10_000);
    let mut opts = options(&prefix());
    opts.page_size = 200;
    let m = mount_wall(Rc::new(store.clone()), wall.clone(), opts);
    m.wait_for("the first page", |m| m.list_count() == 200)
        .await;
    let started = js_sys::Date::now();
    while m.list_count() < 10_000 {
        let count = m.list_count();
        m.click(".hugops-wall__older button");
        m.wait_for("the next page", |m| m.list_count() > count)
            .await;
        let rendered = m.all(".hugops-wall__list .hugops-message").len();
        assert!(rendered < 200, "{rendered} cards in the DOM");
    }
    let loading_ms = js_sys::Date::now() - started;
    let cards = m.all(".hugops-wall__list .hugops-message").len();
    assert!(cards < 200, "{cards} cards in the DOM for 10,000 messages");
    assert!(cards > 3, "the visible ones are rendered: {cards}");
    assert_eq!(
        m.one(".hugops-wall__row")
            .get_attribute("aria-setsize")
            .as_deref(),
        Some("10000")
    );

    // Scroll to the very bottom: the oldest messages appear.
    let scroller = m.scroller();
    let started = js_sys::Date::now();
    scroller.set_scroll_top(scroller.scroll_height());
    fire(&scroller, "scroll");
    m.wait_for("the oldest message", |m| {
        m.list_bodies().iter().any(|b| b == "message 1")
    })
    .await;
    let scroll_ms = js_sys::Date::now() - started;
    let cards = m.all(".hugops-wall__list .hugops-message").len();
    assert!(cards < 200, "{cards} cards after scrolling");
    assert!(!m.list_bodies().iter().any(|b| b == "message 10000"));

    // And the middle.
    scroller.set_scroll_top(scroller.scroll_height() / 2);
    fire(&scroller, "scroll");
    m.wait_for("the middle", |m| {
        m.list_bodies().iter().any(|b| {
            b.trim_start_matches("message ")
                .parse::<u32>()
                .is_ok_and(|n| (3_000..7_000).contains(&n))
        })
    })
    .await;
    web_sys::console::log_1(
        &format!("10,000 messages: loaded in {loading_ms:.0} ms, scroll to the end in {scroll_ms:.0} ms, {cards} cards rendered").into(),
    );
}

#[wasm_bindgen_test]
async fn an_unreachable_wall_says_so_and_recovers_by_itself() {
    let server = MemoryWallStore::new();
    let flaky = Rc::new(FlakyWallStore::new(Rc::new(server.clone()), 3, 0.0, 0.0));
    flaky.set_down(true);
    let wall = fresh_wall();
    let mut opts = options(&prefix());
    opts.load_backoff.initial_ms = 100;
    opts.load_backoff.max_ms = 200;
    let m = mount_wall(flaky.clone(), wall.clone(), opts);
    m.wait_for_text(&en("wall.unreachable")).await;
    assert!(m.text().contains("We'll keep trying by ourselves."));
    post_as_someone(&server, &wall, "hello from before", None);
    flaky.set_down(false);
    m.wait_for("the wall", |m| m.list_bodies() == ["hello from before"])
        .await;
    assert!(!m.text().contains(&en("wall.unreachable")));
}
