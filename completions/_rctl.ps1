
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'rctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'rctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'rctl' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for data printed on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Allow plain HTTP and unverified TLS for the registries this command talks to')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in to a registry: check the credentials, then store them in the OS keyring')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove the credentials stored for a registry')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show a manifest, index or image config')
            [CompletionResult]::new('digest', 'digest', [CompletionResultType]::ParameterValue, 'Print the digest of an image (a HEAD request: free on Docker Hub''s pull limit)')
            [CompletionResult]::new('tags', 'tags', [CompletionResultType]::ParameterValue, 'List the tags of a repository')
            [CompletionResult]::new('catalog', 'catalog', [CompletionResultType]::ParameterValue, 'List the repositories of a registry')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy an image between registries, OCI layouts and archives')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Pull an image from a registry into the local store')
            [CompletionResult]::new('tag', 'tag', [CompletionResultType]::ParameterValue, 'Give an image in the local store another name')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Push an image from the local store to a registry')
            [CompletionResult]::new('images', 'images', [CompletionResultType]::ParameterValue, 'List the images in the local store')
            [CompletionResult]::new('rmi', 'rmi', [CompletionResultType]::ParameterValue, 'Remove images from the local store')
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Save images from the local store to a docker archive')
            [CompletionResult]::new('load', 'load', [CompletionResultType]::ParameterValue, 'Load images from a docker or OCI archive into the local store')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a manifest or tag from a registry')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run a private registry (distribution-spec v1.1) over a data directory')
            [CompletionResult]::new('gc', 'gc', [CompletionResultType]::ParameterValue, 'Garbage-collect a registry data directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rctl;login' {
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'The username; prompted for on a terminal when missing')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'The username; prompted for on a terminal when missing')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The password. Insecure: other users can see command arguments; prefer `--password-stdin`')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'The password. Insecure: other users can see command arguments; prefer `--password-stdin`')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to keep the credentials: the OS keyring, or a file readable only by you (the secret is not encrypted)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for data printed on stdout')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password (or access token) from stdin')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Allow plain HTTP and unverified TLS for the registries this command talks to')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rctl;logout' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for data printed on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Allow plain HTTP and unverified TLS for the registries this command talks to')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rctl;inspect' {
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Pick this platform (`os/arch[/variant]`) from an index')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for data printed on stdout')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Print the exact bytes the registry sent')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Show the image config (for an index, of the host platform or `--platform`)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Allow plain HTTP and unverified TLS for the registries this command talks to')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rctl;digest' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for data printed on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Allow plain HTTP and unverified TLS for the registries this command talks to')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rctl;tags' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for data printed on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Allow plain HTTP and unverified TLS for the registries this command talks to')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rctl;catalog' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for data printed on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Allow plain HTTP and unverified TLS for the registries this command talks to')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rctl;copy' {
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Copy only these platforms (`os/arch[/variant]`, comma-separated). One platform copies its image alone; several make a new index (with a new digest)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Upload blobs larger than this many bytes in chunks of this size (default: above 1 GiB, in 64 MiB chunks), for proxies that cap request bodies')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'How many blobs move at once')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for data printed on stdout')
            [CompletionResult]::new('--all-platforms', '--all-platforms', [CompletionResultType]::ParameterName, 'Copy every platform of an index (the default)')
            [CompletionResult]::new('--referrers', '--referrers', [CompletionResultType]::ParameterName, 'Also copy what refers to the image (signatures, SBOMs)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Allow plain HTTP and unverified TLS for the registries this command talks to')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rctl;pull' {
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Pull these platforms (`os/arch[/variant]`, comma-separated) instead of the host''s')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'How many blobs move at once')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for data printed on stdout')
            [CompletionResult]::new('--all-platforms', '--all-platforms', [CompletionResultType]::ParameterName, 'Pull every platform of an index, keeping the index''s digest')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Allow plain HTTP and unverified TLS for the registries this command talks to')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rctl;tag' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for data printed on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Allow plain HTTP and unverified TLS for the registries this command talks to')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rctl;push' {
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'How many blobs move at once')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for data printed on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Allow plain HTTP and unverified TLS for the registries this command talks to')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rctl;images' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for data printed on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Allow plain HTTP and unverified TLS for the registries this command talks to')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rctl;rmi' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for data printed on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Allow plain HTTP and unverified TLS for the registries this command talks to')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rctl;save' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'The archive to write')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'The archive to write')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for data printed on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Allow plain HTTP and unverified TLS for the registries this command talks to')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rctl;load' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'The archive to read')
            [CompletionResult]::new('--input', '--input', [CompletionResultType]::ParameterName, 'The archive to read')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for data printed on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Allow plain HTTP and unverified TLS for the registries this command talks to')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rctl;delete' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for data printed on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Allow plain HTTP and unverified TLS for the registries this command talks to')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rctl;completion' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for data printed on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Allow plain HTTP and unverified TLS for the registries this command talks to')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rctl;serve' {
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Address to listen on (`:5000` means every interface)')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'Data directory, in registry:2''s filesystem layout')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'PEM certificate chain for HTTPS (needs `--tls-key`)')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'PEM private key for HTTPS (needs `--tls-cert`)')
            [CompletionResult]::new('--htpasswd', '--htpasswd', [CompletionResultType]::ParameterName, 'Require HTTP Basic auth against this htpasswd file (bcrypt entries, `htpasswd -B`)')
            [CompletionResult]::new('--realm', '--realm', [CompletionResultType]::ParameterName, 'Realm named in the authentication challenge')
            [CompletionResult]::new('--upload-max-age', '--upload-max-age', [CompletionResultType]::ParameterName, 'Remove upload sessions untouched for this long (`30s`, `15m`, `12h`, `7d`)')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format for the request log on stderr')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for data printed on stdout')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse pushes and deletes')
            [CompletionResult]::new('--no-delete', '--no-delete', [CompletionResultType]::ParameterName, 'Refuse deletes of manifests, tags and blobs with `UNSUPPORTED`')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Allow plain HTTP and unverified TLS for the registries this command talks to')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rctl;gc' {
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'Data directory to collect')
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'Never remove anything modified more recently than this (keeps pushes in flight safe)')
            [CompletionResult]::new('--upload-max-age', '--upload-max-age', [CompletionResultType]::ParameterName, 'Remove upload sessions untouched for this long')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for data printed on stdout')
            [CompletionResult]::new('--delete-untagged', '--delete-untagged', [CompletionResultType]::ParameterName, 'Also remove manifests that no tag reaches (and then their blobs)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Report what would be removed, remove nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show debug logs (`-vv` for trace); `RUST_LOG` also works')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors: no progress, no status lines')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Allow plain HTTP and unverified TLS for the registries this command talks to')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rctl;help' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in to a registry: check the credentials, then store them in the OS keyring')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove the credentials stored for a registry')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show a manifest, index or image config')
            [CompletionResult]::new('digest', 'digest', [CompletionResultType]::ParameterValue, 'Print the digest of an image (a HEAD request: free on Docker Hub''s pull limit)')
            [CompletionResult]::new('tags', 'tags', [CompletionResultType]::ParameterValue, 'List the tags of a repository')
            [CompletionResult]::new('catalog', 'catalog', [CompletionResultType]::ParameterValue, 'List the repositories of a registry')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy an image between registries, OCI layouts and archives')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Pull an image from a registry into the local store')
            [CompletionResult]::new('tag', 'tag', [CompletionResultType]::ParameterValue, 'Give an image in the local store another name')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Push an image from the local store to a registry')
            [CompletionResult]::new('images', 'images', [CompletionResultType]::ParameterValue, 'List the images in the local store')
            [CompletionResult]::new('rmi', 'rmi', [CompletionResultType]::ParameterValue, 'Remove images from the local store')
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Save images from the local store to a docker archive')
            [CompletionResult]::new('load', 'load', [CompletionResultType]::ParameterValue, 'Load images from a docker or OCI archive into the local store')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a manifest or tag from a registry')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run a private registry (distribution-spec v1.1) over a data directory')
            [CompletionResult]::new('gc', 'gc', [CompletionResultType]::ParameterValue, 'Garbage-collect a registry data directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rctl;help;login' {
            break
        }
        'rctl;help;logout' {
            break
        }
        'rctl;help;inspect' {
            break
        }
        'rctl;help;digest' {
            break
        }
        'rctl;help;tags' {
            break
        }
        'rctl;help;catalog' {
            break
        }
        'rctl;help;copy' {
            break
        }
        'rctl;help;pull' {
            break
        }
        'rctl;help;tag' {
            break
        }
        'rctl;help;push' {
            break
        }
        'rctl;help;images' {
            break
        }
        'rctl;help;rmi' {
            break
        }
        'rctl;help;save' {
            break
        }
        'rctl;help;load' {
            break
        }
        'rctl;help;delete' {
            break
        }
        'rctl;help;completion' {
            break
        }
        'rctl;help;serve' {
            break
        }
        'rctl;help;gc' {
            break
        }
        'rctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
