import type { ComponentChildren } from 'preact';

/** A detail page's top: the way back to its list, its name as the heading, and actions beside it. */
export function DetailHeader({
  list,
  listHref,
  name,
  children,
}: {
  list: string;
  listHref: string;
  name: string;
  children?: ComponentChildren;
}) {
  return (
    <>
      <p class="crumbs">
        <a href={listHref}>{list}</a> › {name}
      </p>
      <div class="toolbar">
        <h1 class="grow">{name}</h1>
        {children}
      </div>
    </>
  );
}
