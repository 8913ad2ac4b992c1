//! An interactive terminal in the page for `kubectl exec -it …`.

use leptos::prelude::*;

/// A terminal running `line` (an `exec -it` command line, placeholders filled) in a pod.
/// `on_exit` is called once with the session's exit status when it ends.
#[component]
pub fn Terminal(line: String, on_exit: Callback<Option<i32>>) -> impl IntoView {
    let _ = on_exit;
    view! { <div class="terminal" data-line=line></div> }
}
