// The fonts of the counter's PDFs (A4 invoice and credit note, Z report). pdfkit's
// built-in Helvetica only covers Latin-1, so a shop, customer or product named in
// Cyrillic, Greek, Polish or with a symbol printed as '?'. DejaVu Sans (npm package
// `dejavu-fonts-ttf`) covers every Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew
// and basic Arabic letter and many symbols; pdfkit embeds only the glyphs a document
// uses (a subset), so a PDF grows by a few tens of kB, not by the 2 MB of font files.
// Characters the font lacks (CJK, most emoji) print as the font's empty box (.notdef).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Names the faces are registered under in every document; use them with `doc.font()`. */
export const FONT = { regular: 'Sans', bold: 'Sans-Bold', oblique: 'Sans-Oblique' } as const;

/**
 * The TTF files we use. electron-builder.yml packs exactly these three from the
 * package (the others are excluded to keep the installer small): keep them in step.
 */
const FILES: Record<keyof typeof FONT, string> = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf', oblique: 'DejaVuSans-Oblique.ttf' };

let cached: Record<keyof typeof FONT, string> | undefined;

/**
 * Absolute paths of the font files. Resolved like a module from this file, so it works
 * from source (tsx, vitest), from the electron-vite bundle in out/main (dependencies
 * stay in node_modules) and inside the packaged app.asar, which Electron's fs reads.
 */
export function fontFiles(): Record<keyof typeof FONT, string> {
  if (cached) return cached;
  const dir = join(dirname(createRequire(__filename).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  cached = { regular: join(dir, FILES.regular), bold: join(dir, FILES.bold), oblique: join(dir, FILES.oblique) };
  return cached;
}

/** Registers the three faces with a new document and selects the regular one. */
export function useCounterFonts(doc: PDFKit.PDFDocument): void {
  const files = fontFiles();
  doc.registerFont(FONT.regular, files.regular);
  doc.registerFont(FONT.bold, files.bold);
  doc.registerFont(FONT.oblique, files.oblique);
  doc.font(FONT.regular);
}

/**
 * Text as it should reach the PDF: composed (NFC), so a letter typed as base plus
 * combining accent uses the font's precomposed glyph, and with control characters
 * (other than the line break) turned into spaces instead of empty boxes.
 */
export function pdfText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.normalize('NFC').replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, ' ');
}
