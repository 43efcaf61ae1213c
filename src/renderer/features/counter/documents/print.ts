// Printing a receipt on a thermal printer, and saving the A4 invoice PDF.
//
// Printing: the receipt text goes into one print-only element directly under <body>;
// while `body.cb-printing-receipt` is set, the print stylesheet (../counter.css) hides
// everything else and sets the page to the paper width (58 or 80 mm), so the OS print
// dialog (or Electron's silent printing) gets exactly the receipt.
import { api } from '../../../api/client';

export type ReceiptWidth = 58 | 80;
export type DocumentRef = { saleId: string } | { creditNoteId: string };

const ROOT_ID = 'cb-print-root';
const PAGE_STYLE_ID = 'cb-print-page';
const PRINTING_CLASS = 'cb-printing-receipt';

function cleanUp(): void {
  document.body.classList.remove(PRINTING_CLASS);
  document.getElementById(PAGE_STYLE_ID)?.remove();
}

/** Prints receipt text (as `counter.receipt` returns it) at the paper width. */
export function printReceipt(text: string, width: ReceiptWidth): void {
  let root = document.getElementById(ROOT_ID);
  if (!root) {
    root = document.createElement('div');
    root.id = ROOT_ID;
    root.setAttribute('aria-hidden', 'true');
    document.body.appendChild(root);
  }
  root.dataset.width = String(width);
  const pre = document.createElement('pre');
  pre.textContent = text;
  root.replaceChildren(pre);

  let pageStyle = document.getElementById(PAGE_STYLE_ID);
  if (!pageStyle) {
    pageStyle = document.createElement('style');
    pageStyle.id = PAGE_STYLE_ID;
    document.head.appendChild(pageStyle);
  }
  pageStyle.textContent = `@media print { @page { size: ${width}mm auto; margin: 0; } }`;
  document.body.classList.add(PRINTING_CLASS);
  window.addEventListener('afterprint', cleanUp, { once: true });
  try {
    window.print();
  } finally {
    // window.print() returns when the dialog closes (Chromium); afterprint may not fire everywhere.
    setTimeout(cleanUp, 0);
  }
}

/** Fetches the A4 PDF of a sale or credit note and hands it to the browser as a download. */
export async function downloadInvoicePdf(ref: DocumentRef): Promise<string> {
  const pdf = await api().call('counter.invoicePdf', ref);
  const binary = atob(pdf.base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: pdf.mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = pdf.fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return pdf.fileName;
}

const WIDTH_KEY = 'counterbook.counter.receiptWidth';

export function savedReceiptWidth(): ReceiptWidth {
  try {
    return localStorage.getItem(WIDTH_KEY) === '58' ? 58 : 80;
  } catch {
    return 80;
  }
}

export function saveReceiptWidth(width: ReceiptWidth): void {
  try {
    localStorage.setItem(WIDTH_KEY, String(width));
  } catch {
    // private mode: the choice lasts for this screen only
  }
}
