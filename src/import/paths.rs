//! Where resume.toml's paths differ from the input's JSON paths (a `[[portfolio]]` entry was
//! `projects[i]`, `focus` was `about.focus`, ...), so that an error found in the mapped resume
//! names the place in the input.

/// Where resume.toml's paths differ from the document's: (resume.toml prefix, JSON prefix), so
/// an error found in the mapped resume names the place in the input.
#[derive(Debug, Default)]
pub struct PathMap(Vec<(String, String)>);

impl PathMap {
    pub fn add(&mut self, toml: impl Into<String>, json: impl Into<String>) {
        self.0.push((toml.into(), json.into()));
    }

    /// `path` (of resume.toml) as the document's JSON path.
    pub fn json_path(&self, path: &str) -> String {
        let best = self
            .0
            .iter()
            .filter(|(t, _)| {
                path.strip_prefix(t.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
            })
            .max_by_key(|(t, _)| t.len());
        match best {
            Some((t, j)) => format!("{j}{}", &path[t.len()..]),
            None => path.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moved_paths_are_named_as_in_the_document() {
        let mut p = PathMap::default();
        p.add("portfolio[0]", "projects[2]");
        p.add("projects[0]", "projects[1]");
        p.add("focus", "about.focus");
        assert_eq!(p.json_path("portfolio[0].url"), "projects[2].url");
        assert_eq!(p.json_path("projects[0]"), "projects[1]");
        assert_eq!(
            p.json_path("projects[0].impact.figure"),
            "projects[1].impact.figure"
        );
        assert_eq!(p.json_path("projects[01]"), "projects[01]");
        assert_eq!(p.json_path("focus[1].items[0]"), "about.focus[1].items[0]");
        assert_eq!(p.json_path("focusing"), "focusing");
        assert_eq!(p.json_path("work[0].endDate"), "work[0].endDate");
    }
}
