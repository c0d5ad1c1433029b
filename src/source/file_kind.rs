//! What a path is, in words: request files, `.env` and a secret's `file:`
//! must be regular files, and a folder, a named pipe or a device is named
//! as what it is, never "no such file".

use std::path::Path;

/// What is wrong with a path that should be a regular file, in words.
pub(crate) fn not_a_regular_file(path: &Path) -> Option<String> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Some("does not exist".into());
        }
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Some("cannot be read (permission denied)".into());
        }
        Err(_) => return Some("cannot be read".into()),
    };
    if meta.is_file() {
        return None;
    }
    Some(format!("is {}, not a regular file", file_kind(&meta)))
}

/// `a folder`, `a named pipe`, `a character device`, ...
pub(crate) fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else if meta.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

/// An I/O error in words, without the library's wording.
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "no such file or folder".into(),
        K::PermissionDenied => "permission denied".into(),
        K::InvalidData => "it is not UTF-8 text".into(),
        K::IsADirectory => "it is a folder".into(),
        _ => match e.raw_os_error() {
            Some(_) => e.kind().to_string(),
            None => "it cannot be read".into(),
        },
    }
}
