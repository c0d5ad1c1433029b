use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::*;

fn spec() -> TotpSpec {
    TotpSpec::parse("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", None, None, None)
        .unwrap_or_else(|err| panic!("{err}"))
}

fn at(secs: u64, millis: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs) + Duration::from_millis(millis)
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|err| panic!("temp dir: {err}"))
}

#[test]
fn first_claim_is_the_current_step_without_wait() {
    let ledger = Ledger::new(None);
    let claim = ledger.claim(&spec(), at(1_767_225_610, 0));
    assert_eq!(claim.step, 1_767_225_610 / 30);
    assert_eq!(claim.code, spec().code_at(1_767_225_610));
    assert_eq!(claim.wait, Duration::ZERO);
}

#[test]
fn second_claim_in_same_step_waits_for_the_next() {
    let ledger = Ledger::new(None);
    let now = at(1_767_225_610, 250); // 10.25 s into a step starting at ...600
    let first = ledger.claim(&spec(), now);
    let second = ledger.claim(&spec(), now);
    assert_eq!(second.step, first.step + 1);
    assert_ne!(second.code, first.code);
    assert_eq!(second.code, spec().code_at(1_767_225_630));
    assert_eq!(second.wait, Duration::from_millis(19_750));
    let third = ledger.claim(&spec(), now);
    assert_eq!(third.step, first.step + 2);
    assert_eq!(third.wait, Duration::from_millis(49_750));
}

#[test]
fn different_secrets_do_not_block_each_other() {
    let ledger = Ledger::new(None);
    let other =
        TotpSpec::parse("JBSWY3DPEHPK3PXP", None, None, None).unwrap_or_else(|e| panic!("{e}"));
    let now = at(1_767_225_610, 0);
    ledger.claim(&spec(), now);
    assert_eq!(ledger.claim(&other, now).wait, Duration::ZERO);
}

#[test]
fn a_later_step_is_fresh_again() {
    let ledger = Ledger::new(None);
    ledger.claim(&spec(), at(1_767_225_610, 0));
    let later = ledger.claim(&spec(), at(1_767_225_640, 0));
    assert_eq!(later.step, 1_767_225_640 / 30);
    assert_eq!(later.wait, Duration::ZERO);
}

#[test]
fn persisted_across_ledgers_on_the_same_folder() {
    let dir = temp_dir();
    let cache = dir.path().join("cache").join("sesame");
    let now = at(1_767_225_610, 0);
    let first = Ledger::new(Some(cache.clone())).claim(&spec(), now);
    let second = Ledger::new(Some(cache.clone())).claim(&spec(), now);
    assert_eq!(second.step, first.step + 1);
    assert!(second.wait > Duration::ZERO);
    // Both entries are in the file (read-merge-write kept the first).
    let third = Ledger::new(Some(cache.clone())).claim(&spec(), now);
    assert_eq!(third.step, first.step + 2);
    assert!(!cache.join(LOCK_NAME).exists());
    let text = std::fs::read_to_string(cache.join(FILE_NAME)).unwrap_or_default();
    assert!(!text.contains("GEZDGNBV"));
    assert!(text.contains(&spec().fingerprint()));
}

#[test]
fn old_entries_are_pruned() {
    let dir = temp_dir();
    let now = at(1_767_225_610, 0);
    Ledger::new(Some(dir.path().to_path_buf())).claim(&spec(), now);
    let much_later = at(1_767_225_610 + 3600, 0);
    Ledger::new(Some(dir.path().to_path_buf())).claim(&spec(), much_later);
    let file = read_file(&dir.path().join(FILE_NAME)).unwrap_or_default();
    assert_eq!(file.len(), 1);
    assert_eq!(file[0].step, (1_767_225_610 + 3600) / 30);
}

/// Kind: damaged state (not JSON, JSON of another shape, binary) never
/// lets a code go out twice: the claim waits for the next step, says why,
/// and the file is rewritten whole.
#[test]
fn a_damaged_file_means_waiting_for_the_next_step() {
    for damage in [&b"not json"[..], b"{\"used\": 5}", b"\xff\xfe\x00"] {
        let dir = temp_dir();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, damage).unwrap_or_default();
        let claim =
            Ledger::new(Some(dir.path().to_path_buf())).claim(&spec(), at(1_767_225_610, 0));
        assert_eq!(claim.step, 1_767_225_610 / 30 + 1);
        assert_eq!(claim.wait, Duration::from_secs(20));
        assert_eq!(
            claim.damaged,
            Some(format!("{} is damaged (not a TOTP ledger)", path.display()))
        );
        assert_eq!(read_file(&path).map(|e| e.len()), Ok(1));
    }
}

#[test]
fn unwritable_folder_still_protects_this_run() {
    let dir = temp_dir();
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, "").unwrap_or_default();
    let ledger = Ledger::new(Some(blocker.join("cache")));
    let now = at(1_767_225_610, 0);
    ledger.claim(&spec(), now);
    assert!(ledger.claim(&spec(), now).wait > Duration::ZERO);
}

#[test]
fn parallel_claims_get_distinct_steps() {
    let dir = temp_dir();
    let now = at(1_767_225_610, 0);
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let cache = dir.path().to_path_buf();
            std::thread::spawn(move || Ledger::new(Some(cache)).claim(&spec(), now).step)
        })
        .collect();
    let mut steps: Vec<u64> = handles.into_iter().filter_map(|h| h.join().ok()).collect();
    steps.sort_unstable();
    let first = 1_767_225_610 / 30;
    assert_eq!(steps, vec![first, first + 1, first + 2, first + 3]);
}

#[cfg(unix)]
#[test]
fn file_and_folder_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    let cache = dir.path().join("new-cache");
    Ledger::new(Some(cache.clone())).claim(&spec(), at(1_767_225_610, 0));
    let mode = |path: &Path| {
        std::fs::metadata(path)
            .map(|meta| meta.permissions().mode() & 0o777)
            .unwrap_or_default()
    };
    assert_eq!(mode(&cache), 0o700);
    assert_eq!(mode(&cache.join(FILE_NAME)), 0o600);
}
