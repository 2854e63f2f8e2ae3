//! `WWW-Authenticate` challenges (RFC 7235) as registries send them.
//!
//! Handles what real registries do: case-insensitive schemes and parameter names, quoted or bare
//! values, escapes and commas inside quotes, several challenges in one header or across several
//! header lines. Malformed input (an unterminated quote, a trailing backslash, parameters without
//! commas between them) is rejected rather than guessed at.

use std::collections::BTreeMap;

/// An authentication scheme offered by a registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scheme {
    Basic,
    Bearer,
    /// Anything else (`Negotiate`, ...), which rctl skips.
    Other(String),
}

/// One challenge: a scheme and its parameters, names lowercased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub scheme: Scheme,
    pub params: BTreeMap<String, String>,
}

/// Why a `WWW-Authenticate` header cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed WWW-Authenticate header `{header}`: {problem}")]
pub struct ChallengeError {
    pub header: String,
    pub problem: &'static str,
}

impl Challenge {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }

    /// The scopes named by the `scope` parameter (space-separated).
    pub fn scopes(&self) -> Vec<String> {
        self.param("scope")
            .map(|s| {
                s.split(' ')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Parse every challenge in the given header values, in order.
pub fn parse_all<'a>(
    values: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<Challenge>, ChallengeError> {
    let mut all = Vec::new();
    for value in values {
        all.extend(parse(value)?);
    }
    Ok(all)
}

/// The challenge rctl should answer: Bearer if offered, else Basic.
pub fn preferred(challenges: &[Challenge]) -> Option<&Challenge> {
    challenges
        .iter()
        .find(|c| c.scheme == Scheme::Bearer)
        .or_else(|| challenges.iter().find(|c| c.scheme == Scheme::Basic))
}

/// Parse one header value that may hold several challenges.
pub fn parse(header: &str) -> Result<Vec<Challenge>, ChallengeError> {
    let mut parser = Parser {
        text: header.as_bytes(),
        pos: 0,
        header,
    };
    let mut challenges = Vec::new();
    loop {
        parser.skip(|b| b == b' ' || b == b'\t' || b == b',');
        if parser.at_end() {
            break;
        }
        let scheme = parser
            .token()
            .ok_or_else(|| parser.error("expected an authentication scheme"))?;
        let scheme = match scheme.to_ascii_lowercase().as_str() {
            "basic" => Scheme::Basic,
            "bearer" => Scheme::Bearer,
            _ => Scheme::Other(scheme),
        };
        let mut params = BTreeMap::new();
        loop {
            parser.skip_space();
            if parser.at_end() {
                break;
            }
            // A parameter is `name=value`; a token not followed by `=` starts the next challenge.
            let mark = parser.pos;
            let Some(name) = parser.token() else {
                if parser.peek() == Some(b',') {
                    parser.pos += 1;
                    continue;
                }
                return Err(parser.error("expected a parameter name"));
            };
            parser.skip_space();
            if parser.peek() != Some(b'=') {
                parser.pos = mark;
                break;
            }
            parser.pos += 1;
            parser.skip_space();
            let value = if parser.peek() == Some(b'"') {
                parser.quoted()?
            } else {
                parser
                    .bare_value()
                    .ok_or_else(|| parser.error("expected a parameter value"))?
            };
            params.insert(name.to_ascii_lowercase(), value);
            parser.skip_space();
            match parser.peek() {
                None => break,
                Some(b',') => {
                    parser.pos += 1;
                }
                Some(_) => return Err(parser.error("parameters must be separated by commas")),
            }
        }
        challenges.push(Challenge { scheme, params });
    }
    Ok(challenges)
}

struct Parser<'a> {
    text: &'a [u8],
    pos: usize,
    header: &'a str,
}

impl Parser<'_> {
    fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn skip(&mut self, what: impl Fn(u8) -> bool) {
        while self.peek().is_some_and(&what) {
            self.pos += 1;
        }
    }

    fn skip_space(&mut self) {
        self.skip(|b| b == b' ' || b == b'\t');
    }

    fn error(&self, problem: &'static str) -> ChallengeError {
        ChallengeError {
            header: self.header.to_string(),
            problem,
        }
    }

    /// An RFC 7230 token.
    fn token(&mut self) -> Option<String> {
        let start = self.pos;
        self.skip(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        (self.pos > start)
            .then(|| String::from_utf8_lossy(&self.text[start..self.pos]).into_owned())
    }

    /// An unquoted value: a token, or token68 characters such as `/` in `realm=/token`.
    fn bare_value(&mut self) -> Option<String> {
        let start = self.pos;
        self.skip(|b| !matches!(b, b',' | b' ' | b'\t' | b'"'));
        (self.pos > start)
            .then(|| String::from_utf8_lossy(&self.text[start..self.pos]).into_owned())
    }

    fn quoted(&mut self) -> Result<String, ChallengeError> {
        self.pos += 1;
        let mut value = Vec::new();
        loop {
            match self.peek() {
                None => return Err(self.error("a quoted value is not terminated")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(String::from_utf8_lossy(&value).into_owned());
                }
                Some(b'\\') => {
                    let Some(&escaped) = self.text.get(self.pos + 1) else {
                        return Err(self.error("a quoted value ends with a backslash"));
                    };
                    value.push(escaped);
                    self.pos += 2;
                }
                Some(b) => {
                    value.push(b);
                    self.pos += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(header: &str) -> Challenge {
        let mut all = parse(header).unwrap();
        assert_eq!(all.len(), 1, "{all:?}");
        all.remove(0)
    }

    #[test]
    fn docker_hub_bearer_challenge() {
        let c = one(
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull""#,
        );
        assert_eq!(c.scheme, Scheme::Bearer);
        assert_eq!(c.param("realm"), Some("https://auth.docker.io/token"));
        assert_eq!(c.param("service"), Some("registry.docker.io"));
        assert_eq!(c.scopes(), vec!["repository:library/alpine:pull"]);
    }

    #[test]
    fn scheme_and_names_are_case_insensitive_and_values_may_be_bare() {
        let c = one("BaSiC ReAlM=/");
        assert_eq!(c.scheme, Scheme::Basic);
        assert_eq!(c.param("realm"), Some("/"));
        let c = one("bearer realm=https://r.example/token, service=reg");
        assert_eq!(c.param("service"), Some("reg"));
    }

    #[test]
    fn quoted_values_keep_commas_spaces_and_escapes() {
        let c = one(
            r#"Bearer realm="https://a/t?x=1,y=2", scope="repository:a:pull repository:b:pull,push", error="say \"hi\"""#,
        );
        assert_eq!(c.param("realm"), Some("https://a/t?x=1,y=2"));
        assert_eq!(
            c.scopes(),
            vec!["repository:a:pull", "repository:b:pull,push"]
        );
        assert_eq!(c.param("error"), Some(r#"say "hi""#));
    }

    #[test]
    fn several_challenges_in_one_header_and_across_headers() {
        let all = parse(r#"Bearer realm="https://a/token",service="a", Basic realm="b""#).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].scheme, Scheme::Basic);
        let all = parse_all(["Negotiate", r#"Basic realm="x""#]).unwrap();
        assert_eq!(all[0].scheme, Scheme::Other("Negotiate".into()));
        assert_eq!(preferred(&all).unwrap().scheme, Scheme::Basic);
        let all = parse(r#"Basic realm="x", Bearer realm="y""#).unwrap();
        assert_eq!(preferred(&all).unwrap().param("realm"), Some("y"));
    }

    #[test]
    fn malformed_headers_are_rejected() {
        assert!(parse(r#"Bearer realm="https://a/token"#).is_err());
        assert!(parse(r#"Bearer realm="abc\"#).is_err());
        assert!(parse(r#"Bearer realm="a" service="b""#).is_err());
        assert!(parse("Bearer =x").is_err());
    }

    #[test]
    fn missing_service_and_empty_scope_are_fine() {
        let c = one(r#"Bearer realm="/token""#);
        assert_eq!(c.param("service"), None);
        assert!(c.scopes().is_empty());
    }
}
