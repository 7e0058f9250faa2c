import { strFromU8, strToU8, unzipSync, zipSync, type Unzipped } from 'fflate';
import { inlineFileName, isPython } from './lambda-rules.js';

/**
 * Deployment packages in the browser (fflate): inline code zipped as the handler's file, an
 * uploaded .zip checked to be one, and an existing package opened so its handler file can be
 * edited and the package rebuilt with the other files as they were — what Lambda's console does
 * when you deploy from its editor.
 */
export type Files = Unzipped;

/** The handler's file in a package: `index.handler` → index.js, index.mjs or index.cjs (the runtime's order); Python: the module's .py. */
export function handlerFile(files: Files, handler: string, runtime?: string): string {
  if (isPython(runtime)) return inlineFileName(handler, runtime);
  const dot = handler.lastIndexOf('.');
  const module = dot > 0 ? handler.slice(0, dot) : 'index';
  return ['.js', '.mjs', '.cjs'].map((ext) => module + ext).find((name) => name in files) ?? inlineFileName(handler);
}

/** A package with the handler's file set to `code`, the other files of `base` (if any) kept. */
export function packageWithCode(code: string, handler: string, base: Files = {}, runtime?: string): Uint8Array {
  return zipSync({ ...base, [handlerFile(base, handler, runtime)]: strToU8(code) });
}

/** The files of a package; an error a person can read when it is not a zip. */
export function openPackage(zip: Uint8Array): Files {
  try {
    return unzipSync(zip);
  } catch {
    throw new Error('This file is not a .zip archive (a deployment package is a zip of your code).');
  }
}

/** The handler's source in a package, if it has one that reads as text. */
export function handlerSource(files: Files, handler: string, runtime?: string): string | null {
  const bytes = files[handlerFile(files, handler, runtime)];
  return bytes ? strFromU8(bytes) : null;
}

/** An uploaded file's bytes, refused early (as the server would) when they do not open as a zip. */
export async function uploadedPackage(file: File): Promise<Uint8Array> {
  const zip = new Uint8Array(await file.arrayBuffer());
  if (Object.keys(openPackage(zip)).length === 0) throw new Error('The .zip archive is empty.');
  return zip;
}
