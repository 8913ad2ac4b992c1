//! Server-sent events read from a `fetch` response body: the event stream of the cluster view
//! and the output of a command share this reader.

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Why reading a stream stopped before the server ended it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Broken {
    /// The response had no readable body.
    NoBody,
    /// The connection broke, or the page aborted the request.
    Interrupted,
}

/// Split complete server-sent events off the front of `buffer` and return their data fields.
pub fn take_events(buffer: &mut String) -> Vec<String> {
    let mut found = Vec::new();
    while let Some(end) = buffer.find("\n\n") {
        let block: String = buffer.drain(..end + 2).collect();
        let data: Vec<&str> = block
            .lines()
            .filter_map(|line| line.strip_prefix("data:"))
            .map(|d| d.strip_prefix(' ').unwrap_or(d))
            .collect();
        if !data.is_empty() {
            found.push(data.join("\n"));
        }
    }
    found
}

/// Read `response`'s body to its end, handing each event's data to `on_data` as it arrives.
/// `Ok` when the server closed the stream.
pub async fn read(
    response: &gloo_net::http::Response,
    mut on_data: impl FnMut(String),
) -> Result<(), Broken> {
    let body = response.body().ok_or(Broken::NoBody)?;
    let reader: web_sys::ReadableStreamDefaultReader =
        body.get_reader().dyn_into().map_err(|_| Broken::NoBody)?;
    let decoder = web_sys::TextDecoder::new().map_err(|_| Broken::NoBody)?;
    let options = web_sys::TextDecodeOptions::new();
    options.set_stream(true);
    let mut buffer = String::new();
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|_| Broken::Interrupted)?;
        let done = Reflect::get(&chunk, &JsValue::from_str("done"))
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            // What is left without the closing blank line still counts.
            buffer.push_str("\n\n");
            take_events(&mut buffer).into_iter().for_each(&mut on_data);
            return Ok(());
        }
        let bytes: Uint8Array = Reflect::get(&chunk, &JsValue::from_str("value"))
            .map_err(|_| Broken::Interrupted)?
            .dyn_into()
            .map_err(|_| Broken::Interrupted)?;
        let text = decoder
            .decode_with_js_u8_array_and_options(&bytes, &options)
            .map_err(|_| Broken::Interrupted)?;
        buffer.push_str(&text.replace("\r\n", "\n"));
        take_events(&mut buffer).into_iter().for_each(&mut on_data);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_server_sent_events_across_chunks() {
        let mut buffer = String::from(": keep-alive\n\ndata: {\"a\":1}\n\ndata: {\"b\"");
        assert_eq!(take_events(&mut buffer), vec!["{\"a\":1}".to_owned()]);
        buffer.push_str(":2}\n\n");
        assert_eq!(take_events(&mut buffer), vec!["{\"b\":2}".to_owned()]);
        assert!(buffer.is_empty());
    }

    #[test]
    fn data_on_several_lines_is_one_event() {
        let mut buffer = String::from("event: x\ndata: a\ndata:b\n\n");
        assert_eq!(take_events(&mut buffer), vec!["a\nb".to_owned()]);
    }
}
