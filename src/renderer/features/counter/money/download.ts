// Handing a file to the browser as a download (the Z report PDF), and where the browser
// host serves finished exports from.

/** Saves base64 content under `fileName` through the browser's download. */
export function downloadBase64(fileName: string, base64: string, mimeType: string): void {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The download address of a finished export in the browser host (`/exports/<file>?token=`),
 * or null in the Electron window, where the person opens the file from its folder.
 */
export function exportDownloadUrl(fileName: string): string | null {
  const token = new URLSearchParams(window.location.search).get('token');
  if (!token || !window.location.protocol.startsWith('http')) return null;
  return `/exports/${encodeURIComponent(fileName)}?token=${encodeURIComponent(token)}`;
}
