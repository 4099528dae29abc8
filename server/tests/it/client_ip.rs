//! Which client a request counts against for the write limits, over real
//! sockets: IPv4 clients of a dual-stack (`[::]`) listener each have their
//! own bucket, and `X-Forwarded-For` entries with a port are read.

use crate::common::*;
use serde_json::json;
use std::net::{IpAddr, Ipv4Addr};
use tokio::net::TcpListener;

const POSTS: &str = "/api/v1/walls/general/messages";

fn client_from(local: Ipv4Addr) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(local))
        .build()
        .unwrap()
}

async fn post(client: &reqwest::Client, url: &str, forwarded: Option<&str>) -> u16 {
    let mut request = client
        .post(url)
        .json(&json!({"body": "hang in there", "client_id": unique_id()}));
    if let Some(forwarded) = forwarded {
        request = request.header("x-forwarded-for", forwarded);
    }
    request.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn ipv4_clients_of_a_dual_stack_listener_have_their_own_buckets() {
    let app = start_with(|c| {
        c.rate_burst = 10;
        c.rate_per_minute = 30;
    })
    .await;
    // Bound to every IPv6 and (mapped) IPv4 address: peers show up as
    // `::ffff:127.0.0.1`.
    let served = serve_on(
        TcpListener::bind("[::]:0").await.unwrap(),
        app.state.clone(),
    );
    let url = format!("http://127.0.0.1:{}{POSTS}", served.addr.port());
    let first = client_from(Ipv4Addr::new(127, 0, 0, 1));
    for n in 0..10 {
        assert_eq!(post(&first, &url, None).await, 201, "post {n}");
    }
    assert_eq!(
        post(&first, &url, None).await,
        429,
        "127.0.0.1 used its burst"
    );
    let second = client_from(Ipv4Addr::new(127, 0, 0, 2));
    assert_eq!(
        post(&second, &url, None).await,
        201,
        "127.0.0.2 is another client, not the same IPv6 /64"
    );
    served.stop().await;
}

#[tokio::test]
async fn forwarded_entries_with_a_port_are_the_client() {
    let app = start_with(|c| {
        c.rate_burst = 2;
        c.rate_per_minute = 30;
        c.trust_proxy = true;
    })
    .await;
    let served = serve(app.state.clone()).await;
    let url = served.url(POSTS);
    let client = reqwest::Client::new();
    // Each of these is one client, whichever port its proxy wrote.
    for (a, b) in [
        ("203.0.113.5:40001", "203.0.113.5:40002"),
        ("[2001:db8::5]:443", "2001:db8::5"),
        ("198.51.100.9", "::ffff:198.51.100.9"),
    ] {
        assert_eq!(post(&client, &url, Some(a)).await, 201, "{a}");
        assert_eq!(post(&client, &url, Some(b)).await, 201, "{b}");
        assert_eq!(
            post(&client, &url, Some(&format!("192.0.2.1, {a}"))).await,
            429,
            "{a} and {b} are one client, out of burst"
        );
    }
    // What the client claimed before the proxy's entry does not count, even
    // when the proxy's entry cannot be read: the peer is the client then.
    assert_eq!(post(&client, &url, Some("198.18.0.1, unknown")).await, 201);
    assert_eq!(post(&client, &url, Some("198.18.0.2, unknown")).await, 201);
    assert_eq!(
        post(&client, &url, Some("198.18.0.3, unknown")).await,
        429,
        "all three are the loopback peer"
    );
    served.stop().await;
}
