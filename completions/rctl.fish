# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_rctl_global_optspecs
    string join \n v/verbose q/quiet insecure format= h/help V/version
end

function __fish_rctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_rctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_rctl_using_subcommand
    set -l cmd (__fish_rctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c rctl -n "__fish_rctl_needs_command" -l format -d 'Output format for data printed on stdout' -r -f -a "text\t''
json\t''"
complete -c rctl -n "__fish_rctl_needs_command" -s v -l verbose -d 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
complete -c rctl -n "__fish_rctl_needs_command" -s q -l quiet -d 'Print only errors: no progress, no status lines'
complete -c rctl -n "__fish_rctl_needs_command" -l insecure -d 'Allow plain HTTP and unverified TLS for the registries this command talks to'
complete -c rctl -n "__fish_rctl_needs_command" -s h -l help -d 'Print help'
complete -c rctl -n "__fish_rctl_needs_command" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "login" -d 'Log in to a registry: check the credentials, then store them in the OS keyring'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "logout" -d 'Remove the credentials stored for a registry'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "inspect" -d 'Show a manifest, index or image config'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "digest" -d 'Print the digest of an image (a HEAD request: free on Docker Hub\'s pull limit)'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "tags" -d 'List the tags of a repository'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "catalog" -d 'List the repositories of a registry'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "copy" -d 'Copy an image between registries, OCI layouts and archives'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "pull" -d 'Pull an image from a registry into the local store'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "tag" -d 'Give an image in the local store another name'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "push" -d 'Push an image from the local store to a registry'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "images" -d 'List the images in the local store'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "rmi" -d 'Remove images from the local store'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "save" -d 'Save images from the local store to a docker archive'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "load" -d 'Load images from a docker or OCI archive into the local store'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "delete" -d 'Delete a manifest or tag from a registry'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "completion" -d 'Print a shell completion script'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "serve" -d 'Run a private registry (distribution-spec v1.1) over a data directory'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "gc" -d 'Garbage-collect a registry data directory'
complete -c rctl -n "__fish_rctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rctl -n "__fish_rctl_using_subcommand login" -s u -l username -d 'The username; prompted for on a terminal when missing' -r
complete -c rctl -n "__fish_rctl_using_subcommand login" -s p -l password -d 'The password. Insecure: other users can see command arguments; prefer `--password-stdin`' -r
complete -c rctl -n "__fish_rctl_using_subcommand login" -l store -d 'Where to keep the credentials: the OS keyring, or a file readable only by you (the secret is not encrypted)' -r -f -a "keyring\t'The OS keyring (Secret Service, Keychain, Credential Manager)'
file\t'`credentials.json` in rctl\'s config directory, mode 0600, not encrypted'"
complete -c rctl -n "__fish_rctl_using_subcommand login" -l format -d 'Output format for data printed on stdout' -r -f -a "text\t''
json\t''"
complete -c rctl -n "__fish_rctl_using_subcommand login" -l password-stdin -d 'Read the password (or access token) from stdin'
complete -c rctl -n "__fish_rctl_using_subcommand login" -s v -l verbose -d 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
complete -c rctl -n "__fish_rctl_using_subcommand login" -s q -l quiet -d 'Print only errors: no progress, no status lines'
complete -c rctl -n "__fish_rctl_using_subcommand login" -l insecure -d 'Allow plain HTTP and unverified TLS for the registries this command talks to'
complete -c rctl -n "__fish_rctl_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctl -n "__fish_rctl_using_subcommand login" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand logout" -l format -d 'Output format for data printed on stdout' -r -f -a "text\t''
json\t''"
complete -c rctl -n "__fish_rctl_using_subcommand logout" -s v -l verbose -d 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
complete -c rctl -n "__fish_rctl_using_subcommand logout" -s q -l quiet -d 'Print only errors: no progress, no status lines'
complete -c rctl -n "__fish_rctl_using_subcommand logout" -l insecure -d 'Allow plain HTTP and unverified TLS for the registries this command talks to'
complete -c rctl -n "__fish_rctl_using_subcommand logout" -s h -l help -d 'Print help'
complete -c rctl -n "__fish_rctl_using_subcommand logout" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand inspect" -l platform -d 'Pick this platform (`os/arch[/variant]`) from an index' -r
complete -c rctl -n "__fish_rctl_using_subcommand inspect" -l format -d 'Output format for data printed on stdout' -r -f -a "text\t''
json\t''"
complete -c rctl -n "__fish_rctl_using_subcommand inspect" -l raw -d 'Print the exact bytes the registry sent'
complete -c rctl -n "__fish_rctl_using_subcommand inspect" -l config -d 'Show the image config (for an index, of the host platform or `--platform`)'
complete -c rctl -n "__fish_rctl_using_subcommand inspect" -s v -l verbose -d 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
complete -c rctl -n "__fish_rctl_using_subcommand inspect" -s q -l quiet -d 'Print only errors: no progress, no status lines'
complete -c rctl -n "__fish_rctl_using_subcommand inspect" -l insecure -d 'Allow plain HTTP and unverified TLS for the registries this command talks to'
complete -c rctl -n "__fish_rctl_using_subcommand inspect" -s h -l help -d 'Print help'
complete -c rctl -n "__fish_rctl_using_subcommand inspect" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand digest" -l format -d 'Output format for data printed on stdout' -r -f -a "text\t''
json\t''"
complete -c rctl -n "__fish_rctl_using_subcommand digest" -s v -l verbose -d 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
complete -c rctl -n "__fish_rctl_using_subcommand digest" -s q -l quiet -d 'Print only errors: no progress, no status lines'
complete -c rctl -n "__fish_rctl_using_subcommand digest" -l insecure -d 'Allow plain HTTP and unverified TLS for the registries this command talks to'
complete -c rctl -n "__fish_rctl_using_subcommand digest" -s h -l help -d 'Print help'
complete -c rctl -n "__fish_rctl_using_subcommand digest" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand tags" -l format -d 'Output format for data printed on stdout' -r -f -a "text\t''
json\t''"
complete -c rctl -n "__fish_rctl_using_subcommand tags" -s v -l verbose -d 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
complete -c rctl -n "__fish_rctl_using_subcommand tags" -s q -l quiet -d 'Print only errors: no progress, no status lines'
complete -c rctl -n "__fish_rctl_using_subcommand tags" -l insecure -d 'Allow plain HTTP and unverified TLS for the registries this command talks to'
complete -c rctl -n "__fish_rctl_using_subcommand tags" -s h -l help -d 'Print help'
complete -c rctl -n "__fish_rctl_using_subcommand tags" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand catalog" -l format -d 'Output format for data printed on stdout' -r -f -a "text\t''
json\t''"
complete -c rctl -n "__fish_rctl_using_subcommand catalog" -s v -l verbose -d 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
complete -c rctl -n "__fish_rctl_using_subcommand catalog" -s q -l quiet -d 'Print only errors: no progress, no status lines'
complete -c rctl -n "__fish_rctl_using_subcommand catalog" -l insecure -d 'Allow plain HTTP and unverified TLS for the registries this command talks to'
complete -c rctl -n "__fish_rctl_using_subcommand catalog" -s h -l help -d 'Print help'
complete -c rctl -n "__fish_rctl_using_subcommand catalog" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand copy" -l platform -d 'Copy only these platforms (`os/arch[/variant]`, comma-separated). One platform copies its image alone; several make a new index (with a new digest)' -r
complete -c rctl -n "__fish_rctl_using_subcommand copy" -l chunk-size -d 'Upload blobs larger than this many bytes in chunks of this size (default: above 1 GiB, in 64 MiB chunks), for proxies that cap request bodies' -r
complete -c rctl -n "__fish_rctl_using_subcommand copy" -l jobs -d 'How many blobs move at once' -r
complete -c rctl -n "__fish_rctl_using_subcommand copy" -l format -d 'Output format for data printed on stdout' -r -f -a "text\t''
json\t''"
complete -c rctl -n "__fish_rctl_using_subcommand copy" -l all-platforms -d 'Copy every platform of an index (the default)'
complete -c rctl -n "__fish_rctl_using_subcommand copy" -l referrers -d 'Also copy what refers to the image (signatures, SBOMs)'
complete -c rctl -n "__fish_rctl_using_subcommand copy" -s v -l verbose -d 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
complete -c rctl -n "__fish_rctl_using_subcommand copy" -s q -l quiet -d 'Print only errors: no progress, no status lines'
complete -c rctl -n "__fish_rctl_using_subcommand copy" -l insecure -d 'Allow plain HTTP and unverified TLS for the registries this command talks to'
complete -c rctl -n "__fish_rctl_using_subcommand copy" -s h -l help -d 'Print help'
complete -c rctl -n "__fish_rctl_using_subcommand copy" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand pull" -l platform -d 'Pull these platforms (`os/arch[/variant]`, comma-separated) instead of the host\'s' -r
complete -c rctl -n "__fish_rctl_using_subcommand pull" -l jobs -d 'How many blobs move at once' -r
complete -c rctl -n "__fish_rctl_using_subcommand pull" -l format -d 'Output format for data printed on stdout' -r -f -a "text\t''
json\t''"
complete -c rctl -n "__fish_rctl_using_subcommand pull" -l all-platforms -d 'Pull every platform of an index, keeping the index\'s digest'
complete -c rctl -n "__fish_rctl_using_subcommand pull" -s v -l verbose -d 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
complete -c rctl -n "__fish_rctl_using_subcommand pull" -s q -l quiet -d 'Print only errors: no progress, no status lines'
complete -c rctl -n "__fish_rctl_using_subcommand pull" -l insecure -d 'Allow plain HTTP and unverified TLS for the registries this command talks to'
complete -c rctl -n "__fish_rctl_using_subcommand pull" -s h -l help -d 'Print help'
complete -c rctl -n "__fish_rctl_using_subcommand pull" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand tag" -l format -d 'Output format for data printed on stdout' -r -f -a "text\t''
json\t''"
complete -c rctl -n "__fish_rctl_using_subcommand tag" -s v -l verbose -d 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
complete -c rctl -n "__fish_rctl_using_subcommand tag" -s q -l quiet -d 'Print only errors: no progress, no status lines'
complete -c rctl -n "__fish_rctl_using_subcommand tag" -l insecure -d 'Allow plain HTTP and unverified TLS for the registries this command talks to'
complete -c rctl -n "__fish_rctl_using_subcommand tag" -s h -l help -d 'Print help'
complete -c rctl -n "__fish_rctl_using_subcommand tag" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand push" -l jobs -d 'How many blobs move at once' -r
complete -c rctl -n "__fish_rctl_using_subcommand push" -l format -d 'Output format for data printed on stdout' -r -f -a "text\t''
json\t''"
complete -c rctl -n "__fish_rctl_using_subcommand push" -s v -l verbose -d 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
complete -c rctl -n "__fish_rctl_using_subcommand push" -s q -l quiet -d 'Print only errors: no progress, no status lines'
complete -c rctl -n "__fish_rctl_using_subcommand push" -l insecure -d 'Allow plain HTTP and unverified TLS for the registries this command talks to'
complete -c rctl -n "__fish_rctl_using_subcommand push" -s h -l help -d 'Print help'
complete -c rctl -n "__fish_rctl_using_subcommand push" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand images" -l format -d 'Output format for data printed on stdout' -r -f -a "text\t''
json\t''"
complete -c rctl -n "__fish_rctl_using_subcommand images" -s v -l verbose -d 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
complete -c rctl -n "__fish_rctl_using_subcommand images" -s q -l quiet -d 'Print only errors: no progress, no status lines'
complete -c rctl -n "__fish_rctl_using_subcommand images" -l insecure -d 'Allow plain HTTP and unverified TLS for the registries this command talks to'
complete -c rctl -n "__fish_rctl_using_subcommand images" -s h -l help -d 'Print help'
complete -c rctl -n "__fish_rctl_using_subcommand images" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand rmi" -l format -d 'Output format for data printed on stdout' -r -f -a "text\t''
json\t''"
complete -c rctl -n "__fish_rctl_using_subcommand rmi" -s v -l verbose -d 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
complete -c rctl -n "__fish_rctl_using_subcommand rmi" -s q -l quiet -d 'Print only errors: no progress, no status lines'
complete -c rctl -n "__fish_rctl_using_subcommand rmi" -l insecure -d 'Allow plain HTTP and unverified TLS for the registries this command talks to'
complete -c rctl -n "__fish_rctl_using_subcommand rmi" -s h -l help -d 'Print help'
complete -c rctl -n "__fish_rctl_using_subcommand rmi" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand save" -s o -l output -d 'The archive to write' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand save" -l format -d 'Output format for data printed on stdout' -r -f -a "text\t''
json\t''"
complete -c rctl -n "__fish_rctl_using_subcommand save" -s v -l verbose -d 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
complete -c rctl -n "__fish_rctl_using_subcommand save" -s q -l quiet -d 'Print only errors: no progress, no status lines'
complete -c rctl -n "__fish_rctl_using_subcommand save" -l insecure -d 'Allow plain HTTP and unverified TLS for the registries this command talks to'
complete -c rctl -n "__fish_rctl_using_subcommand save" -s h -l help -d 'Print help'
complete -c rctl -n "__fish_rctl_using_subcommand save" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand load" -s i -l input -d 'The archive to read' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand load" -l format -d 'Output format for data printed on stdout' -r -f -a "text\t''
json\t''"
complete -c rctl -n "__fish_rctl_using_subcommand load" -s v -l verbose -d 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
complete -c rctl -n "__fish_rctl_using_subcommand load" -s q -l quiet -d 'Print only errors: no progress, no status lines'
complete -c rctl -n "__fish_rctl_using_subcommand load" -l insecure -d 'Allow plain HTTP and unverified TLS for the registries this command talks to'
complete -c rctl -n "__fish_rctl_using_subcommand load" -s h -l help -d 'Print help'
complete -c rctl -n "__fish_rctl_using_subcommand load" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand delete" -l format -d 'Output format for data printed on stdout' -r -f -a "text\t''
json\t''"
complete -c rctl -n "__fish_rctl_using_subcommand delete" -s v -l verbose -d 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
complete -c rctl -n "__fish_rctl_using_subcommand delete" -s q -l quiet -d 'Print only errors: no progress, no status lines'
complete -c rctl -n "__fish_rctl_using_subcommand delete" -l insecure -d 'Allow plain HTTP and unverified TLS for the registries this command talks to'
complete -c rctl -n "__fish_rctl_using_subcommand delete" -s h -l help -d 'Print help'
complete -c rctl -n "__fish_rctl_using_subcommand delete" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand completion" -l format -d 'Output format for data printed on stdout' -r -f -a "text\t''
json\t''"
complete -c rctl -n "__fish_rctl_using_subcommand completion" -s v -l verbose -d 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
complete -c rctl -n "__fish_rctl_using_subcommand completion" -s q -l quiet -d 'Print only errors: no progress, no status lines'
complete -c rctl -n "__fish_rctl_using_subcommand completion" -l insecure -d 'Allow plain HTTP and unverified TLS for the registries this command talks to'
complete -c rctl -n "__fish_rctl_using_subcommand completion" -s h -l help -d 'Print help'
complete -c rctl -n "__fish_rctl_using_subcommand completion" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand serve" -l addr -d 'Address to listen on (`:5000` means every interface)' -r
complete -c rctl -n "__fish_rctl_using_subcommand serve" -l data -d 'Data directory, in registry:2\'s filesystem layout' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand serve" -l tls-cert -d 'PEM certificate chain for HTTPS (needs `--tls-key`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand serve" -l tls-key -d 'PEM private key for HTTPS (needs `--tls-cert`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand serve" -l htpasswd -d 'Require HTTP Basic auth against this htpasswd file (bcrypt entries, `htpasswd -B`)' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand serve" -l realm -d 'Realm named in the authentication challenge' -r
complete -c rctl -n "__fish_rctl_using_subcommand serve" -l upload-max-age -d 'Remove upload sessions untouched for this long (`30s`, `15m`, `12h`, `7d`)' -r
complete -c rctl -n "__fish_rctl_using_subcommand serve" -l log-format -d 'Log format for the request log on stderr' -r -f -a "text\t''
json\t''"
complete -c rctl -n "__fish_rctl_using_subcommand serve" -l format -d 'Output format for data printed on stdout' -r -f -a "text\t''
json\t''"
complete -c rctl -n "__fish_rctl_using_subcommand serve" -l read-only -d 'Refuse pushes and deletes'
complete -c rctl -n "__fish_rctl_using_subcommand serve" -l no-delete -d 'Refuse deletes of manifests, tags and blobs with `UNSUPPORTED`'
complete -c rctl -n "__fish_rctl_using_subcommand serve" -s v -l verbose -d 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
complete -c rctl -n "__fish_rctl_using_subcommand serve" -s q -l quiet -d 'Print only errors: no progress, no status lines'
complete -c rctl -n "__fish_rctl_using_subcommand serve" -l insecure -d 'Allow plain HTTP and unverified TLS for the registries this command talks to'
complete -c rctl -n "__fish_rctl_using_subcommand serve" -s h -l help -d 'Print help'
complete -c rctl -n "__fish_rctl_using_subcommand serve" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand gc" -l data -d 'Data directory to collect' -r -F
complete -c rctl -n "__fish_rctl_using_subcommand gc" -l grace -d 'Never remove anything modified more recently than this (keeps pushes in flight safe)' -r
complete -c rctl -n "__fish_rctl_using_subcommand gc" -l upload-max-age -d 'Remove upload sessions untouched for this long' -r
complete -c rctl -n "__fish_rctl_using_subcommand gc" -l format -d 'Output format for data printed on stdout' -r -f -a "text\t''
json\t''"
complete -c rctl -n "__fish_rctl_using_subcommand gc" -l delete-untagged -d 'Also remove manifests that no tag reaches (and then their blobs)'
complete -c rctl -n "__fish_rctl_using_subcommand gc" -l dry-run -d 'Report what would be removed, remove nothing'
complete -c rctl -n "__fish_rctl_using_subcommand gc" -s v -l verbose -d 'Show debug logs (`-vv` for trace); `RUST_LOG` also works'
complete -c rctl -n "__fish_rctl_using_subcommand gc" -s q -l quiet -d 'Print only errors: no progress, no status lines'
complete -c rctl -n "__fish_rctl_using_subcommand gc" -l insecure -d 'Allow plain HTTP and unverified TLS for the registries this command talks to'
complete -c rctl -n "__fish_rctl_using_subcommand gc" -s h -l help -d 'Print help'
complete -c rctl -n "__fish_rctl_using_subcommand gc" -s V -l version -d 'Print version'
complete -c rctl -n "__fish_rctl_using_subcommand help; and not __fish_seen_subcommand_from login logout inspect digest tags catalog copy pull tag push images rmi save load delete completion serve gc help" -f -a "login" -d 'Log in to a registry: check the credentials, then store them in the OS keyring'
complete -c rctl -n "__fish_rctl_using_subcommand help; and not __fish_seen_subcommand_from login logout inspect digest tags catalog copy pull tag push images rmi save load delete completion serve gc help" -f -a "logout" -d 'Remove the credentials stored for a registry'
complete -c rctl -n "__fish_rctl_using_subcommand help; and not __fish_seen_subcommand_from login logout inspect digest tags catalog copy pull tag push images rmi save load delete completion serve gc help" -f -a "inspect" -d 'Show a manifest, index or image config'
complete -c rctl -n "__fish_rctl_using_subcommand help; and not __fish_seen_subcommand_from login logout inspect digest tags catalog copy pull tag push images rmi save load delete completion serve gc help" -f -a "digest" -d 'Print the digest of an image (a HEAD request: free on Docker Hub\'s pull limit)'
complete -c rctl -n "__fish_rctl_using_subcommand help; and not __fish_seen_subcommand_from login logout inspect digest tags catalog copy pull tag push images rmi save load delete completion serve gc help" -f -a "tags" -d 'List the tags of a repository'
complete -c rctl -n "__fish_rctl_using_subcommand help; and not __fish_seen_subcommand_from login logout inspect digest tags catalog copy pull tag push images rmi save load delete completion serve gc help" -f -a "catalog" -d 'List the repositories of a registry'
complete -c rctl -n "__fish_rctl_using_subcommand help; and not __fish_seen_subcommand_from login logout inspect digest tags catalog copy pull tag push images rmi save load delete completion serve gc help" -f -a "copy" -d 'Copy an image between registries, OCI layouts and archives'
complete -c rctl -n "__fish_rctl_using_subcommand help; and not __fish_seen_subcommand_from login logout inspect digest tags catalog copy pull tag push images rmi save load delete completion serve gc help" -f -a "pull" -d 'Pull an image from a registry into the local store'
complete -c rctl -n "__fish_rctl_using_subcommand help; and not __fish_seen_subcommand_from login logout inspect digest tags catalog copy pull tag push images rmi save load delete completion serve gc help" -f -a "tag" -d 'Give an image in the local store another name'
complete -c rctl -n "__fish_rctl_using_subcommand help; and not __fish_seen_subcommand_from login logout inspect digest tags catalog copy pull tag push images rmi save load delete completion serve gc help" -f -a "push" -d 'Push an image from the local store to a registry'
complete -c rctl -n "__fish_rctl_using_subcommand help; and not __fish_seen_subcommand_from login logout inspect digest tags catalog copy pull tag push images rmi save load delete completion serve gc help" -f -a "images" -d 'List the images in the local store'
complete -c rctl -n "__fish_rctl_using_subcommand help; and not __fish_seen_subcommand_from login logout inspect digest tags catalog copy pull tag push images rmi save load delete completion serve gc help" -f -a "rmi" -d 'Remove images from the local store'
complete -c rctl -n "__fish_rctl_using_subcommand help; and not __fish_seen_subcommand_from login logout inspect digest tags catalog copy pull tag push images rmi save load delete completion serve gc help" -f -a "save" -d 'Save images from the local store to a docker archive'
complete -c rctl -n "__fish_rctl_using_subcommand help; and not __fish_seen_subcommand_from login logout inspect digest tags catalog copy pull tag push images rmi save load delete completion serve gc help" -f -a "load" -d 'Load images from a docker or OCI archive into the local store'
complete -c rctl -n "__fish_rctl_using_subcommand help; and not __fish_seen_subcommand_from login logout inspect digest tags catalog copy pull tag push images rmi save load delete completion serve gc help" -f -a "delete" -d 'Delete a manifest or tag from a registry'
complete -c rctl -n "__fish_rctl_using_subcommand help; and not __fish_seen_subcommand_from login logout inspect digest tags catalog copy pull tag push images rmi save load delete completion serve gc help" -f -a "completion" -d 'Print a shell completion script'
complete -c rctl -n "__fish_rctl_using_subcommand help; and not __fish_seen_subcommand_from login logout inspect digest tags catalog copy pull tag push images rmi save load delete completion serve gc help" -f -a "serve" -d 'Run a private registry (distribution-spec v1.1) over a data directory'
complete -c rctl -n "__fish_rctl_using_subcommand help; and not __fish_seen_subcommand_from login logout inspect digest tags catalog copy pull tag push images rmi save load delete completion serve gc help" -f -a "gc" -d 'Garbage-collect a registry data directory'
complete -c rctl -n "__fish_rctl_using_subcommand help; and not __fish_seen_subcommand_from login logout inspect digest tags catalog copy pull tag push images rmi save load delete completion serve gc help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
