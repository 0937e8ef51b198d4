//! Issue 26's design fixes, seen on a real server's screen (vt100): the help overlay at small
//! sizes, the background a picked palette paints, the public command in the hints, and the
//! small ones (argument ranges, ASCII punctuation, underlines).

mod help;
mod hints;
mod theme;
