//! The structure tree (PDF/UA-1 tagging), built in reading order while the pages are drawn.
//!
//! Nodes are created while the document is laid out; a node joins its parent only when its first
//! content is drawn, so the tree's order is the order in which content is drawn (reading order).

use std::num::NonZeroU16;

use krilla::tagging::{Identifier, ListNumbering, Node, Tag, TagGroup, TagKind, TagTree};

/// A node of the structure tree (an index into [`Tree`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeId(usize);

/// What a node is.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Sect,
    /// A heading of level 1..=6 and its text (PDF/UA wants the title).
    H(u16, String),
    P,
    /// A bulleted list, its items, their labels and bodies.
    L,
    LI,
    Lbl,
    LBody,
    Link,
}

enum Child {
    Node(NodeId),
    Leaf(Identifier),
}

struct Data {
    kind: Kind,
    parent: Option<NodeId>,
    attached: bool,
    children: Vec<Child>,
}

/// The tree under construction; node 0 is the document root.
pub struct Tree {
    nodes: Vec<Data>,
}

impl Default for Tree {
    fn default() -> Self {
        Tree {
            nodes: vec![Data {
                kind: Kind::Sect,
                parent: None,
                attached: true,
                children: Vec::new(),
            }],
        }
    }
}

impl Tree {
    pub const ROOT: NodeId = NodeId(0);

    /// A new node under `parent`; it joins the tree when content is first drawn into it.
    pub fn add(&mut self, parent: NodeId, kind: Kind) -> NodeId {
        self.nodes.push(Data {
            kind,
            parent: Some(parent),
            attached: false,
            children: Vec::new(),
        });
        NodeId(self.nodes.len() - 1)
    }

    /// Records drawn content (or an annotation) as the next child of `node`.
    pub fn leaf(&mut self, node: NodeId, id: Identifier) {
        self.attach(node);
        if let Some(d) = self.nodes.get_mut(node.0) {
            d.children.push(Child::Leaf(id));
        }
    }

    fn attach(&mut self, node: NodeId) {
        // Iterative walk up to the first attached ancestor (bounded by the tree's depth).
        let mut chain = Vec::new();
        let mut cur = node;
        while let Some(d) = self.nodes.get(cur.0) {
            if d.attached {
                break;
            }
            chain.push(cur);
            match d.parent {
                Some(p) => cur = p,
                None => break,
            }
        }
        for n in chain.into_iter().rev() {
            let parent = self.nodes[n.0].parent;
            self.nodes[n.0].attached = true;
            if let Some(p) = parent {
                self.nodes[p.0].children.push(Child::Node(n));
            }
        }
    }

    /// The finished tree, with the document's language.
    pub fn finish(mut self, lang: &str) -> TagTree {
        let children = self.take_children(Tree::ROOT);
        let mut tree = TagTree::new().with_lang(Some(lang.to_owned()));
        for c in children {
            tree.push(c);
        }
        tree
    }

    fn take_children(&mut self, node: NodeId) -> Vec<Node> {
        let children = std::mem::take(&mut self.nodes[node.0].children);
        children
            .into_iter()
            .map(|c| match c {
                Child::Leaf(id) => Node::from(id),
                Child::Node(n) => {
                    let kind = tag_kind(&self.nodes[n.0].kind);
                    Node::from(TagGroup::with_children(kind, self.take_children(n)))
                }
            })
            .collect()
    }
}

fn tag_kind(kind: &Kind) -> TagKind {
    match kind {
        Kind::Sect => Tag::Section.into(),
        Kind::H(level, title) => {
            let level = NonZeroU16::new((*level).clamp(1, 6)).unwrap_or(NonZeroU16::MIN);
            Tag::Hn(level, Some(title.clone())).into()
        }
        Kind::P => Tag::P.into(),
        Kind::L => Tag::L(ListNumbering::Disc).into(),
        Kind::LI => Tag::LI.into(),
        Kind::Lbl => Tag::Lbl.into(),
        Kind::LBody => Tag::LBody.into(),
        Kind::Link => Tag::Link.into(),
    }
}
