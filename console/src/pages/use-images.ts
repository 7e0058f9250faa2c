import { useCallback, useEffect, useState } from 'preact/hooks';
import { useChanges } from '../api/changes.js';
import { describeImages, type Image } from '../api/ec2.js';

const PAGE = 25;
/** DescribeImages' largest page; ten of them are far more images than a console page shows. */
const MAX_PAGES = 10;

/** Newest first (the one a person just made is on top), then by id for a stable order. */
export const newestFirst = (a: Image, b: Image): number =>
  (b.creationDate ?? '').localeCompare(a.creationDate ?? '') || a.imageId.localeCompare(b.imageId);

/**
 * The account's images in the region, newest first, paged here: DescribeImages pages in id
 * order, so sorting by creation date needs them all. Reloaded on every image change (the
 * console's, the CLI's, an SDK's, or a lifecycle step pending → available).
 */
export function useImages(region: string) {
  const [all, setAll] = useState<Image[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [page, setPage] = useState(0);
  const reload = useCallback(async () => {
    try {
      const images: Image[] = [];
      let token: string | undefined;
      for (let i = 0; i < MAX_PAGES; i++) {
        const r = await describeImages({ maxResults: 1000, ...(token && { nextToken: token }) });
        images.push(...r.images);
        token = r.nextToken;
        if (!token) break;
      }
      setAll(images.sort(newestFirst));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [region]);
  useEffect(() => {
    setPage(0);
    void reload();
  }, [reload]);
  useChanges('ec2', ['image'], reload);
  const pages = Math.max(1, Math.ceil((all?.length ?? 0) / PAGE));
  const current = Math.min(page, pages - 1);
  return {
    items: all && all.slice(current * PAGE, (current + 1) * PAGE),
    error,
    reload,
    page: current,
    hasNext: current < pages - 1,
    nextPage: () => setPage(current + 1),
    prevPage: () => setPage(Math.max(0, current - 1)),
  };
}
