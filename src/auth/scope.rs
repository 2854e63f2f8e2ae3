//! Token scopes: `repository:<name>:<actions>` and `registry:catalog:*`.
//!
//! Scopes for one repository are merged (`pull` + `push` = `pull,push`) and a set of scopes has a
//! stable key, so tokens can be cached per registry and scope set.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Something a token grants access to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Scope {
    /// `repository` or `registry`.
    pub kind: String,
    pub name: String,
    pub actions: BTreeSet<String>,
}

impl Scope {
    pub fn pull(repository: &str) -> Scope {
        Scope::repository(repository, &["pull"])
    }

    pub fn push(repository: &str) -> Scope {
        Scope::repository(repository, &["pull", "push"])
    }

    pub fn delete(repository: &str) -> Scope {
        Scope::repository(repository, &["pull", "push", "delete"])
    }

    pub fn catalog() -> Scope {
        Scope {
            kind: "registry".into(),
            name: "catalog".into(),
            actions: ["*".to_string()].into(),
        }
    }

    pub fn repository(name: &str, actions: &[&str]) -> Scope {
        Scope {
            kind: "repository".into(),
            name: name.into(),
            actions: actions.iter().map(|a| a.to_string()).collect(),
        }
    }

    /// Parse `kind:name:actions`. The name may itself hold `:` (a `host:port/repo` form), so the
    /// kind is split at the first `:` and the actions at the last.
    pub fn parse(text: &str) -> Option<Scope> {
        let (kind, rest) = text.split_once(':')?;
        let (name, actions) = rest.rsplit_once(':')?;
        let kind = kind.split('(').next().unwrap_or(kind);
        if kind.is_empty() || name.is_empty() {
            return None;
        }
        Some(Scope {
            kind: kind.to_string(),
            name: name.to_string(),
            actions: actions
                .split(',')
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect(),
        })
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `push` first: a few registries only look at the first action they know.
        let mut actions: Vec<&str> = self.actions.iter().map(String::as_str).collect();
        actions.sort_by_key(|a| (*a != "push", *a));
        write!(f, "{}:{}:{}", self.kind, self.name, actions.join(","))
    }
}

/// Scopes merged per resource, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeSet {
    scopes: BTreeMap<(String, String), BTreeSet<String>>,
    /// The resources in the order they were first added: the first one is sent first.
    order: Vec<(String, String)>,
}

impl ScopeSet {
    pub fn new(scopes: impl IntoIterator<Item = Scope>) -> ScopeSet {
        let mut set = ScopeSet::default();
        for scope in scopes {
            set.add(scope);
        }
        set
    }

    pub fn add(&mut self, scope: Scope) {
        let key = (scope.kind, scope.name);
        if !self.scopes.contains_key(&key) {
            self.order.push(key.clone());
        }
        self.scopes.entry(key).or_default().extend(scope.actions);
    }

    /// Whether every action of `other` is already granted here.
    pub fn covers(&self, other: &ScopeSet) -> bool {
        other.scopes.iter().all(|(key, actions)| {
            self.scopes
                .get(key)
                .is_some_and(|mine| mine.is_superset(actions))
        })
    }

    pub fn is_empty(&self) -> bool {
        self.scopes.is_empty()
    }

    /// The scopes as they go into a token request, first-added first.
    pub fn to_strings(&self) -> Vec<String> {
        self.order
            .iter()
            .map(|key| {
                Scope {
                    kind: key.0.clone(),
                    name: key.1.clone(),
                    actions: self.scopes[key].clone(),
                }
                .to_string()
            })
            .collect()
    }

    /// A stable key for caching tokens: sorted, so the same set always has the same key.
    pub fn cache_key(&self) -> String {
        let mut all = self.to_strings();
        all.sort();
        all.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_action_comes_first_and_sets_merge() {
        assert_eq!(
            Scope::push("team/app").to_string(),
            "repository:team/app:push,pull"
        );
        let mut set = ScopeSet::new([Scope::pull("a"), Scope::pull("b")]);
        set.add(Scope::push("a"));
        assert_eq!(
            set.to_strings(),
            vec!["repository:a:push,pull", "repository:b:pull"]
        );
        assert!(set.covers(&ScopeSet::new([Scope::pull("a")])));
        assert!(!set.covers(&ScopeSet::new([Scope::push("b")])));
    }

    #[test]
    fn parse_handles_host_names_and_plugin_kinds() {
        let s = Scope::parse("repository:localhost:5000/app:pull,push").unwrap();
        assert_eq!(s.name, "localhost:5000/app");
        assert_eq!(s.actions.len(), 2);
        assert_eq!(
            Scope::parse("repository(plugin):a:pull").unwrap().kind,
            "repository"
        );
        assert_eq!(
            Scope::parse("registry:catalog:*").unwrap(),
            Scope::catalog()
        );
        assert!(Scope::parse("nonsense").is_none());
    }
}
