//! Who is annotating: the name a first run proposes as the author of new annotations and
//! comments.
//!
//! [`suggested_name`] asks, in order: `git config user.name` (what a newsroom using git
//! already set), the full name of the account (the first comma-separated part of the GECOS
//! field, from `getent passwd USER`, which also covers LDAP and other NSS sources, else
//! `/etc/passwd`), and the login name (`$USER`, `$LOGNAME`, else `id -un`: a session
//! started by a service manager may set neither variable). The person confirms or corrects
//! it in the window; nothing here is saved.
//!
//! This module must not depend on any UI crate. It runs `git` and `getent` (read-only) and
//! reads `/etc/passwd`; a missing program or file just moves on to the next source.

use std::process::{Command, Stdio};

/// The best guess at the user's name, or `None` when no source gives one.
pub fn suggested_name() -> Option<String> {
    let login = ["USER", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().and_then(|u| clean(&u)))
        .or_else(login_of_uid);
    git_user_name()
        .or_else(|| login.as_deref().and_then(account_full_name))
        .or(login)
}

/// The login name of the process's user, from `id -un`.
fn login_of_uid() -> Option<String> {
    let out = Command::new("id")
        .arg("-un")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    clean(&String::from_utf8_lossy(&out.stdout))
}

/// `git config --get user.name`, trimmed; `None` when git is missing or it is unset.
pub fn git_user_name() -> Option<String> {
    let out = Command::new("git")
        .args(["config", "--get", "user.name"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    clean(&String::from_utf8_lossy(&out.stdout))
}

/// The full name in the GECOS field of `login`'s account.
pub fn account_full_name(login: &str) -> Option<String> {
    let from_getent = Command::new("getent")
        .args(["passwd", login])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| gecos_name(&String::from_utf8_lossy(&o.stdout), login));
    from_getent.or_else(|| {
        let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
        gecos_name(&passwd, login)
    })
}

/// The full name of `login` in passwd-format `lines` (`name:pw:uid:gid:gecos:home:shell`):
/// the GECOS field up to its first comma (the rest is room and phone numbers).
pub fn gecos_name(lines: &str, login: &str) -> Option<String> {
    lines.lines().find_map(|line| {
        let mut fields = line.split(':');
        if fields.next()? != login {
            return None;
        }
        let gecos = fields.nth(3)?;
        clean(gecos.split(',').next().unwrap_or(""))
    })
}

fn clean(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gecos_full_name_is_the_first_part() {
        let passwd = "root:x:0:0:root:/root:/bin/bash\n\
                      ana:x:1000:1000:Ana Costa,Room 4,555-1234,,:/home/ana:/bin/bash\n\
                      bo:x:1001:1001::/home/bo:/bin/sh\n";
        assert_eq!(gecos_name(passwd, "ana").as_deref(), Some("Ana Costa"));
        assert_eq!(
            gecos_name(passwd, "bo"),
            None,
            "an empty GECOS gives nothing"
        );
        assert_eq!(gecos_name(passwd, "nobody"), None);
        assert_eq!(gecos_name("broken line", "broken line"), None);
    }

    #[test]
    fn the_login_name_comes_from_the_uid_when_no_variable_says() {
        // Every Unix account has a login name; `id -un` finds it without $USER.
        assert!(login_of_uid().is_some_and(|l| !l.contains(char::is_whitespace)));
        assert!(suggested_name().is_some(), "some guess is always offered");
    }
}
