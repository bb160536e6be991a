// What the staff are told after a document is sent to print.

/** Where a printed copy went: the viewer opened it, or the file waits to be opened by hand. */
export function printedWhere(path: string, opened: boolean): string {
  return opened
    ? `Opened in the PDF viewer: print it from there. (The file is ${path}; it is deleted when the app locks or closes.)`
    : `No PDF viewer opened. The file is ${path}: open it from there to print. It is deleted when the app locks or closes.`;
}
