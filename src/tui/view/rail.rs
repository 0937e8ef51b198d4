//! The side rail of a wide screen: who (name, title, tagline), how to reach them (e-mail), and
//! the focus lists, drawn while whole parts fit (a short screen leaves out parts from the end).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::ViewCtx;
use super::body::styled;
use super::widgets::put_line;
use crate::tui::wrapped;

pub fn render(area: Rect, ctx: &ViewCtx, buf: &mut Buffer) {
    if area.width < 6 || area.height == 0 {
        return;
    }
    let width = area.width.saturating_sub(3);
    let blocks = wrapped::rail(ctx.resume, usize::from(width), ctx.unicode);
    let mut y = area.y;
    for (i, block) in blocks.iter().enumerate() {
        let gap = u16::from(i > 0);
        let need = block.len() as u16 + gap;
        // The name and title always show (cut to the rows there are); other parts only whole.
        if i > 0 && y + need > area.bottom() {
            break;
        }
        y += gap;
        for row in block {
            if y >= area.bottom() {
                return;
            }
            put_line(buf, area.x + 2, y, &styled(row, ctx.theme), width);
            y += 1;
        }
    }
}
