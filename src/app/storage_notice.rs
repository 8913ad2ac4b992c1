//! The warning shown while the browser does not keep the learner's edits (its storage is full
//! or disabled), with a button that downloads every file of the workspace as it is now.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use super::Ctx;
use crate::workspace::{self, Refused};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = URL, js_name = createObjectURL, catch)]
    fn create_object_url(blob: &web_sys::Blob) -> Result<String, JsValue>;

    #[wasm_bindgen(js_namespace = URL, js_name = revokeObjectURL)]
    fn revoke_object_url(url: &str);
}

#[component]
pub fn StorageNotice() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    // The address of the last download; revoked when the next one is made.
    let last_url = StoredValue::new(None::<String>);
    let download = move |_| {
        let files = ctx.sources(None);
        let pairs: Vec<(String, String)> = files.into_iter().map(|f| (f.path, f.text)).collect();
        let sheet = ctx.sheet_id();
        let text = workspace::export(&sheet, &pairs);
        match offer(&format!("{sheet}.yaml"), &text) {
            Some(url) => {
                if let Some(old) = last_url.get_value() {
                    revoke_object_url(&old);
                }
                last_url.set_value(Some(url));
            }
            None => ctx.banner.set(Some(kubefiche_core::Text::new(
                crate::i18n::Lang::En.t("keep.download.failed"),
                crate::i18n::Lang::Fr.t("keep.download.failed"),
            ))),
        }
    };
    move || {
        let refused = ctx.keeping.with(|k| k.refused)?;
        let why = match refused {
            Refused::Full => "keep.full",
            Refused::Disabled => "keep.disabled",
        };
        let unsaved = ctx
            .keeping
            .with(|k| k.unsaved.iter().cloned().collect::<Vec<_>>());
        Some(view! {
            <section class="storage-notice" role="alert" data-refused=why>
                <p class="title">{move || lang.get().t("keep.title")}</p>
                <p>{move || lang.get().t(why)}</p>
                {(!unsaved.is_empty()).then(|| view! {
                    <p class="unsaved">{move || lang.get().t("keep.unsaved")}" "<code>{unsaved.join(", ")}</code></p>
                })}
                <button type="button" class="primary" on:click=download>
                    {move || lang.get().t("keep.download")}
                </button>
            </section>
        })
    }
}

/// Hand `text` to the browser as a download named `name`; the Blob's address, to revoke later.
fn offer(name: &str, text: &str) -> Option<String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let blob = web_sys::Blob::new_with_str_sequence(&parts).ok()?;
    let url = create_object_url(&blob).ok()?;
    let link = document().create_element("a").ok()?;
    link.set_attribute("href", &url).ok()?;
    link.set_attribute("download", name).ok()?;
    let link: web_sys::HtmlElement = link.dyn_into().ok()?;
    link.click();
    Some(url)
}
