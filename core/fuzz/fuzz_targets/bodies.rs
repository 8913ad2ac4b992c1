//! The proxy's request bodies, read as it reads them: any bytes as the JSON of an apply or a
//! command; what parses goes through what the proxy runs before the cluster (counting the
//! objects, validation with the playground's policy, the policy of each object, the command
//! parser). No panic, loop or stack overflow, whatever arrives.
#![no_main]

use kubefiche_core::command;
use kubefiche_core::manifest::{self, count_objects};
use kubefiche_core::policy::{self, Policy, Settings};
use kubefiche_core::validate::{Options, validate_workspace};
use kubefiche_core::wire::{ApplyRequest, CommandRequest};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(request) = serde_json::from_slice::<ApplyRequest>(data) {
        let objects: usize = request.files.iter().map(|f| count_objects(&f.text)).sum();
        if objects > 500 {
            return;
        }
        let settings = Settings::default();
        let options = Options {
            policy: Some(Policy {
                namespace: "learner".into(),
                settings,
            }),
            ..Options::default()
        };
        for finding in validate_workspace(&request.files, &options) {
            assert!(!finding.message.fr.is_empty(), "{finding:?}");
        }
        for file in &request.files {
            for object in manifest::parse_file(file).0 {
                if let Err(refusal) = policy::admit(&object, "learner", &settings) {
                    let _ = refusal.diagnostic(&object);
                }
            }
        }
    }
    if let Ok(request) = serde_json::from_slice::<CommandRequest>(data) {
        let _ = command::parse(&request.line);
    }
});
