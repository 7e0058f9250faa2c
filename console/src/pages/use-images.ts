import { describeImages, type Image } from '../api/ec2.js';
import { useEc2List } from './use-ec2-list.js';

/** DescribeImages' largest page; ten of them are far more images than a console page shows. */
const MAX_PAGES = 10;

/** Newest first (the one a person just made is on top), then by id for a stable order. */
export const newestFirst = (a: Image, b: Image): number =>
  (b.creationDate ?? '').localeCompare(a.creationDate ?? '') || a.imageId.localeCompare(b.imageId);

/** Every image of the account in the region: DescribeImages pages in id order, so sorting by creation date needs them all. */
async function allImages(): Promise<Image[]> {
  const images: Image[] = [];
  let token: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const r = await describeImages({ maxResults: 1000, ...(token && { nextToken: token }) });
    images.push(...r.images);
    token = r.nextToken;
    if (!token) break;
  }
  return images;
}

/**
 * The account's images in the region, newest first, paged here. Reloaded on every image change
 * (the console's, the CLI's, an SDK's, or a lifecycle step pending → available).
 */
export function useImages(region: string) {
  return useEc2List(region, ['image'], allImages, newestFirst);
}
