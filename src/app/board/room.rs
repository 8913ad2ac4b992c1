//! The room at a glance: what goes wrong for most learners right now, five lines at most.

use kubefiche_core::wire::class::common_problems;
use leptos::prelude::*;

use super::Board;
use crate::app::Ctx;
use crate::i18n::Lang;

/// How many problems the room shows.
pub const TOP: usize = 5;

/// "9 learners" in `lang`.
pub fn learners(count: u32, lang: Lang) -> String {
    match (lang, count) {
        (Lang::En, 1) => "1 learner".to_owned(),
        (Lang::En, n) => format!("{n} learners"),
        (Lang::Fr, 1) => "1 apprenant·e".to_owned(),
        (Lang::Fr, n) => format!("{n} apprenant·es"),
    }
}

#[component]
pub fn Room() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let board = expect_context::<Board>();
    let lang = ctx.lang;
    let top = Memo::new(move |_| {
        board.state.with(|s| {
            let mut all = common_problems(&s.seats);
            all.truncate(TOP);
            all
        })
    });
    view! {
        <section id="room" class="room" aria-labelledby="room-title">
            <h2 id="room-title">{move || lang.get().t("room.title")}</h2>
            {move || top.with(Vec::is_empty).then(|| view! { <p class="none">{lang.get().t("room.none")}</p> })}
            <ol id="room-problems" class="room-problems">
                {move || top.get().into_iter().enumerate().map(|(i, (count, text))| view! {
                    <li class="room-problem" class:first=i == 0 data-count=count>
                        <strong>{learners(count, lang.get())}</strong>
                        {lang.get().t("colon")}" "
                        <span>{text.get(lang.get().code()).to_owned()}</span>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learners_are_counted_in_words() {
        assert_eq!(learners(1, Lang::En), "1 learner");
        assert_eq!(learners(9, Lang::En), "9 learners");
        assert_eq!(learners(9, Lang::Fr), "9 apprenant·es");
    }
}
