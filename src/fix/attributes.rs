//! What a rewritten file keeps of the one it replaces: owner and group, permission bits,
//! extended attributes (POSIX ACLs among them: they live in `system.posix_acl_access`). A
//! rewrite that cannot keep them is refused rather than made with different access.

use std::fs::{File, Metadata};

/// Gives `temp` the owner, extended attributes and mode of `original` (whose metadata is
/// `meta`). `Err` says what could not be kept.
pub fn keep_attributes(original: &File, meta: &Metadata, temp: &File) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let now = temp.metadata().map_err(|e| e.to_string())?;
        if (now.uid(), now.gid()) != (meta.uid(), meta.gid()) {
            // Only root can give a file away; a user can pick one of their own groups.
            std::os::unix::fs::fchown(temp, Some(meta.uid()), Some(meta.gid())).map_err(|e| {
                format!(
                    "the file belongs to user {} and group {}, which the new file could not be given ({e})",
                    meta.uid(),
                    meta.gid()
                )
            })?;
        }
        copy_xattrs(original, temp)?;
        // After the owner (a change of owner clears set-user-ID bits) and the ACL (whose mask
        // is the mode's group bits, the same in the original).
        temp.set_permissions(std::fs::Permissions::from_mode(meta.mode() & 0o7777))
            .map_err(|e| format!("cannot set the file's mode: {e}"))?;
    }
    #[cfg(not(unix))]
    {
        let _ = original;
        temp.set_permissions(meta.permissions())
            .map_err(|e| format!("cannot set the file's permissions: {e}"))?;
    }
    Ok(())
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn copy_xattrs(original: &File, temp: &File) -> Result<(), String> {
    use std::os::fd::AsRawFd;
    let (from, to) = (original.as_raw_fd(), temp.as_raw_fd());
    // SAFETY: each call gets a buffer of the length it is told (or none, to ask the size).
    let names = match read_sized(|buf, len| unsafe { libc::flistxattr(from, buf.cast(), len) }) {
        Ok(names) => names,
        // A file system without extended attributes: the file has none to keep.
        Err(e) if matches!(e.raw_os_error(), Some(libc::ENOTSUP | libc::ENOSYS)) => return Ok(()),
        Err(e) => return Err(format!("cannot list the file's extended attributes: {e}")),
    };
    for name in names.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let shown = String::from_utf8_lossy(name).into_owned();
        let c_name = std::ffi::CString::new(name).map_err(|e| e.to_string())?;
        let value = read_sized(|buf, len| unsafe {
            libc::fgetxattr(from, c_name.as_ptr(), buf.cast(), len)
        })
        .map_err(|e| format!("cannot read the extended attribute `{shown}`: {e}"))?;
        // The new file may have it already (an SELinux label given by its directory).
        let present =
            read_sized(|buf, len| unsafe { libc::fgetxattr(to, c_name.as_ptr(), buf.cast(), len) });
        if present.is_ok_and(|v| v == value) {
            continue;
        }
        // SAFETY: a valid name and a value of the length given.
        let set =
            unsafe { libc::fsetxattr(to, c_name.as_ptr(), value.as_ptr().cast(), value.len(), 0) };
        if set != 0 {
            let e = std::io::Error::last_os_error();
            return Err(format!(
                "cannot copy the extended attribute `{shown}` to the new file ({e})"
            ));
        }
    }
    Ok(())
}

/// Calls `get` with no buffer for the size, then with a buffer of that size (again if the
/// value grew in between).
#[cfg(any(target_os = "linux", target_os = "android"))]
fn read_sized(get: impl Fn(*mut u8, usize) -> isize) -> std::io::Result<Vec<u8>> {
    for _ in 0..8 {
        let size = get(std::ptr::null_mut(), 0);
        if size < 0 {
            return Err(std::io::Error::last_os_error());
        }
        let mut buf = vec![0u8; size as usize];
        let got = get(buf.as_mut_ptr(), buf.len());
        if got >= 0 {
            buf.truncate(got as usize);
            return Ok(buf);
        }
        let e = std::io::Error::last_os_error();
        if e.raw_os_error() != Some(libc::ERANGE) {
            return Err(e);
        }
    }
    Err(std::io::Error::other("the value keeps changing size"))
}

#[cfg(all(unix, not(any(target_os = "linux", target_os = "android"))))]
fn copy_xattrs(_original: &File, _temp: &File) -> Result<(), String> {
    Ok(())
}
