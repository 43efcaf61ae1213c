// Test helper: what a PDF written by pdfkit shows, read back from its bytes (no PDF
// library: the tests must see what a viewer would map the glyphs to). It inflates the
// streams, finds each font's /BaseFont and, for embedded fonts, its ToUnicode CMap, and
// decodes the text operators of the page content streams with those maps.
// Relies on pdfkit's output shape: objects `N 0 obj ... endobj`, a direct /Length,
// font resources named document-wide (/F1, /F2 ...), text as hex strings in TJ/Tj.
import { inflateSync } from 'node:zlib';

export interface PdfFacts {
  /** /BaseFont of every font object, subset tag removed (`DejaVuSans`, `Helvetica`). */
  baseFonts: string[];
  /** The text drawn on each page, one string per page; text operators joined by '\n'. */
  pages: string[];
  /** All pages' text joined by '\n'. */
  text: string;
}

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

function objectsOf(pdf: Buffer): Map<number, PdfObject> {
  const out = new Map<number, PdfObject>();
  const raw = pdf.toString('latin1');
  const re = /(\d+) 0 obj\s*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(raw))) {
    const start = m.index + m[0].length;
    // The dictionary ends where the object or its stream begins; the stream is /Length bytes.
    const endObj = raw.indexOf('endobj', start);
    const s = /\bstream\r?\n/.exec(raw.slice(start, endObj));
    if (!s) {
      out.set(Number(m[1]), { dict: raw.slice(start, endObj), stream: null });
      re.lastIndex = endObj;
      continue;
    }
    const dict = raw.slice(start, start + s.index);
    const from = start + s.index + s[0].length;
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
    if (!Number.isInteger(length)) throw new Error(`object ${m[1]}: stream without a direct /Length`);
    const bytes = pdf.subarray(from, from + length);
    out.set(Number(m[1]), { dict, stream: /\/Filter \/FlateDecode/.test(dict) ? inflateSync(bytes) : bytes });
    re.lastIndex = raw.indexOf('endobj', from + length);
  }
  return out;
}

/** A ToUnicode CMap as code (hex, as in the content) to text. */
function parseCMap(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  // Hex strings may contain white space (pdfkit writes a ligature as <0066 006c>).
  const utf16 = (hex: string) => Buffer.from(hex.replace(/\s+/g, ''), 'hex').swap16().toString('utf16le');
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const r of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F\s]+>)/g)) {
      const lo = parseInt(r[1]!, 16);
      const hi = parseInt(r[2]!, 16);
      const width = r[1]!.length;
      const dst = r[3]!;
      const key = (code: number) => code.toString(16).padStart(width, '0').toLowerCase();
      if (dst.startsWith('[')) {
        [...dst.matchAll(/<([0-9a-fA-F\s]*)>/g)].forEach((d, i) => map.set(key(lo + i), utf16(d[1]!)));
      } else {
        const base = dst.slice(1, -1).replace(/\s+/g, '');
        for (let c = lo; c <= hi; c++) {
          const last = parseInt(base.slice(-4), 16) + (c - lo);
          map.set(key(c), utf16(base.slice(0, -4) + last.toString(16).padStart(4, '0')));
        }
      }
    }
  }
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const r of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F\s]*)>/g)) map.set(r[1]!.toLowerCase(), utf16(r[2]!));
  }
  return map;
}

interface FontInfo {
  baseFont: string;
  /** Embedded (Type0, 2-byte codes) fonts: the ToUnicode map; standard fonts: null (1-byte WinAnsi). */
  toUnicode: Map<string, string> | null;
}

function decode(hex: string, font: FontInfo | undefined): string {
  if (!font?.toUnicode) return Buffer.from(hex, 'hex').toString('latin1');
  let out = '';
  for (let i = 0; i + 4 <= hex.length; i += 4) out += font.toUnicode.get(hex.slice(i, i + 4).toLowerCase()) ?? '\ufffd';
  return out;
}

export function readPdf(pdf: Buffer): PdfFacts {
  const objects = objectsOf(pdf);
  const ref = (dict: string, key: string) => {
    const m = new RegExp(`/${key} (\\d+) 0 R`).exec(dict);
    return m ? objects.get(Number(m[1])) : undefined;
  };
  const fontsById = new Map<number, FontInfo>();
  const baseFonts: string[] = [];
  for (const [id, o] of objects) {
    if (!/\/Type \/Font\b/.test(o.dict) || /\/Subtype \/CIDFontType[02]/.test(o.dict)) continue;
    const baseFont = (/\/BaseFont \/(?:[A-Z]{6}\+)?([^\s/>]+)/.exec(o.dict)?.[1] ?? '?').trim();
    baseFonts.push(baseFont);
    const cmap = ref(o.dict, 'ToUnicode')?.stream;
    fontsById.set(id, { baseFont, toUnicode: cmap ? parseCMap(cmap.toString('latin1')) : null });
  }
  // Resource names (/F1 ...) are unique in a pdfkit document, so one map serves all pages.
  const fontByName = new Map<string, FontInfo>();
  for (const o of objects.values()) {
    for (const fontDict of o.dict.matchAll(/\/Font\s*<<([\s\S]*?)>>/g)) {
      for (const r of fontDict[1]!.matchAll(/\/([\w.-]+) (\d+) 0 R/g)) {
        const f = fontsById.get(Number(r[2]));
        if (f) fontByName.set(r[1]!, f);
      }
    }
  }
  const pages: string[] = [];
  for (const o of objects.values()) {
    if (!/\/Type \/Page\b/.test(o.dict)) continue;
    const content = ref(o.dict, 'Contents')?.stream?.toString('latin1') ?? '';
    const parts: string[] = [];
    let font: FontInfo | undefined;
    // Font selections and text operators, in content order.
    for (const op of content.matchAll(/\/([\w.-]+) [\d.]+ Tf|\[((?:<[0-9a-fA-F]*>|[-\d.\s])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      if (op[1] !== undefined) font = fontByName.get(op[1]);
      else if (op[2] !== undefined) parts.push([...op[2].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => decode(h[1]!, font)).join(''));
      else if (op[3] !== undefined) parts.push(decode(op[3], font));
    }
    pages.push(parts.join('\n'));
  }
  return { baseFonts, pages, text: pages.join('\n') };
}
