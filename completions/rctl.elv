
use builtin;
use str;

set edit:completion:arg-completer[rctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'rctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'rctl'= {
            cand --format 'Output format for data printed on stdout'
            cand -v 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand --verbose 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand -q 'Print only errors: no progress, no status lines'
            cand --quiet 'Print only errors: no progress, no status lines'
            cand --insecure 'Allow plain HTTP and unverified TLS for the registries this command talks to'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand login 'Log in to a registry: check the credentials, then store them in the OS keyring'
            cand logout 'Remove the credentials stored for a registry'
            cand inspect 'Show a manifest, index or image config'
            cand digest 'Print the digest of an image (a HEAD request: free on Docker Hub''s pull limit)'
            cand tags 'List the tags of a repository'
            cand catalog 'List the repositories of a registry'
            cand copy 'Copy an image between registries, OCI layouts and archives'
            cand pull 'Pull an image from a registry into the local store'
            cand tag 'Give an image in the local store another name'
            cand push 'Push an image from the local store to a registry'
            cand images 'List the images in the local store'
            cand rmi 'Remove images from the local store'
            cand save 'Save images from the local store to a docker archive'
            cand load 'Load images from a docker or OCI archive into the local store'
            cand delete 'Delete a manifest or tag from a registry'
            cand completion 'Print a shell completion script'
            cand serve 'Run a private registry (distribution-spec v1.1) over a data directory'
            cand gc 'Garbage-collect a registry data directory'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rctl;login'= {
            cand -u 'The username; prompted for on a terminal when missing'
            cand --username 'The username; prompted for on a terminal when missing'
            cand -p 'The password. Insecure: other users can see command arguments; prefer `--password-stdin`'
            cand --password 'The password. Insecure: other users can see command arguments; prefer `--password-stdin`'
            cand --store 'Where to keep the credentials: the OS keyring, or a file readable only by you (the secret is not encrypted)'
            cand --format 'Output format for data printed on stdout'
            cand --password-stdin 'Read the password (or access token) from stdin'
            cand -v 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand --verbose 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand -q 'Print only errors: no progress, no status lines'
            cand --quiet 'Print only errors: no progress, no status lines'
            cand --insecure 'Allow plain HTTP and unverified TLS for the registries this command talks to'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rctl;logout'= {
            cand --format 'Output format for data printed on stdout'
            cand -v 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand --verbose 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand -q 'Print only errors: no progress, no status lines'
            cand --quiet 'Print only errors: no progress, no status lines'
            cand --insecure 'Allow plain HTTP and unverified TLS for the registries this command talks to'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rctl;inspect'= {
            cand --platform 'Pick this platform (`os/arch[/variant]`) from an index'
            cand --format 'Output format for data printed on stdout'
            cand --raw 'Print the exact bytes the registry sent'
            cand --config 'Show the image config (for an index, of the host platform or `--platform`)'
            cand -v 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand --verbose 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand -q 'Print only errors: no progress, no status lines'
            cand --quiet 'Print only errors: no progress, no status lines'
            cand --insecure 'Allow plain HTTP and unverified TLS for the registries this command talks to'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rctl;digest'= {
            cand --format 'Output format for data printed on stdout'
            cand -v 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand --verbose 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand -q 'Print only errors: no progress, no status lines'
            cand --quiet 'Print only errors: no progress, no status lines'
            cand --insecure 'Allow plain HTTP and unverified TLS for the registries this command talks to'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rctl;tags'= {
            cand --format 'Output format for data printed on stdout'
            cand -v 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand --verbose 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand -q 'Print only errors: no progress, no status lines'
            cand --quiet 'Print only errors: no progress, no status lines'
            cand --insecure 'Allow plain HTTP and unverified TLS for the registries this command talks to'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rctl;catalog'= {
            cand --format 'Output format for data printed on stdout'
            cand -v 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand --verbose 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand -q 'Print only errors: no progress, no status lines'
            cand --quiet 'Print only errors: no progress, no status lines'
            cand --insecure 'Allow plain HTTP and unverified TLS for the registries this command talks to'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rctl;copy'= {
            cand --platform 'Copy only these platforms (`os/arch[/variant]`, comma-separated). One platform copies its image alone; several make a new index (with a new digest)'
            cand --chunk-size 'Upload blobs larger than this many bytes in chunks of this size (default: above 1 GiB, in 64 MiB chunks), for proxies that cap request bodies'
            cand --jobs 'How many blobs move at once'
            cand --format 'Output format for data printed on stdout'
            cand --all-platforms 'Copy every platform of an index (the default)'
            cand --referrers 'Also copy what refers to the image (signatures, SBOMs)'
            cand -v 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand --verbose 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand -q 'Print only errors: no progress, no status lines'
            cand --quiet 'Print only errors: no progress, no status lines'
            cand --insecure 'Allow plain HTTP and unverified TLS for the registries this command talks to'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rctl;pull'= {
            cand --platform 'Pull these platforms (`os/arch[/variant]`, comma-separated) instead of the host''s'
            cand --jobs 'How many blobs move at once'
            cand --format 'Output format for data printed on stdout'
            cand --all-platforms 'Pull every platform of an index, keeping the index''s digest'
            cand -v 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand --verbose 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand -q 'Print only errors: no progress, no status lines'
            cand --quiet 'Print only errors: no progress, no status lines'
            cand --insecure 'Allow plain HTTP and unverified TLS for the registries this command talks to'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rctl;tag'= {
            cand --format 'Output format for data printed on stdout'
            cand -v 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand --verbose 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand -q 'Print only errors: no progress, no status lines'
            cand --quiet 'Print only errors: no progress, no status lines'
            cand --insecure 'Allow plain HTTP and unverified TLS for the registries this command talks to'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rctl;push'= {
            cand --jobs 'How many blobs move at once'
            cand --format 'Output format for data printed on stdout'
            cand -v 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand --verbose 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand -q 'Print only errors: no progress, no status lines'
            cand --quiet 'Print only errors: no progress, no status lines'
            cand --insecure 'Allow plain HTTP and unverified TLS for the registries this command talks to'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rctl;images'= {
            cand --format 'Output format for data printed on stdout'
            cand -v 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand --verbose 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand -q 'Print only errors: no progress, no status lines'
            cand --quiet 'Print only errors: no progress, no status lines'
            cand --insecure 'Allow plain HTTP and unverified TLS for the registries this command talks to'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rctl;rmi'= {
            cand --format 'Output format for data printed on stdout'
            cand -v 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand --verbose 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand -q 'Print only errors: no progress, no status lines'
            cand --quiet 'Print only errors: no progress, no status lines'
            cand --insecure 'Allow plain HTTP and unverified TLS for the registries this command talks to'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rctl;save'= {
            cand -o 'The archive to write'
            cand --output 'The archive to write'
            cand --format 'Output format for data printed on stdout'
            cand -v 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand --verbose 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand -q 'Print only errors: no progress, no status lines'
            cand --quiet 'Print only errors: no progress, no status lines'
            cand --insecure 'Allow plain HTTP and unverified TLS for the registries this command talks to'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rctl;load'= {
            cand -i 'The archive to read'
            cand --input 'The archive to read'
            cand --format 'Output format for data printed on stdout'
            cand -v 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand --verbose 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand -q 'Print only errors: no progress, no status lines'
            cand --quiet 'Print only errors: no progress, no status lines'
            cand --insecure 'Allow plain HTTP and unverified TLS for the registries this command talks to'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rctl;delete'= {
            cand --format 'Output format for data printed on stdout'
            cand -v 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand --verbose 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand -q 'Print only errors: no progress, no status lines'
            cand --quiet 'Print only errors: no progress, no status lines'
            cand --insecure 'Allow plain HTTP and unverified TLS for the registries this command talks to'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rctl;completion'= {
            cand --format 'Output format for data printed on stdout'
            cand -v 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand --verbose 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand -q 'Print only errors: no progress, no status lines'
            cand --quiet 'Print only errors: no progress, no status lines'
            cand --insecure 'Allow plain HTTP and unverified TLS for the registries this command talks to'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rctl;serve'= {
            cand --addr 'Address to listen on (`:5000` means every interface)'
            cand --data 'Data directory, in registry:2''s filesystem layout'
            cand --tls-cert 'PEM certificate chain for HTTPS (needs `--tls-key`)'
            cand --tls-key 'PEM private key for HTTPS (needs `--tls-cert`)'
            cand --htpasswd 'Require HTTP Basic auth against this htpasswd file (bcrypt entries, `htpasswd -B`)'
            cand --realm 'Realm named in the authentication challenge'
            cand --upload-max-age 'Remove upload sessions untouched for this long (`30s`, `15m`, `12h`, `7d`)'
            cand --log-format 'Log format for the request log on stderr'
            cand --format 'Output format for data printed on stdout'
            cand --read-only 'Refuse pushes and deletes'
            cand --no-delete 'Refuse deletes of manifests, tags and blobs with `UNSUPPORTED`'
            cand -v 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand --verbose 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand -q 'Print only errors: no progress, no status lines'
            cand --quiet 'Print only errors: no progress, no status lines'
            cand --insecure 'Allow plain HTTP and unverified TLS for the registries this command talks to'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rctl;gc'= {
            cand --data 'Data directory to collect'
            cand --grace 'Never remove anything modified more recently than this (keeps pushes in flight safe)'
            cand --upload-max-age 'Remove upload sessions untouched for this long'
            cand --format 'Output format for data printed on stdout'
            cand --delete-untagged 'Also remove manifests that no tag reaches (and then their blobs)'
            cand --dry-run 'Report what would be removed, remove nothing'
            cand -v 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand --verbose 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
            cand -q 'Print only errors: no progress, no status lines'
            cand --quiet 'Print only errors: no progress, no status lines'
            cand --insecure 'Allow plain HTTP and unverified TLS for the registries this command talks to'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rctl;help'= {
            cand login 'Log in to a registry: check the credentials, then store them in the OS keyring'
            cand logout 'Remove the credentials stored for a registry'
            cand inspect 'Show a manifest, index or image config'
            cand digest 'Print the digest of an image (a HEAD request: free on Docker Hub''s pull limit)'
            cand tags 'List the tags of a repository'
            cand catalog 'List the repositories of a registry'
            cand copy 'Copy an image between registries, OCI layouts and archives'
            cand pull 'Pull an image from a registry into the local store'
            cand tag 'Give an image in the local store another name'
            cand push 'Push an image from the local store to a registry'
            cand images 'List the images in the local store'
            cand rmi 'Remove images from the local store'
            cand save 'Save images from the local store to a docker archive'
            cand load 'Load images from a docker or OCI archive into the local store'
            cand delete 'Delete a manifest or tag from a registry'
            cand completion 'Print a shell completion script'
            cand serve 'Run a private registry (distribution-spec v1.1) over a data directory'
            cand gc 'Garbage-collect a registry data directory'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rctl;help;login'= {
        }
        &'rctl;help;logout'= {
        }
        &'rctl;help;inspect'= {
        }
        &'rctl;help;digest'= {
        }
        &'rctl;help;tags'= {
        }
        &'rctl;help;catalog'= {
        }
        &'rctl;help;copy'= {
        }
        &'rctl;help;pull'= {
        }
        &'rctl;help;tag'= {
        }
        &'rctl;help;push'= {
        }
        &'rctl;help;images'= {
        }
        &'rctl;help;rmi'= {
        }
        &'rctl;help;save'= {
        }
        &'rctl;help;load'= {
        }
        &'rctl;help;delete'= {
        }
        &'rctl;help;completion'= {
        }
        &'rctl;help;serve'= {
        }
        &'rctl;help;gc'= {
        }
        &'rctl;help;help'= {
        }
    ]
    $completions[$command]
}
