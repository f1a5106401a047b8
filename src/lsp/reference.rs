//! What every Dockerfile instruction and flag does, in a sentence or two: the text of hover
//! and completion on keywords and flags. Written after the Dockerfile reference
//! (docs.docker.com/reference/dockerfile, Dockerfile frontend 1.x), in dlint's own words.

/// One instruction: its keyword, its forms and what it does.
pub struct InstructionDoc {
    pub keyword: &'static str,
    pub syntax: &'static str,
    pub summary: &'static str,
    pub flags: &'static [FlagDoc],
}

/// One flag of an instruction (without its dashes).
pub struct FlagDoc {
    pub name: &'static str,
    /// What follows `=`; empty for a flag without a value.
    pub value: &'static str,
    pub summary: &'static str,
}

const CHOWN: FlagDoc = FlagDoc {
    name: "chown",
    value: "<user>[:<group>]",
    summary: "Owner of the copied files, by name or numeric id (Linux containers). \
              Without it they belong to root (UID and GID 0).",
};
const CHMOD: FlagDoc = FlagDoc {
    name: "chmod",
    value: "<perms>",
    summary: "Permissions of the copied files, in octal (`755`) or symbolic (`u+x`) notation.",
};
const LINK: FlagDoc = FlagDoc {
    name: "link",
    value: "",
    summary: "Copy into a layer of its own, independent of the layers before it: the layer is \
              reused when earlier ones change, and base images can be rebased without a rebuild.",
};
const EXCLUDE: FlagDoc = FlagDoc {
    name: "exclude",
    value: "<pattern>",
    summary: "Leave out the sources matching this pattern (`.dockerignore` syntax); repeatable.",
};

pub const INSTRUCTIONS: &[InstructionDoc] = &[
    InstructionDoc {
        keyword: "ADD",
        syntax: "ADD [--chown=…] [--chmod=…] [--checksum=…] <src>… <dest>",
        summary: "Adds files to the image: from the build context, from a URL, or from a Git \
                  repository. Local tar archives are extracted. Prefer `COPY` for plain files.",
        flags: &[
            CHOWN,
            CHMOD,
            LINK,
            EXCLUDE,
            FlagDoc {
                name: "keep-git-dir",
                value: "<boolean>",
                summary: "For a Git source: keep the `.git` directory in the result.",
            },
            FlagDoc {
                name: "checksum",
                value: "<hash>",
                summary: "For a URL or Git source: the expected checksum (`sha256:…`) of the \
                          download; the build fails when it differs.",
            },
        ],
    },
    InstructionDoc {
        keyword: "ARG",
        syntax: "ARG <name>[=<default value>] …",
        summary: "Declares a build argument that `docker build --build-arg name=value` can set. \
                  Before the first `FROM` it can be used in `FROM` lines; inside a stage it is \
                  visible from the line that declares it. Not kept in the image.",
        flags: &[],
    },
    InstructionDoc {
        keyword: "CMD",
        syntax: "CMD [\"executable\", \"param\"…] | CMD command param…",
        summary: "The default command of a container, or the default arguments of the \
                  `ENTRYPOINT`. Only the last `CMD` of the stage counts; `docker run` arguments \
                  replace it. The exec (JSON) form receives signals directly.",
        flags: &[],
    },
    InstructionDoc {
        keyword: "COPY",
        syntax: "COPY [--from=<stage>] [--chown=…] [--chmod=…] [--link] <src>… <dest>",
        summary: "Copies files from the build context, or from another stage or image with \
                  `--from`, into the image's filesystem.",
        flags: &[
            FlagDoc {
                name: "from",
                value: "<stage|image|context>",
                summary: "Copy from an earlier stage (by name or index), an image, or a named \
                          build context instead of the build context.",
            },
            CHOWN,
            CHMOD,
            LINK,
            FlagDoc {
                name: "parents",
                value: "",
                summary: "Keep the source's parent directories (up to a `/./` in the source) \
                          under the destination.",
            },
            EXCLUDE,
        ],
    },
    InstructionDoc {
        keyword: "ENTRYPOINT",
        syntax: "ENTRYPOINT [\"executable\", \"param\"…] | ENTRYPOINT command param…",
        summary: "The executable a container runs; `CMD` and `docker run` arguments are passed \
                  to it (exec form only). The shell form runs under `/bin/sh -c` and ignores \
                  them, and the process does not receive signals.",
        flags: &[],
    },
    InstructionDoc {
        keyword: "ENV",
        syntax: "ENV <key>=<value> …",
        summary: "Sets environment variables for the rest of the stage and for containers run \
                  from the image. They stay in the image: do not put secrets in them.",
        flags: &[],
    },
    InstructionDoc {
        keyword: "EXPOSE",
        syntax: "EXPOSE <port>[/<protocol>] …",
        summary: "Documents the ports the container listens on (`tcp` by default). It does not \
                  publish them: `docker run -p` does.",
        flags: &[],
    },
    InstructionDoc {
        keyword: "FROM",
        syntax: "FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]",
        summary: "Starts a build stage from a base image, or from an earlier stage by its name. \
                  `AS name` names the stage for `COPY --from`, `RUN --mount=from=` and later \
                  `FROM` lines; the last stage (or `--target`) is the image built.",
        flags: &[FlagDoc {
            name: "platform",
            value: "<platform>",
            summary: "The platform of the base image (`linux/amd64`, `$BUILDPLATFORM` for \
                      cross-compiling stages).",
        }],
    },
    InstructionDoc {
        keyword: "HEALTHCHECK",
        syntax: "HEALTHCHECK [--interval=…] [--timeout=…] CMD command | HEALTHCHECK NONE",
        summary: "How to check that a container still works: the command runs periodically and \
                  exit status 0 means healthy. `NONE` disables a check inherited from the base \
                  image.",
        flags: &[
            FlagDoc {
                name: "interval",
                value: "<duration>",
                summary: "Time between checks (default `30s`).",
            },
            FlagDoc {
                name: "timeout",
                value: "<duration>",
                summary: "A check taking longer fails (default `30s`).",
            },
            FlagDoc {
                name: "start-period",
                value: "<duration>",
                summary: "Time the container has to start up: failures then do not count \
                          (default `0s`).",
            },
            FlagDoc {
                name: "start-interval",
                value: "<duration>",
                summary: "Time between checks during the start period (default `5s`).",
            },
            FlagDoc {
                name: "retries",
                value: "<number>",
                summary: "Consecutive failures before the container is unhealthy (default 3).",
            },
        ],
    },
    InstructionDoc {
        keyword: "LABEL",
        syntax: "LABEL <key>=<value> …",
        summary: "Adds metadata to the image (`org.opencontainers.image.*` keys are the \
                  standard ones). Labels of the base image are inherited.",
        flags: &[],
    },
    InstructionDoc {
        keyword: "MAINTAINER",
        syntax: "MAINTAINER <name>",
        summary: "Deprecated: the image's author. Use \
                  `LABEL org.opencontainers.image.authors=…` instead.",
        flags: &[],
    },
    InstructionDoc {
        keyword: "ONBUILD",
        syntax: "ONBUILD <INSTRUCTION>",
        summary: "An instruction to run later, when another Dockerfile builds `FROM` this \
                  image, as if it followed that `FROM` line.",
        flags: &[],
    },
    InstructionDoc {
        keyword: "RUN",
        syntax: "RUN [--mount=…] [--network=…] command | RUN [\"executable\", \"param\"…]",
        summary: "Runs a command in a new layer on top of the current image. The shell form \
                  runs under the stage's `SHELL` (`/bin/sh -c` by default); heredocs (`<<EOF`) \
                  hold longer scripts.",
        flags: &[
            FlagDoc {
                name: "mount",
                value: "type=<bind|cache|tmpfs|secret|ssh>[,option=value…]",
                summary: "Mounts something for this command only, left out of the layer: a \
                          cache directory kept between builds (`type=cache,target=/root/.cache`), \
                          files from the context or another stage (`type=bind,from=…`), a \
                          secret, an SSH agent socket or a tmpfs.",
            },
            FlagDoc {
                name: "network",
                value: "<default|none|host>",
                summary: "The network the command runs in: `none` for no network access, \
                          `host` needs the `network.host` entitlement.",
            },
            FlagDoc {
                name: "security",
                value: "<sandbox|insecure>",
                summary: "`insecure` runs the command without the sandbox (needs the \
                          `security.insecure` entitlement).",
            },
        ],
    },
    InstructionDoc {
        keyword: "SHELL",
        syntax: "SHELL [\"executable\", \"parameters\"]",
        summary: "The shell that runs shell-form `RUN`, `CMD` and `ENTRYPOINT` lines from here \
                  on (default `[\"/bin/sh\", \"-c\"]`, or `cmd /S /C` on Windows). JSON form \
                  only.",
        flags: &[],
    },
    InstructionDoc {
        keyword: "STOPSIGNAL",
        syntax: "STOPSIGNAL <signal>",
        summary: "The signal `docker stop` sends to the container's main process (default \
                  `SIGTERM`).",
        flags: &[],
    },
    InstructionDoc {
        keyword: "USER",
        syntax: "USER <user>[:<group>]",
        summary: "The user (and group) that runs the following `RUN` lines and the container. \
                  A non-root user in the final stage limits what a compromised process can do.",
        flags: &[],
    },
    InstructionDoc {
        keyword: "VOLUME",
        syntax: "VOLUME [\"/path\"…] | VOLUME /path …",
        summary: "Marks paths as mount points for volumes. Changes a later `RUN` makes under \
                  them are discarded.",
        flags: &[],
    },
    InstructionDoc {
        keyword: "WORKDIR",
        syntax: "WORKDIR /path",
        summary: "The working directory of the following instructions and of the container; \
                  created when missing. Prefer it to `RUN cd …`.",
        flags: &[],
    },
];

/// The documentation of an instruction, by keyword in any case.
pub fn instruction(keyword: &str) -> Option<&'static InstructionDoc> {
    INSTRUCTIONS
        .iter()
        .find(|doc| doc.keyword.eq_ignore_ascii_case(keyword))
}

impl InstructionDoc {
    pub fn flag(&self, name: &str) -> Option<&'static FlagDoc> {
        self.flags
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }

    pub fn markdown(&self) -> String {
        let mut out = format!(
            "**{}**\n\n```dockerfile\n{}\n```\n\n{}",
            self.keyword, self.syntax, self.summary
        );
        if !self.flags.is_empty() {
            out.push_str("\n\nFlags:");
            for flag in self.flags {
                out.push_str(&format!("\n- `{}`", flag.usage()));
            }
        }
        out
    }
}

impl FlagDoc {
    /// `--name=<value>` or `--name`.
    pub fn usage(&self) -> String {
        if self.value.is_empty() {
            format!("--{}", self.name)
        } else {
            format!("--{}={}", self.name, self.value)
        }
    }

    pub fn markdown(&self, keyword: &str) -> String {
        format!("**{keyword}** `{}`\n\n{}", self.usage(), self.summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Keyword;

    #[test]
    fn every_keyword_buildkit_knows_is_documented() {
        for keyword in [
            "add",
            "arg",
            "cmd",
            "copy",
            "entrypoint",
            "env",
            "expose",
            "from",
            "healthcheck",
            "label",
            "maintainer",
            "onbuild",
            "run",
            "shell",
            "stopsignal",
            "user",
            "volume",
            "workdir",
        ] {
            assert_ne!(Keyword::from_lowercase(keyword), Keyword::Unknown);
            let doc = instruction(keyword).unwrap_or_else(|| panic!("{keyword}"));
            assert!(doc.summary.len() > 40, "{keyword}");
        }
        assert_eq!(INSTRUCTIONS.len(), 18);
        assert!(instruction("copy").unwrap().flag("FROM").is_some());
    }
}
