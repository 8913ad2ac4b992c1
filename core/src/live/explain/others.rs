//! Why a workload, a claim or a Service does not do what it should.

use super::{Context, Explanation, Sources};
use crate::live::{Live, LiveObject};

pub(super) fn explain(
    _live: &Live,
    _sources: &Sources,
    _cx: &Context<'_>,
    _object: &LiveObject,
    _into: &mut Vec<Explanation>,
) {
}
