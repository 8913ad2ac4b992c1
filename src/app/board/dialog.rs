//! A real confirmation dialog (`<dialog>`, modal): open while `asked` holds, closed by Escape,
//! Cancel or the action, which runs only on its button.

use leptos::html::Dialog;
use leptos::prelude::*;

use crate::app::Ctx;

#[component]
pub fn Confirm(
    /// The dialog's id; its buttons are `ID-cancel` and `ID-confirm`.
    id: &'static str,
    #[prop(into)] asked: Signal<bool>,
    #[prop(into)] title: Signal<String>,
    /// The label keys of the explanation and of the action's button.
    body: &'static str,
    action: &'static str,
    /// Runs when the action is confirmed.
    on_yes: impl Fn() + Copy + 'static,
    /// Runs whenever the dialog closes (then `asked` must stop holding).
    on_close: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let lang = expect_context::<Ctx>().lang;
    let dialog = NodeRef::<Dialog>::new();
    Effect::new(move |_| {
        let open = asked.get();
        if let Some(d) = dialog.get() {
            if open && !d.open() {
                let _ = d.show_modal();
            } else if !open && d.open() {
                d.close();
            }
        }
    });
    let close = move || {
        if let Some(d) = dialog.get_untracked() {
            d.close();
        }
    };
    let title_id = format!("{id}-title");
    let labelled = title_id.clone();
    view! {
        <dialog id=id class="confirm" node_ref=dialog aria-labelledby=labelled on:close=move |_| on_close()>
            <h3 id=title_id>{move || title.get()}</h3>
            <p>{move || lang.get().t(body)}</p>
            <div class="confirm-buttons">
                <button id=format!("{id}-cancel") type="button" class="cancel" autofocus on:click=move |_| close()>
                    {move || lang.get().t("confirm.cancel")}
                </button>
                <button id=format!("{id}-confirm") type="button" class="danger confirm-delete" on:click=move |_| {
                    on_yes();
                    close();
                }>
                    {move || lang.get().t(action)}
                </button>
            </div>
        </dialog>
    }
}
