//! Files only the user may read (credentials, the TOTP ledger), in one
//! place: a private folder (0700 on Unix) and whole-file writes that are
//! atomic (a temporary file in the same folder, persisted over the old
//! one), so a crash or a parallel reader never sees half a file. On
//! Windows the files inherit the ACLs of the user's profile folder, which
//! only the user can read.

use std::io::Write as _;
use std::path::Path;

/// Creates `dir` and its parents, private to the user.
///
/// Errors: the folder cannot be created or its mode set.
pub(crate) fn create_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    #[cfg(unix)]
    std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o700))?;
    Ok(())
}

/// Replaces `path` with `bytes` atomically, mode 0600 on Unix. The folder
/// must exist (callers that own it make it private with [`create_dir`]);
/// the temporary file is `.sesame-*.tmp` beside `path`, so a crash leaves
/// only a file sesame can recognise as its own.
///
/// Errors: the temporary file cannot be written, or the rename fails (the
/// old file is then left as it was).
pub(crate) fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    // tempfile creates the file 0600 on Unix before anything is written.
    let mut tmp = tempfile::Builder::new()
        .prefix(".sesame-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replace_the_whole_file_privately() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("private/creds.json");
        create_dir(path.parent().unwrap()).unwrap();
        write(&path, b"first, longer content").unwrap();
        write(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(path.parent().unwrap()), 0o700);
        }
        let left: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("creds.json")]);
    }
}
