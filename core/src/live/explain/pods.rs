//! Why a pod does not run.

use super::{Context, Explanation, Sources};
use crate::live::{Live, LiveObject};

pub(super) fn explain(
    _live: &Live,
    _sources: &Sources,
    _cx: &Context<'_>,
    _pod: &LiveObject,
    _into: &mut Vec<Explanation>,
) {
}
