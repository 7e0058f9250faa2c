/**
 * Why a store could not open, in words a user can act on (the CLI prints them as they are,
 * not as an internal error).
 */
export class DataInUseError extends Error {
  override readonly name = 'DataInUseError';
}

/** The disk holding the data is full (SQLITE_FULL / ENOSPC). */
export class DiskFullError extends Error {
  override readonly name = 'DiskFullError';
}

/** Whether an error from SQLite or the file system means "no space left". */
export const isDiskFull = (err: unknown): boolean => {
  const code = (err as { code?: string } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || (code === 'SQLITE_IOERR_WRITE' && /space/i.test(String((err as Error).message)));
};
