//! One SFTP request answered against a [`Snapshot`]: the directory listed, files stat'ed, opened
//! and read (bounded reads, a bounded number of open handles); every change refused with
//! SSH_FX_PERMISSION_DENIED and [`files::READ_ONLY`].

use std::collections::HashMap;

use bytes::Bytes;
use russh_sftp::protocol::{
    Attrs, Data, File, FileAttributes, Handle, Name, OpenFlags, Packet, Status, StatusCode, Version,
};

use crate::session::files::{self, Path, Snapshot};

/// Open handles (files and directories) one SFTP session may hold.
pub const MAX_HANDLES: usize = 16;
/// The most bytes one read returns.
pub const MAX_READ: u32 = 64 * 1024;

enum Open {
    /// The directory; whether its listing was sent.
    Dir {
        listed: bool,
    },
    File(&'static str),
}

/// The state of one SFTP session.
pub struct Fs {
    snapshot: Snapshot,
    handles: HashMap<String, Open>,
    next_handle: u64,
    /// Packets that could not be decoded, or that a client never sends.
    pub malformed: u32,
}

fn status(id: u32, code: StatusCode, message: &str) -> Packet {
    Packet::Status(Status {
        id,
        status_code: code,
        error_message: message.to_owned(),
        language_tag: "en".to_owned(),
    })
}

fn denied(id: u32) -> Packet {
    status(id, StatusCode::PermissionDenied, files::READ_ONLY)
}

fn no_such_file(id: u32) -> Packet {
    status(id, StatusCode::NoSuchFile, &files::no_such_file())
}

impl Fs {
    pub fn new(snapshot: Snapshot) -> Fs {
        Fs {
            snapshot,
            handles: HashMap::new(),
            next_handle: 0,
            malformed: 0,
        }
    }

    fn attrs(&self, path: &Path) -> Option<FileAttributes> {
        let (permissions, size) = match path {
            Path::Root => (0o040_555, 0),
            Path::File(name) => (0o100_444, self.snapshot.get(name)?.len() as u64),
            Path::Missing(_) | Path::Nowhere => return None,
        };
        Some(FileAttributes {
            size: Some(size),
            uid: Some(0),
            gid: Some(0),
            permissions: Some(permissions),
            atime: Some(self.snapshot.mtime),
            mtime: Some(self.snapshot.mtime),
            ..FileAttributes::default()
        })
    }

    /// Answers one packet (the bytes after its length).
    pub fn answer(&mut self, mut bytes: Bytes) -> Packet {
        let packet = match Packet::try_from(&mut bytes) {
            Ok(p) => p,
            Err(_) => {
                self.malformed = self.malformed.saturating_add(1);
                return status(0, StatusCode::BadMessage, "malformed packet");
            }
        };
        match packet {
            Packet::Init(_) => Packet::Version(Version::new()),
            Packet::RealPath(p) => self.realpath(p.id, &p.path),
            Packet::Stat(p) => self.stat(p.id, &p.path),
            Packet::Lstat(p) => self.stat(p.id, &p.path),
            Packet::Fstat(p) => match self.handles.get(&p.handle) {
                Some(Open::Dir { .. }) => self.stat(p.id, "/"),
                Some(Open::File(name)) => self.stat(p.id, name),
                None => status(p.id, StatusCode::Failure, "no such handle"),
            },
            Packet::OpenDir(p) => match files::resolve(&p.path) {
                Path::Root => self.add_handle(p.id, Open::Dir { listed: false }),
                Path::File(_) => status(p.id, StatusCode::Failure, "not a directory"),
                Path::Missing(_) | Path::Nowhere => no_such_file(p.id),
            },
            Packet::ReadDir(p) => self.readdir(p.id, &p.handle),
            Packet::Open(p) => self.open(p.id, &p.filename, p.pflags),
            Packet::Read(p) => self.read(p.id, &p.handle, p.offset, p.len),
            Packet::Close(p) => match self.handles.remove(&p.handle) {
                Some(_) => status(p.id, StatusCode::Ok, "Ok"),
                None => status(p.id, StatusCode::Failure, "no such handle"),
            },
            Packet::Write(p) => denied(p.id),
            Packet::SetStat(p) => denied(p.id),
            Packet::FSetStat(p) => denied(p.id),
            Packet::Remove(p) => denied(p.id),
            Packet::MkDir(p) => denied(p.id),
            Packet::RmDir(p) => denied(p.id),
            Packet::Rename(p) => denied(p.id),
            Packet::Symlink(p) => denied(p.id),
            Packet::ReadLink(p) => status(p.id, StatusCode::Failure, "not a symbolic link"),
            Packet::Extended(p) => status(p.id, StatusCode::OpUnsupported, "not supported"),
            other => {
                self.malformed = self.malformed.saturating_add(1);
                status(
                    other.get_request_id(),
                    StatusCode::BadMessage,
                    "not a request",
                )
            }
        }
    }

    fn realpath(&self, id: u32, path: &str) -> Packet {
        let name = match files::resolve(path) {
            Path::Root => "/".to_owned(),
            Path::File(n) => format!("/{n}"),
            Path::Missing(n) => format!("/{n}"),
            Path::Nowhere => return no_such_file(id),
        };
        Packet::Name(Name {
            id,
            files: vec![File::dummy(name)],
        })
    }

    fn stat(&self, id: u32, path: &str) -> Packet {
        match self.attrs(&files::resolve(path)) {
            Some(attrs) => Packet::Attrs(Attrs { id, attrs }),
            None => no_such_file(id),
        }
    }

    fn add_handle(&mut self, id: u32, open: Open) -> Packet {
        if self.handles.len() >= MAX_HANDLES {
            return status(id, StatusCode::Failure, "too many open files");
        }
        self.next_handle += 1;
        let handle = self.next_handle.to_string();
        self.handles.insert(handle.clone(), open);
        Packet::Handle(Handle { id, handle })
    }

    fn readdir(&mut self, id: u32, handle: &str) -> Packet {
        match self.handles.get_mut(handle) {
            Some(Open::Dir { listed }) if !*listed => *listed = true,
            Some(Open::Dir { .. }) => return status(id, StatusCode::Eof, "end of directory"),
            Some(Open::File(_)) => return status(id, StatusCode::Failure, "not a directory"),
            None => return status(id, StatusCode::Failure, "no such handle"),
        }
        let mut entries = Vec::with_capacity(files::NAMES.len() + 2);
        if let Some(dir) = self.attrs(&Path::Root) {
            entries.push(File::new(".", dir.clone()));
            entries.push(File::new("..", dir));
        }
        for (name, _) in &self.snapshot.files {
            if let Some(attrs) = self.attrs(&Path::File(name)) {
                entries.push(File::new(*name, attrs));
            }
        }
        Packet::Name(Name { id, files: entries })
    }

    fn open(&mut self, id: u32, filename: &str, flags: OpenFlags) -> Packet {
        let writes = OpenFlags::WRITE
            | OpenFlags::APPEND
            | OpenFlags::CREATE
            | OpenFlags::TRUNCATE
            | OpenFlags::EXCLUDE;
        if flags.intersects(writes) {
            return denied(id);
        }
        match files::resolve(filename) {
            Path::File(name) if self.snapshot.get(name).is_some() => {
                self.add_handle(id, Open::File(name))
            }
            Path::Root => status(id, StatusCode::Failure, "is a directory"),
            _ => no_such_file(id),
        }
    }

    fn read(&self, id: u32, handle: &str, offset: u64, len: u32) -> Packet {
        let bytes = match self.handles.get(handle) {
            Some(Open::File(name)) => match self.snapshot.get(name) {
                Some(b) => b,
                None => return no_such_file(id),
            },
            Some(Open::Dir { .. }) => return status(id, StatusCode::Failure, "is a directory"),
            None => return status(id, StatusCode::Failure, "no such handle"),
        };
        let start = match usize::try_from(offset) {
            Ok(s) if s < bytes.len() => s,
            _ => return status(id, StatusCode::Eof, "end of file"),
        };
        let n = (len.min(MAX_READ) as usize).min(bytes.len() - start);
        Packet::Data(Data {
            id,
            data: bytes.slice(start..start + n).to_vec(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use russh_sftp::protocol::{Open as OpenPacket, Read};

    fn request(packet: impl Into<Packet>) -> Bytes {
        let mut b = Bytes::try_from(packet.into()).unwrap();
        // Without the length prefix, as the session loop hands it over.
        b.split_off(4)
    }

    #[test]
    fn reads_are_bounded() {
        let big = Bytes::from(vec![7u8; 200 * 1024]);
        let mut fs = Fs::new(Snapshot {
            files: vec![("resume.pdf", big)],
            mtime: 0,
        });
        let open = OpenPacket {
            id: 1,
            filename: "resume.pdf".into(),
            pflags: OpenFlags::READ,
            attrs: FileAttributes::default(),
        };
        let Packet::Handle(h) = fs.answer(request(open)) else {
            panic!("no handle");
        };
        let read = |offset, len| Read {
            id: 2,
            handle: h.handle.clone(),
            offset,
            len,
        };
        let Packet::Data(d) = fs.answer(request(read(0, u32::MAX))) else {
            panic!("no data");
        };
        assert_eq!(d.data.len(), MAX_READ as usize);
        let Packet::Data(d) = fs.answer(request(read(200 * 1024 - 10, 64))) else {
            panic!("no data");
        };
        assert_eq!(d.data.len(), 10);
        assert!(matches!(
            fs.answer(request(read(u64::MAX, 1))),
            Packet::Status(Status {
                status_code: StatusCode::Eof,
                ..
            })
        ));
        assert!(matches!(
            fs.answer(Bytes::from_static(b"\xee\x00")),
            Packet::Status(Status {
                status_code: StatusCode::BadMessage,
                ..
            })
        ));
        assert_eq!(fs.malformed, 1);
    }
}
