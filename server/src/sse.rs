//! The Server-Sent Events wire format, written once per event.
//!
//! The stream sends the same frame to every reader of a wall, so a frame
//! is rendered into shared bytes ([`event_frame`]) instead of once per
//! reader. Field order and spacing are the ones EventSource and the
//! widget's parser read: `event:`, `id:`, one `data:` line per line of
//! the JSON, then a blank line.

use crate::store::WallEvent;
use axum::body::Bytes;
use std::time::Duration;

/// The `Content-Type` of a stream.
pub const CONTENT_TYPE: &str = "text/event-stream";

/// A comment frame: keeps proxies from closing an idle stream.
pub const KEEP_ALIVE: Bytes = Bytes::from_static(b":\n\n");

/// The first frame of every stream: the reconnect hint, and a comment so
/// that the client sees bytes at once (the stream is open).
pub fn greeting(retry: Duration) -> Bytes {
    Bytes::from(format!("retry: {}\n: hugops\n\n", retry.as_millis()))
}

/// One event of the log as an SSE frame.
pub fn event_frame(event: &WallEvent) -> Bytes {
    let mut frame = String::with_capacity(event.name.len() + event.data.len() + 48);
    frame.push_str("event: ");
    frame.push_str(&event.name);
    frame.push_str("\nid: ");
    frame.push_str(&event.seq.to_string());
    frame.push('\n');
    // Compact JSON holds no line break; should one ever appear, each line
    // is a `data:` line of its own, which the reader joins back with `\n`.
    for line in event.data.split('\n') {
        frame.push_str("data: ");
        frame.push_str(line.strip_suffix('\r').unwrap_or(line));
        frame.push('\n');
    }
    frame.push('\n');
    Bytes::from(frame)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hugops_core::wire::WallSlug;

    #[test]
    fn frames_are_what_event_source_reads() {
        let event = |data: &str| WallEvent {
            seq: 42,
            wall: WallSlug::parse("w").unwrap(),
            name: "hugs".into(),
            data: data.into(),
        };
        assert_eq!(
            &event_frame(&event(r#"{"a":1}"#))[..],
            b"event: hugs\nid: 42\ndata: {\"a\":1}\n\n"
        );
        assert_eq!(
            &event_frame(&event("one\r\ntwo"))[..],
            b"event: hugs\nid: 42\ndata: one\ndata: two\n\n"
        );
        assert_eq!(
            &greeting(Duration::from_secs(2))[..],
            b"retry: 2000\n: hugops\n\n"
        );
    }
}
