//! The `local` store keeps tabs in sync. A same-origin iframe plays the
//! other tab: it has its own window and document but shares localStorage,
//! so the browser fires a real `storage` event in this document when the
//! iframe's store writes — exactly what happens between two tabs.
#![cfg(target_arch = "wasm32")]

mod common;

use common::wall::{eventually, fresh_wall, mount_wall, new_message, options, prefix};
use common::wall_conformance::init_executor;
use hugops_core::wire::{HugCount, Message, PageRequest, StreamEvent};
use hugops_widget::backend::local::LocalWallStore;
use hugops_widget::backend::{WallEvent, WallStore};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// "Another tab": a same-origin iframe's window.
struct OtherTab {
    frame: web_sys::Element,
    window: web_sys::Window,
}

impl OtherTab {
    async fn open() -> OtherTab {
        let document = web_sys::window().unwrap().document().unwrap();
        let frame = document.create_element("iframe").unwrap();
        document.body().unwrap().append_child(&frame).unwrap();
        hugops_widget::browser::sleep(50).await;
        let window: web_sys::Window = js_sys::Reflect::get(&frame, &"contentWindow".into())
            .unwrap()
            .unchecked_into();
        OtherTab { frame, window }
    }
}

impl Drop for OtherTab {
    fn drop(&mut self) {
        self.frame.remove();
    }
}

fn messages(events: &RefCell<Vec<WallEvent>>) -> Vec<Message> {
    events
        .borrow()
        .iter()
        .filter_map(|e| match e {
            WallEvent::Stream(StreamEvent::Message { message }) => Some(message.clone()),
            _ => None,
        })
        .collect()
}

#[wasm_bindgen_test]
async fn a_post_in_another_tab_reaches_this_tabs_subscription() {
    init_executor();
    let prefix = prefix();
    let wall = fresh_wall();
    let tab = OtherTab::open().await;
    let there = LocalWallStore::for_window(tab.window.clone(), &prefix);
    let here = LocalWallStore::with_prefix(&prefix);

    let events: Rc<RefCell<Vec<WallEvent>>> = Rc::default();
    let sink = events.clone();
    let _subscription = here.subscribe(&wall, None, Rc::new(move |e| sink.borrow_mut().push(e)));
    hugops_widget::browser::sleep(50).await;

    let posted = there
        .post(&wall, new_message("from the other tab", Some("Ana")))
        .await
        .unwrap();
    eventually("the other tab's post", 3, || messages(&events).len() == 1).await;
    // Another tab gets the message as the public does (no `client_id`:
    // only the poster's own answer carries it).
    assert_eq!(messages(&events), [hugops_core::wall::public_view(&posted)]);

    there.hug(&wall, posted.id, "someone").await.unwrap();
    eventually("the other tab's hug", 3, || {
        events.borrow().iter().any(|e| {
            *e == WallEvent::Stream(StreamEvent::Hugs(HugCount {
                message_id: posted.id,
                hugs: 1,
            }))
        })
    })
    .await;

    // Both tabs read the same wall.
    let listed = here.list(&wall, PageRequest::default()).await.unwrap();
    assert_eq!(listed.messages.len(), 1);
    assert_eq!(listed.messages[0].hugs, 1);
    hugops_widget::browser::sleep(200).await;
    assert_eq!(messages(&events).len(), 1, "delivered once");
}

#[wasm_bindgen_test]
async fn two_mounted_walls_on_local_storage_see_each_others_posts() {
    let prefix = prefix();
    let wall = fresh_wall();
    let tab = OtherTab::open().await;
    let here = mount_wall(
        Rc::new(LocalWallStore::with_prefix(&prefix)),
        wall.clone(),
        options(&prefix),
    );
    here.wait_for_text("Be the first").await;

    // A post from the other tab appears live on this tab's wall.
    let there = LocalWallStore::for_window(tab.window.clone(), &prefix);
    there
        .post(&wall, new_message("hello from tab A", None))
        .await
        .unwrap();
    here.wait_for("tab A's post", |m| m.list_bodies() == ["hello from tab A"])
        .await;

    // And a second widget in this same document sees this one's posts.
    let neighbour = mount_wall(
        Rc::new(LocalWallStore::with_prefix(&prefix)),
        wall.clone(),
        options(&prefix),
    );
    neighbour
        .wait_for("the existing post", |m| m.list_bodies().len() == 1)
        .await;
    here.type_message("hello from tab B");
    here.send();
    neighbour
        .wait_for("tab B's post", |m| {
            m.list_bodies() == ["hello from tab B", "hello from tab A"]
        })
        .await;
    let stored = LocalWallStore::with_prefix(&prefix)
        .list(&wall, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(stored.messages.len(), 2, "stored once");
}
