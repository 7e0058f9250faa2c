/**
 * Bytes as base64 (CreateFunction's and UpdateFunctionCode's ZipFile is a blob, base64 in
 * REST-JSON). `btoa` takes a binary string; building it in chunks keeps the argument list of
 * `String.fromCharCode` small for packages of megabytes.
 */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
