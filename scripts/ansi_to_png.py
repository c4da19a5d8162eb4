#!/usr/bin/env python3
"""Render a `tmux capture-pane -p -e` capture to a PNG on an exact cell grid.

    ansi_to_png.py shot.ans -o shot.png --columns 80 --rows 24 [--title T] [--cursor COL,ROW]

pyte replays the escapes into a grid of styled cells; Pillow paints every cell at
column*cell_width, so borders stay aligned whatever the glyphs are (no browser, no network).
"""
import argparse
from functools import lru_cache

import pyte
from PIL import Image, ImageDraw, ImageFont

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono{}.ttf"
# DejaVu has no ideographs; the first CJK font found draws them (Debian: fonts-noto-cjk).
CJK = ["/usr/share/fonts/opentype/noto/NotoSansCJK-{}.ttc",
       "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"]
BACKGROUND, FOREGROUND = (0x1E, 0x1F, 0x29), (0xD4, 0xD7, 0xDD)
PALETTE = dict(zip(
    ["black", "red", "green", "brown", "blue", "magenta", "cyan", "white"],
    [(0x2E, 0x32, 0x3B), (0xE0, 0x6C, 0x75), (0x98, 0xC3, 0x79), (0xE5, 0xC0, 0x7B),
     (0x61, 0xAF, 0xEF), (0xC6, 0x78, 0xDD), (0x56, 0xB6, 0xC2), (0xC8, 0xCC, 0xD4)]))
PALETTE.update({"bright" + k: v for k, v in zip(PALETTE, [
    (0x5C, 0x63, 0x70), (0xFF, 0x7A, 0x85), (0xB5, 0xE8, 0x90), (0xFF, 0xD8, 0x8A),
    (0x82, 0xC4, 0xFF), (0xDD, 0x95, 0xF0), (0x7A, 0xDC, 0xE8), (0xFF, 0xFF, 0xFF)])})
PALETTE["bfightmagenta"] = PALETTE["brightmagenta"]  # pyte 0.8's name for SGR 105 (sic)
# Light box-drawing characters are drawn as lines: font glyphs leave gaps between rows.
BOX = {"─": "lr", "│": "ud", "┌": "dr", "┐": "dl", "└": "ur", "┘": "ul", "├": "udr", "┤": "udl",
       "┬": "dlr", "┴": "ulr", "┼": "udlr", "╭": "dr", "╮": "dl", "╰": "ur", "╯": "ul"}


class Screen(pyte.Screen):
    """pyte.Screen that also keeps dim (SGR 2) and themes 256-colour indexes 0-15.

    pyte's Char has no dim field; a still image cannot blink, so the blink slot carries dim.
    """

    def select_graphic_rendition(self, *attrs, **kwargs):
        out, i = [], 0
        while i < len(attrs):
            a = attrs[i]
            if a in (38, 48) and i + 2 < len(attrs) and attrs[i + 1] == 5:
                n = attrs[i + 2]
                if n < 16:  # same colour as SGR 30-37/90-97, so it gets the theme's shade
                    out.append((a - 8 if n < 8 else a + 52) + n % 8)
                else:
                    out += [a, 5, n]
                i += 3
                continue
            if a in (38, 48) and i + 4 < len(attrs) and attrs[i + 1] == 2:
                out += attrs[i:i + 5]
                i += 5
                continue
            out += {2: [5], 22: [22, 25], 5: [], 6: [], 25: []}.get(a, [a])
            i += 1
        if out or not attrs:
            super().select_graphic_rendition(*out, **kwargs)


def colour(name, fallback):
    if name in PALETTE:
        return PALETTE[name]
    if len(name) == 6:
        try:
            return tuple(int(name[k:k + 2], 16) for k in (0, 2, 4))
        except ValueError:
            pass
    return fallback


def first_font(patterns, style, size):
    for p in patterns:
        try:
            return ImageFont.truetype(p.format(style), size)
        except OSError:
            continue
    return None


@lru_cache(maxsize=None)
def ink(font, ch):
    im = Image.new("L", (font.size * 3, font.size * 2))
    ImageDraw.Draw(im).text((0, 0), ch, font=font, fill=255)
    return im.tobytes()


def has_glyph(font, ch):
    # Pillow cannot ask for a glyph index; a missing glyph renders as the .notdef box.
    return ink(font, ch) != ink(font, "\U0010FFFD")


def render(text, columns, rows, font_size=18, padding=14, title=None, cursor=None):
    screen = Screen(columns, rows)
    # capture-pane ends each row with "\n"; a final newline would scroll row 1 away.
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    pyte.Stream(screen).feed("\r\n".join(lines[:rows]))

    fonts = {b: ImageFont.truetype(DEJAVU.format("-Bold" if b else ""), font_size) for b in (0, 1)}
    wide = {b: first_font(CJK, "Bold" if b else "Regular", font_size) for b in (0, 1)}
    ascent, descent = fonts[0].getmetrics()
    cw, ch = round(fonts[0].getlength("M")), ascent + descent
    top = padding + (int(ch * 1.6) if title else 0)
    image = Image.new("RGB", (columns * cw + 2 * padding, rows * ch + top + padding), BACKGROUND)
    draw = ImageDraw.Draw(image)

    if title:
        bar = top - padding // 2
        for k, c in enumerate([(0xFF, 0x5F, 0x57), (0xFE, 0xBC, 0x2E), (0x28, 0xC8, 0x40)]):
            x, y, r = padding + 6 + k * 22, bar // 2, 6
            draw.ellipse((x - r, y - r, x + r, y + r), fill=c)
        draw.text((image.width // 2, bar // 2), title, font=fonts[0], fill=(0x8A, 0x8F, 0x98), anchor="mm")

    for y in range(rows):
        line = screen.buffer[y]
        for x in range(columns):
            cell = line[x]
            if cell.data == "":  # right half of a wide character: drawn with its left half
                continue
            span = 2 if x + 1 < columns and line[x + 1].data == "" else 1
            fg, bg = colour(cell.fg, FOREGROUND), colour(cell.bg, BACKGROUND)
            if cell.reverse != (cursor == (x, y)):
                fg, bg = bg, fg
            if cell.blink:  # dim, see Screen
                fg = tuple((f + b) // 2 for f, b in zip(fg, bg))
            left, upper = padding + x * cw, top + y * ch
            draw.rectangle((left, upper, left + span * cw - 1, upper + ch - 1), fill=bg)
            glyph = cell.data
            if glyph.strip() == "":
                pass
            elif glyph in BOX:
                cx, cy, t = left + cw // 2, upper + ch // 2, max(1, font_size // 14)
                for d in BOX[glyph]:
                    draw.rectangle({"l": (left, cy, cx + t - 1, cy + t - 1), "r": (cx, cy, left + cw - 1, cy + t - 1),
                                    "u": (cx, upper, cx + t - 1, cy + t - 1),
                                    "d": (cx, cy, cx + t - 1, upper + ch - 1)}[d], fill=fg)
            elif has_glyph(fonts[cell.bold], glyph[0]):
                draw.text((left, upper + ascent), glyph, font=fonts[cell.bold], fill=fg, anchor="ls")
            elif wide[cell.bold] and has_glyph(wide[cell.bold], glyph[0]):
                centre = left + (span * cw - wide[cell.bold].getlength(glyph)) / 2
                draw.text((centre, upper + ascent), glyph, font=wide[cell.bold], fill=fg, anchor="ls")
            else:  # no font has it: an outlined box, still the right width
                draw.rectangle((left + 2, upper + 3, left + span * cw - 3, upper + ch - 4), outline=fg)
            if cell.underscore:
                draw.line((left, upper + ascent + 2, left + span * cw - 1, upper + ascent + 2), fill=fg)
            if cell.strikethrough:
                draw.line((left, upper + ch // 2, left + span * cw - 1, upper + ch // 2), fill=fg)
    return image


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input", help="ANSI capture (capture-pane -p -e)")
    p.add_argument("-o", "--output", required=True, help="PNG to write")
    p.add_argument("--columns", type=int, required=True)
    p.add_argument("--rows", type=int, required=True)
    p.add_argument("--font-size", type=int, default=18)
    p.add_argument("--title", help="draw a window title bar with this text")
    p.add_argument("--cursor", help="COL,ROW (0-based) of a visible cursor to draw as a block")
    a = p.parse_args()
    with open(a.input, encoding="utf-8", errors="replace") as f:
        text = f.read()
    cursor = tuple(int(v) for v in a.cursor.split(",")) if a.cursor else None
    render(text, a.columns, a.rows, a.font_size, title=a.title, cursor=cursor).save(a.output, optimize=True)


if __name__ == "__main__":
    main()
