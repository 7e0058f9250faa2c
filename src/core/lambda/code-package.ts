import { createHash } from 'node:crypto';
import AdmZip from 'adm-zip';
import { invalidParameter } from './errors.js';
import { LambdaErrors } from '../generated/errors.js';

/** Largest zip accepted (Lambda: 50 MB for a direct upload). */
export const MAX_ZIP_BYTES = 50 * 1024 * 1024;

/**
 * Checks an uploaded deployment package and fingerprints it. A zip that does not open, or holds
 * a path escaping its own directory, is refused when uploaded (as Lambda does: "Could not unzip
 * uploaded file") instead of failing at the first invoke. `operation` names the call in the size error.
 */
export function checkZip(
  zip: Uint8Array | undefined,
  source: { S3Bucket?: string | undefined; ImageUri?: string | undefined },
  operation: 'CreateFunction' | 'UpdateFunctionCode',
): { zip: Buffer; sha256: string; size: number } {
  if (source.S3Bucket !== undefined || source.ImageUri !== undefined) {
    throw invalidParameter(
      'amiwatch takes function code as ZipFile only (it has no S3 or container registry): upload the .zip itself, e.g. --zip-file fileb://function.zip.',
    );
  }
  if (!zip || zip.length === 0) throw invalidParameter('Please provide a source for function code.');
  const buffer = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  if (buffer.length > MAX_ZIP_BYTES)
    throw LambdaErrors.RequestEntityTooLargeException(`Request must be smaller than ${MAX_ZIP_BYTES} bytes for the ${operation} operation`);
  let entries: AdmZip.IZipEntry[];
  try {
    entries = new AdmZip(buffer).getEntries();
  } catch {
    throw invalidParameter('Could not unzip uploaded file. Please check your file, then try to upload again.');
  }
  if (entries.length === 0) throw invalidParameter('Could not unzip uploaded file. Please check your file, then try to upload again.');
  for (const e of entries) {
    const parts = e.entryName.split(/[\\/]/);
    if (e.entryName.startsWith('/') || parts.includes('..')) {
      throw invalidParameter(`Could not unzip uploaded file: entry ${e.entryName} points outside the package.`);
    }
  }
  return { zip: buffer, sha256: createHash('sha256').update(buffer).digest('base64'), size: buffer.length };
}
