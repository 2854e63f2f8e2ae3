
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
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
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
        'rctl;help' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in to a registry: check the credentials, then store them in the OS keyring')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove the credentials stored for a registry')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show a manifest, index or image config')
            [CompletionResult]::new('digest', 'digest', [CompletionResultType]::ParameterValue, 'Print the digest of an image (a HEAD request: free on Docker Hub''s pull limit)')
            [CompletionResult]::new('tags', 'tags', [CompletionResultType]::ParameterValue, 'List the tags of a repository')
            [CompletionResult]::new('catalog', 'catalog', [CompletionResultType]::ParameterValue, 'List the repositories of a registry')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
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
        'rctl;help;completion' {
            break
        }
        'rctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
